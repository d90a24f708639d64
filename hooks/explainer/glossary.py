"""Finding glossary terms in running text: one compiled pattern for all terms and aliases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .inline import RichText

if TYPE_CHECKING:
    from .story import Entity

# Words inside quotation marks are someone's words: they are left as they were said.
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')


class TermFinder:
    """Finds every term and alias as a whole word, ignoring case, longest first."""

    def __init__(self, terms: list[Entity]):
        self._by_word: dict[str, Entity] = {}
        for term in sorted(terms, key=lambda term: term.id):
            for word in [term.fields["term"], *(term.fields["aliases"] or [])]:
                self._by_word.setdefault(word.casefold(), term)
        words = sorted(self._by_word, key=lambda word: (-len(word), word))
        alternatives = "|".join(re.escape(word) for word in words)
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if words else None

    def find(self, text: str) -> Iterator[tuple[int, int, Entity]]:
        """(start, end, term) for each mention in `text` outside quotation marks."""
        if self._pattern is None:
            return
        quoted = [match.span() for match in _QUOTED.finditer(text)]
        for match in self._pattern.finditer(text):
            if not any(start <= match.start() < end for start, end in quoted):
                yield match.start(), match.end(), self._by_word[match.group().casefold()]

    def terms_in(self, text: RichText) -> set[Entity]:
        return {term for run in text.prose() for _, _, term in self.find(run)}
