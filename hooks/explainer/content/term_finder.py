"""Finding glossary terms in running text: one compiled pattern for all terms and aliases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from explainer.content.rich_text import RichText

if TYPE_CHECKING:
    from explainer.content.story import Entity

# Words inside quotation marks are someone's words: they are left as they were said.
_QUOTE_MARKS = re.compile('["“”«»„]')


class TermFinder:
    """Finds every term and alias as a whole word, ignoring case, longest first."""

    def __init__(self, terms: list[Entity]):
        self._by_word: dict[str, Entity] = {}
        words: list[str] = []
        for term in sorted(terms, key=lambda term: term.id):
            for word in [term.fields["term"], *(term.fields["aliases"] or [])]:
                if word.lower() not in self._by_word:
                    self._by_word[word.lower()] = term
                    words.append(word)
        self._pattern = re.compile(rf"(?<!\w){_trie(words)}(?!\w)", re.IGNORECASE) if words else None

    def find(self, text: str, quoted: bool = False) -> Iterator[tuple[int, int, Entity]]:
        """(start, end, term) for each mention in `text` outside quotation marks.

        `quoted` says whether `text` starts inside a quotation, for text split into runs
        by markup (`“the **drone** was”`)."""
        if self._pattern is None:
            return
        for start, end in _unquoted_spans(text, quoted):
            for match in self._pattern.finditer(text, start, end):
                yield match.start(), match.end(), self._by_word[match.group().lower()]

    def terms_in(self, text: RichText) -> set[Entity]:
        found: set[Entity] = set()
        quoted = False
        for run in text.prose():
            if quoted or _QUOTE_MARKS.search(run):
                found.update(term for _, _, term in self.find(run, quoted))
                quoted = ends_quoted(run, quoted)
            elif self._pattern is not None:  # most runs: no quotation to step around
                found.update(self._by_word[match.group().lower()] for match in self._pattern.finditer(run))
        return found


def _trie(words: list[str]) -> str:
    """One pattern matching any of `words`, as a tree of their shared prefixes.

    A plain alternation `a|b|c` makes the regex engine try every word at every position of
    the text, so linking would cost text length times number of terms; the tree tries one
    branch per character. A longer word is tried before the shorter one it extends, so the
    longest term wins ("drone strike" over "drone"). Letters are grouped by their lower case,
    as the pattern ignores case: "Drone" and "drone strike" share the branch "drone".
    """
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for character in word:
            lower = character.lower()
            node = node.setdefault(lower if len(lower) == 1 else character, {})
        node[""] = {}  # a word ends here
    return _branches(tree)


def _branches(node: dict[str, dict]) -> str:
    branches = [re.escape(character) + _branches(child) for character, child in sorted(node.items()) if character]
    if not branches:
        return ""
    pattern = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{pattern})?" if "" in node else pattern


def ends_quoted(text: str, quoted: bool) -> bool:
    """Whether a quotation is still open at the end of `text`."""
    for mark in _QUOTE_MARKS.findall(text):
        quoted = {"“": True, "”": False}.get(mark, not quoted)
    return quoted


def _unquoted_spans(text: str, quoted: bool) -> Iterator[tuple[int, int]]:
    start = 0
    for mark in _QUOTE_MARKS.finditer(text):
        if not quoted:
            yield start, mark.start()
        quoted = {"“": True, "”": False}.get(mark.group(), not quoted)
        start = mark.end()
    if not quoted:
        yield start, len(text)
