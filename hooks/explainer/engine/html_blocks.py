"""Raw HTML blocks, set aside by Python-Markdown as it always does, without parsing each tag.

The story's generated pages are raw HTML blocks between Markdown headings. Python-Markdown
reads every tag of them with html.parser to find where each block ends, and MkDocs reads
them all once more for their ids: together a fifth of the time a worker spends on a page.

This extension hands both a shorter page. Where each part of a page between blank lines
either holds no `<` or is HTML elements, each starting a line, that plainly end where they
end (no comment, no script, no `<` or `&` out of place; see `_plain_elements`), each element
is stood in for by an empty `<div>`, which both parsers see as a block of its own. The
blocks Python-Markdown set aside are then given back their real HTML. Each element would
have been a block of its own just the same, so the output is byte for byte what
Python-Markdown makes; a page of any other shape is read as usual. The ids of the elements
stood in for are kept for the build to add to the page's (`ids_set_aside`).
"""

from __future__ import annotations

import html
import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.htmlparser import htmlparser  # Python-Markdown's copy of html.parser
from markdown.preprocessors import HtmlBlockPreprocessor, Preprocessor

_MARKER = "explainer-html-block"  # a page that holds it anywhere is read as usual
_STAND_IN = f'<div {_MARKER}="{{}}"></div>'
_STOOD_IN = re.compile(f'<div {_MARKER}="(\\d+)"></div>(\n?)')  # as Python-Markdown sets it aside
# Python-Markdown's order: normalize_whitespace (30), fenced code (25), then MkDocs' id reader
# (21) and html_block (20): the stand-ins go in after the code blocks are set aside.
_BEFORE_THE_PARSERS = 22

_BLANK_LINES = re.compile(r"(\n{2,})")
_TAG = re.compile(
    r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>]*"|='[^'<>]*')?)*)\s*(/?)>"""
)
_ATTRIBUTE = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:=("[^"]*"|'[^']*'))?""")
_LOOSE_REFERENCE = re.compile(r"&(?!#[0-9]+;|#[xX][0-9a-fA-F]+;|[a-zA-Z][a-zA-Z0-9]*;)")
# Elements whose text html.parser reads as text (in this Python's version), and `hr`, which
# Python-Markdown sets aside alone: a part that holds one is left to the parsers.
_NOT_PLAIN = frozenset(
    {
        *htmlparser.HTMLParser.CDATA_CONTENT_ELEMENTS,
        *getattr(htmlparser.HTMLParser, "RCDATA_CONTENT_ELEMENTS", ()),
        "plaintext",
        "hr",
    }
)


class HtmlBlocks(Extension):
    """The extension; `ids_set_aside` are the ids of the elements of the last page converted
    that MkDocs did not read."""

    def __init__(self) -> None:
        super().__init__()
        self.ids_set_aside: set[str] = set()
        self._elements: list[str] = []

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802  # Python-Markdown's name
        md.preprocessors.register(_StandIns(md, self), "explainer_html_blocks", _BEFORE_THE_PARSERS)
        md.preprocessors.register(_GiveBack(md, self), "html_block", 20)


class _StandIns(Preprocessor):
    def __init__(self, md: Markdown, blocks: HtmlBlocks):
        super().__init__(md)
        self.blocks = blocks

    def run(self, lines: list[str]) -> list[str]:
        self.blocks.ids_set_aside, self.blocks._elements = set(), []
        source = "\n".join(lines)
        if _MARKER in source:
            return lines
        parts = _BLANK_LINES.split(source)
        elements: list[str] = []
        ids: set[str] = set()
        for index in range(0, len(parts), 2):  # the parts between blank lines, then the blank lines
            part = parts[index]
            if "<" not in part:
                continue
            leading = part[: len(part) - len(part.lstrip("\n"))]  # the page's first part may start on line 2
            found = _plain_elements(part[len(leading) :], self.md)
            if found is None:
                return lines  # a part of another shape: the parsers read the page as it is
            stand_ins = []
            for element, element_ids in found:
                stand_ins.append(_STAND_IN.format(len(elements)))
                elements.append(element)
                ids |= element_ids
            parts[index] = leading + "\n".join(stand_ins)
        self.blocks._elements, self.blocks.ids_set_aside = elements, ids
        return "".join(parts).split("\n")


class _GiveBack(HtmlBlockPreprocessor):
    """Python-Markdown's own, which then gives each stand-in back the element it stood for."""

    def __init__(self, md: Markdown, blocks: HtmlBlocks):
        super().__init__(md)
        self.blocks = blocks

    def run(self, lines: list[str]) -> list[str]:
        stash = self.md.htmlStash.rawHtmlBlocks
        first = len(stash)
        result = super().run(lines)
        elements = self.blocks._elements
        if not elements:
            return result
        stood_in = [index for index in range(first, len(stash)) if _MARKER in str(stash[index])]
        # Each stand-in is a block of its own, in order, as the element it stands for would be
        # (see _plain_elements): anything else is a Python-Markdown this does not know.
        matches = [_STOOD_IN.fullmatch(str(stash[index])) for index in stood_in]
        if [int(match[1]) if match else None for match in matches] != list(range(len(elements))):
            raise AssertionError("explainer's html_blocks does not know this Python-Markdown: remove it from the build")
        for index, match, element in zip(stood_in, matches, elements, strict=True):
            assert match is not None  # each matched, in order: checked above
            stash[index] = element + match[2]
        return result


def _plain_elements(part: str, md: Markdown) -> list[tuple[str, set[str]]] | None:
    """Each element of `part`, with its ids, if the part is elements that each start a line
    and that Python-Markdown sets aside whole, and that no parser reads otherwise: their tags
    written plainly, each closes at the end of its line (or of the part), and each `&` starts
    a reference. None for any other part."""
    if not part.endswith(">") or _LOOSE_REFERENCE.search(part) or "\x00" in part:
        return None
    elements = []
    start = 0
    while start < len(part):
        found = _element(part, start, md)
        if found is None:
            return None
        end, ids = found
        if end < len(part) and part[end] != "\n":  # more on the element's last line
            return None
        elements.append((part[start:end], ids))
        start = end + 1
    return elements


def _element(part: str, start: int, md: Markdown) -> tuple[int, set[str]] | None:
    """Where the block-level element that starts at `start` ends, and its ids; None if no such element starts there."""
    open_tags: list[str] = []
    ids: set[str] = set()
    if not part.startswith("<", start):
        return None
    position = start
    while (position := part.find("<", position)) != -1:
        tag = _TAG.match(part, position)
        if tag is None:
            return None
        closing, name, attributes, self_closing = tag[1], tag[2].lower(), tag[3], tag[4]
        if name in _NOT_PLAIN or (closing and (attributes or self_closing)):
            return None
        if position == start and (closing or self_closing or not md.is_block_level(name)):
            return None
        for attribute, value in _ATTRIBUTE.findall(attributes):
            if attribute.lower() == "id" or (attribute.lower() == "name" and name == "a"):
                if not value:  # a bare `id`, which MkDocs reads as None
                    return None
                ids.add(html.unescape(value[1:-1]))
        if closing:
            if name in open_tags:  # as Python-Markdown closes: every tag opened after it too
                while open_tags.pop() != name:
                    pass
            if not open_tags:
                return tag.end(), ids
        elif not self_closing:
            open_tags.append(name)
        position = tag.end()
    return None
