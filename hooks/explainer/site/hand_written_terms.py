"""Glossary links in the HTML of hand-written pages, as generated pages have them in text fields.

Hand-written pages reach us as the HTML Python-Markdown made of them, so the glossary is
applied to their text between tags: never inside headings, links, code, quotations or
form controls, and never inside scripts and styles. Everything else is copied through as
it was written.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

from explainer.content.term_finder import ends_quoted

# Elements whose text is someone's words, a name, code or a control: no term is linked in them.
SKIPPED = frozenset(
    {
        "a",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "code",
        "pre",
        "kbd",
        "samp",
        "q",
        "blockquote",
        "cite",
        "dt",
        "abbr",
        "script",
        "style",
        "template",
        "textarea",
        "button",
        "select",
        "option",
        "label",
        "svg",
        "math",
        "title",
    }
)
# A quotation left open in one of these does not run on into the next.
BLOCKS = frozenset({"p", "li", "td", "th", "dd", "div", "section", "article", "figcaption", "details", "summary"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

# Links the terms in one run of plain text; `quoted` says whether it starts inside a
# quotation. Returns the run as HTML.
LinkRun = Callable[[str, bool], str]


def link_terms(html: str, link_run: LinkRun) -> str:
    """`html` with every run of text outside the skipped elements passed through `link_run`."""
    walker = _Walker(link_run)
    walker.feed(html)
    walker.close()
    return "".join(walker.out)


class _Walker(HTMLParser):
    """Copies HTML through, handing runs of text in linkable places to `link_run`.

    Character references stay as written (`convert_charrefs=False`): they split a run, which
    only costs the rare term spelled with one.
    """

    def __init__(self, link_run: LinkRun):
        super().__init__(convert_charrefs=False)
        self.link_run = link_run
        self.out: list[str] = []
        self.open_skipped: list[str] = []
        self.quoted = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")
        if tag in SKIPPED and tag not in VOID:
            self.open_skipped.append(tag)
        if tag in BLOCKS:
            self.quoted = False

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag in self.open_skipped:
            # Close it and anything left open inside it, as a browser would.
            del self.open_skipped[len(self.open_skipped) - 1 - self.open_skipped[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if self.open_skipped or not data.strip():
            self.out.append(data)
            return
        self.out.append(self.link_run(data, self.quoted))
        self.quoted = ends_quoted(data, self.quoted)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")
