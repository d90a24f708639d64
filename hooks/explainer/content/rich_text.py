"""The small inline Markdown that text fields accept, parsed once and rendered per page.

Editors get emphasis, code, links and `[[kind/id|label]]` references, and nothing else: no
HTML, no headings, lists, tables or snippets. We parse it ourselves rather than hand it to
Python-Markdown so that no other syntax can ever reach a reader's browser, and so that
checking a story of thousands of files stays fast. Everything rendered goes through `escape`, which also
defuses the Markdown and extension syntax of the page the fragment is pasted into.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# Every alternative starts with a character (`_` before the look-behind that checks what
# precedes it), so the regex engine skips straight to the next \ ` [ * or _ in the text.
_INLINE = re.compile(
    r"""
      \\(?P<escaped>[!-/:-@\[-`{-~])
    | (?P<ticks>`+)(?P<code>.+?)(?P=ticks)
    | \[\[(?P<ref>[^\[\]|]*)(?:\|(?P<ref_label>[^\[\]]*))?\]\]
    | \[(?P<link_text>(?:[^\[\]\\]|\\.)+)\]\((?P<link_url>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)\)
    | \*\*(?=\S)(?P<strong>.+?)(?<=\S)\*\*
    | _(?<![0-9A-Za-z]_)_(?=\S)(?P<strong_>.+?)(?<=\S)__(?![0-9A-Za-z])
    | \*(?=\S)(?P<em>.+?)(?<=\S)\*
    | _(?<![0-9A-Za-z]_)(?=\S)(?P<em_>.+?)(?<=\S)_(?![0-9A-Za-z])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Styled:
    tag: str  # "em" or "strong"
    children: tuple[Token, ...]


@dataclass(frozen=True)
class Link:
    url: str
    children: tuple[Token, ...]


@dataclass(frozen=True)
class Ref:
    kind: str
    id: str
    label: str | None


Token = str | Code | Styled | Link | Ref


@dataclass(frozen=True)
class RichText:
    """A text field as typed, and its tokens."""

    source: str
    tokens: tuple[Token, ...]
    lang: str | None = None  # the language of its words, where a translation left them as the original's

    def in_language(self, lang: str) -> RichText:
        return RichText(self.source, self.tokens, lang)

    def link_urls(self) -> Iterator[str]:
        return (token.url for token in _walk(self.tokens) if isinstance(token, Link))

    def references(self) -> Iterator[tuple[str, str]]:
        return ((token.kind, token.id) for token in _walk(self.tokens) if isinstance(token, Ref))

    def prose(self) -> Iterator[str]:
        """Runs of plain text where glossary terms may be linked: not in links or code."""
        return _prose(self.tokens)

    def __str__(self) -> str:
        return self.source


class Untranslated(str):
    """Plain words that a translation left out, shown as the original has them, in `lang`."""

    lang: str

    def __new__(cls, words: str, lang: str) -> Untranslated:
        text = super().__new__(cls, words)
        text.lang = lang
        return text


def parse(text: str) -> RichText:
    return RichText(text, _parse(text))


def _parse(text: str) -> tuple[Token, ...]:
    tokens: list[Token] = []
    plain: list[str] = []
    position = 0
    for match in _INLINE.finditer(text):
        plain.append(text[position : match.start()])
        position = match.end()
        group = match.lastgroup
        assert group is not None, "every alternative of _INLINE is a named group"
        if group == "escaped":
            plain.append(match["escaped"])
            continue
        tokens.append("".join(plain))
        plain = []
        if group == "code":
            tokens.append(Code(match["code"].strip()))
        elif group in ("ref", "ref_label"):
            kind, _, target = match["ref"].strip().partition("/")
            label = match["ref_label"]
            tokens.append(Ref(kind, target, label.strip() if label else None))
        elif group == "link_url":
            tokens.append(Link(match["link_url"], _parse(match["link_text"])))
        else:
            tag = "strong" if group.startswith("strong") else "em"
            tokens.append(Styled(tag, _parse(match[group])))
    plain.append(text[position:])
    tokens.append("".join(plain))
    return tuple(token for token in tokens if token != "")


def _prose(tokens: tuple[Token, ...]) -> Iterator[str]:
    for token in tokens:
        if isinstance(token, str):
            yield token
        elif isinstance(token, Styled):
            yield from _prose(token.children)


def _walk(tokens: tuple[Token, ...]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if isinstance(token, (Styled, Link)):
            yield from _walk(token.children)


# Rendering. The caller decides what a reference becomes and how plain text is marked up
# (glossary terms), because both depend on the page the text is shown on.

RenderText = Callable[[str], str]
RenderRef = Callable[[Ref], str]


def render(text: RichText, render_text: RenderText, render_ref: RenderRef) -> str:
    return _render(text.tokens, render_text, render_ref)


def _render(tokens: tuple[Token, ...], render_text: RenderText, render_ref: RenderRef) -> str:
    html = []
    for token in tokens:
        if isinstance(token, str):
            html.append(render_text(token))
        elif isinstance(token, Code):
            html.append(f"<code>{escape(token.text)}</code>")
        elif isinstance(token, Styled):
            html.append(f"<{token.tag}>{_render(token.children, render_text, render_ref)}</{token.tag}>")
        elif isinstance(token, Link):
            # Terms are not linked inside a link: a link in a link is invalid HTML.
            html.append(f'<a href="{escape(token.url)}">{_render(token.children, escape, render_ref)}</a>')
        else:
            html.append(render_ref(token))
    return "".join(html)


def plain_text(text: RichText, name_of: Callable[[Ref], str]) -> str:
    """The words of a text field without markup, references replaced by their labels."""
    return "".join(_plain(text.tokens, name_of))


def _plain(tokens: tuple[Token, ...], name_of: Callable[[Ref], str]) -> Iterator[str]:
    for token in tokens:
        if isinstance(token, str):
            yield token
        elif isinstance(token, Code):
            yield token.text
        elif isinstance(token, (Styled, Link)):
            yield from _plain(token.children, name_of)
        else:
            yield token.label or name_of(token)


# Every character that HTML or a Markdown extension could read as syntax becomes a numeric
# character reference: browsers show the character, Markdown sees no syntax at all.
_SYNTAX = {ord(char): f"&#{ord(char)};" for char in "\\`*_{}[]()#<>&\"'~:=^$@|!+"}


def escape(text: str) -> str:
    return text.translate(_SYNTAX)
