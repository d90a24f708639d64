"""Reading HTML, for every test: one parser (the standard library's html.parser), one tree, and
the few queries the tests ask of it.

One reader, so that every test reads a page the same way: a test that finds no `<script>` and
a test that hashes every `<script>` cannot disagree about where one begins. Expected values
never come from here: this only reads what a build wrote.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable, Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from conftest import Build

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
# The elements whose content is read as text, a tag in it being no element. A browser reads
# <title> and <textarea> so too; html.parser by itself only <script> and <style>, and tests that
# must find every tag, even one that a browser would show as text inside <title>, read as it does.
AS_A_BROWSER = ("script", "style", "title", "textarea")
EVERY_TAG = ("script", "style")
_ESCAPED_TEXT = ("title", "textarea")  # text with character references, unlike a script's
JSON_LD = "application/ld+json"


class Element:
    """An element of a page: its tag, attributes, parent and children (elements and text), and
    where its markup is in the page, so that a test can compare markup as it was written."""

    def __init__(
        self,
        tag: str,
        attr_list: list[tuple[str, str | None]] | None = None,
        parent: Element | None = None,
        source: str = "",
        start: int = 0,
        inner: int = 0,
    ) -> None:
        self.tag = tag
        self.attr_list = attr_list or []  # as written: in order, a repeated attribute each time
        self.attrs = {name: value or "" for name, value in self.attr_list}
        self.parent = parent
        self.children: list[Element | str] = []
        self._source = source
        self._span = [start, inner, inner, inner]  # start tag from, to; end tag from, to

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def iter(self) -> Iterator[Element]:
        """Every element inside this one, in the order of the page."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def elements(self, tag: str | None = None) -> list[Element]:
        """The child elements (of `tag`), without the text between them."""
        return [child for child in self.children if isinstance(child, Element) and tag in (None, child.tag)]

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Element]:
        """The elements inside of `tag`, with the class `cls` among theirs, and with exactly these attribute values."""
        return [
            element
            for element in self.iter()
            if tag in (None, element.tag)
            and (cls is None or cls in element.classes)
            and all(element.attrs.get(name) == value for name, value in attrs.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element | None:
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def text(self, skip: frozenset[str] | set[str] = frozenset()) -> str:
        """The text inside, as it reads, leaving out the elements whose tag is in `skip`."""
        return "".join(
            child if isinstance(child, str) else child.text(skip)
            for child in self.children
            if isinstance(child, str) or child.tag not in skip
        )

    def markup(
        self,
        drop: Callable[[Element], bool] = lambda element: False,
        unwrap: Callable[[Element], bool] = lambda element: False,
    ) -> str:
        """The element's HTML character for character as the page has it, without the elements
        inside that `drop` picks and with those that `unwrap` picks replaced by their content."""
        cuts: list[tuple[int, int]] = []
        for element in self.iter():
            start, inner, inner_end, end = element._span
            if drop(element):
                cuts.append((start, end))
            elif unwrap(element):
                cuts += [(start, inner), (inner_end, end)]
        pieces, at = [], self._span[0]
        for start, end in sorted(cuts):
            if start >= at:  # else it is inside markup already cut
                pieces.append(self._source[at:start])
                at = end
        pieces.append(self._source[at : self._span[3]])
        return "".join(pieces)

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"


class _TreeBuilder(HTMLParser):
    """Builds the tree, closing an element at its end tag or at an end tag of an element it is in."""

    def __init__(self, source: str, raw_text: tuple[str, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.CDATA_CONTENT_ELEMENTS = raw_text
        self.source = source
        self.root = Element("#document", source=source)
        self.root._span = [0, 0, len(source), len(source)]
        self.current = self.root
        self._line_starts = [0]
        for line in source.split("\n")[:-1]:
            self._line_starts.append(self._line_starts[-1] + len(line) + 1)

    def _offset(self) -> int:
        """Where in the source the tag being read starts."""
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> Element:
        start = self._offset()
        element = Element(tag, attrs, self.current, self.source, start, start + len(self.get_starttag_text() or ""))
        self.current.children.append(element)
        return element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = self._element(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is self.root:
            return  # an end tag of no open element: ignored, as a browser does
        start = self._offset()
        close = self.source.find(">", start + 2)
        self._close_to(node, start)
        node._span[3] = close + 1 if close >= 0 else len(self.source)
        self.current = node.parent

    def _close_to(self, node: Element, at: int) -> None:
        """End the open elements up to `node` where the markup at `at` ends them."""
        open_element = self.current
        while open_element is not node.parent:
            open_element._span[2] = open_element._span[3] = at
            open_element = open_element.parent

    def handle_data(self, data: str) -> None:
        if self.current.tag in _ESCAPED_TEXT and self.current.tag in self.CDATA_CONTENT_ELEMENTS:
            data = unescape(data)  # html.parser passes text it reads as raw text unconverted
        self.current.children.append(data)

    def close(self) -> None:
        """Read what is left, and end the elements still open where the page ends."""
        super().close()
        open_element = self.current
        while open_element is not self.root:
            open_element._span[2] = open_element._span[3] = len(self.source)
            open_element = open_element.parent


def parse(html: str, raw_text: tuple[str, ...] = AS_A_BROWSER) -> Element:
    """The page or piece of HTML `html` as a tree, under a `#document` element."""
    builder = _TreeBuilder(html, raw_text)
    builder.feed(html)
    builder.close()
    return builder.root


@functools.cache
def _read(path: str, raw_text: tuple[str, ...], stamp: tuple[int, int]) -> Element:
    return parse(Path(path).read_text(encoding="utf-8"), raw_text)


def read(path: Path, raw_text: tuple[str, ...] = AS_A_BROWSER) -> Element:
    """The HTML file at `path`, parsed once for as long as it is not rewritten: tests read each page many times."""
    stat = path.stat()
    return _read(str(path), raw_text, (stat.st_mtime_ns, stat.st_size))


def page(build: Build, url: str) -> Element:
    """The page served at the site-relative `url` (`""` is the home page), read as a browser reads it."""
    path = build.site / url.strip("/") / "index.html" if url.strip("/") else build.site / "index.html"
    assert path.is_file(), f"no page at /{url}"
    return read(path)


def article(root: Element) -> Element:
    """The page's content: what the theme puts around it left out."""
    found = root.find("article", cls="md-content__inner")
    assert found is not None, "page has no <article class='md-content__inner'>"
    return found


def sections(container: Element) -> list[tuple[Element, list[Element]]]:
    """(heading, following sibling elements) for each h2 and h3 among `container`'s children."""
    result: list[tuple[Element, list[Element]]] = []
    for child in container.elements():
        if child.tag in ("h2", "h3"):
            result.append((child, []))
        elif result:
            result[-1][1].append(child)
    return result


def resolve(page_url: str, href: str) -> str | None:
    """A relative href as a site-relative URL (`actors/x/`, `sources/#y`); None if external."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if parts.path:
        joined = posixpath.normpath(posixpath.join(page_url or ".", parts.path))
        target = "" if joined == "." else joined.strip("/") + "/"
    else:
        target = page_url
    return target + ("#" + parts.fragment if parts.fragment else "")


def hrefs(element: Element) -> list[str]:
    """Where each link (`<a href>`) inside leads, as written."""
    return [a.attrs["href"] for a in element.find_all("a") if "href" in a.attrs]


def links(element: Element, page_url: str) -> list[str]:
    """The site-relative URL of each link inside to a page of the site, for the page at `page_url`."""
    return [url for href in hrefs(element) if (url := resolve(page_url, href)) is not None]


def attribute_values(element: Element, name: str) -> list[str]:
    """Every value of the attribute `name` on any element inside, a repeated attribute each time."""
    return [value or "" for inside in element.iter() for attribute, value in inside.attr_list if attribute == name]


def tags(element: Element) -> set[str]:
    """The tags of the elements inside: what a piece of HTML that may hold only some of them holds."""
    return {inside.tag for inside in element.iter()}


def ids(element: Element) -> set[str]:
    """The ids inside: the anchors an address may name."""
    return {inside.attrs["id"] for inside in element.iter() if "id" in inside.attrs}


def meta(element: Element) -> dict[str, list[str]]:
    """The content of each `<meta>` inside, by its property (Open Graph's) or else its name."""
    found: dict[str, list[str]] = {}
    for tag in element.find_all("meta"):
        key = tag.attrs.get("property") or tag.attrs.get("name")
        if key:
            found.setdefault(key, []).append(tag.attrs.get("content", ""))
    return found


def json_ld(element: Element) -> list[str]:
    """The text of each JSON-LD script inside, as written."""
    return [script.text() for script in element.find_all("script", type=JSON_LD)]
