"""The HTML blocks extension (engine/html_blocks.py) changes nothing Python-Markdown and MkDocs
make of a page: the same HTML, table of contents and anchors, for the story's pages and for
any Markdown; it only reads the story's pages faster."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from mkdocs.structure.pages import _RawHTMLPreprocessor
from mkdocs.utils.meta import get_data

from conftest import ROOT, mkdocs_build
from explainer.content.story import load_story
from explainer.engine.html_blocks import HtmlBlocks
from explainer.site.render import render_site

FIXTURES = ROOT / "tests" / "fixtures"
STORIES = [ROOT / "content", FIXTURES / "arabic", FIXTURES / "hostile"]


def convert(text: str, blocks: HtmlBlocks | None) -> tuple[str, list, set[str]]:
    """What MkDocs keeps of a page converted with the project's extensions: its HTML, its
    table of contents and the ids MkDocs reads in its raw HTML (with those set aside)."""
    md = markdown.Markdown(
        extensions=["attr_list", "toc", *([blocks] if blocks else [])], extension_configs={"toc": {"permalink": True}}
    )
    ids = _RawHTMLPreprocessor()
    ids._register(md)  # as MkDocs' Page.render does, after the configured extensions
    html = md.convert(text)
    return html, md.toc_tokens, ids.present_anchor_ids | (blocks.ids_set_aside if blocks else set())


def set_aside(text: str) -> tuple[tuple[str, list, set[str]], tuple[str, list, set[str]], bool]:
    """The page as MkDocs makes it, as it is with the extension, and whether the extension stood in for any of it."""
    blocks = HtmlBlocks()
    faster = convert(text, blocks)
    return convert(text, None), faster, bool(blocks._elements)


@pytest.mark.parametrize("story", STORIES, ids=lambda folder: folder.name)
def test_every_page_of_a_story_converts_as_without_it(story: Path) -> None:
    pages = render_site(load_story(story))
    fast = 0
    for page in pages:
        markdown_text, _ = get_data(page.markdown)
        usual, faster, stood_in = set_aside(markdown_text)
        assert faster == usual, page.src_uri
        fast += stood_in
    assert fast >= 0.9 * len(pages)  # the story's pages are what it is for


BLOCK = ["div", "p", "dl", "ul", "ol", "blockquote", "details", "section", "figure", "table", "pre", "h2", "nav"]
INLINE = ["a", "span", "em", "time", "code", "svg", "use", "path", "abbr"]
VOID = ["br", "img", "input", "wbr", "hr"]
TEXT = ["text", "two words", "&amp;", "&#35;", "&#x23;", "&lt;b&gt;", " > ", '"q"', "'s", "`c`", "*em*", "", "\n"]
MARKDOWN = ["## Heading { #h }", "# Title", "Plain text.", "* item", "1. one", "> quote", "A & B", "    code"]
# Near misses, put anywhere: each may make a part something the extension must leave alone.
ODD = ["<!-- c -->", "<!--", "-->", "&x", "&#35", "<script>", "</script>", "<", "</ p>", "<?pi?>", "<!DOCTYPE x>"]
ODD += ["<![CDATA[x]]>", "<div id>", "<DIV ID='Z'>", "</DIV>", "<title>", "<textarea>", "\t", "explainer-html-block"]


class _Pages:
    """Random Markdown pages of HTML elements, Markdown and near misses."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)

    def attributes(self) -> str:
        text = ""
        for _ in range(self.random.randint(0, 3)):
            name = self.random.choice(["id", "ID", "class", "name", "href", "title", "data-x", "hidden"])
            quote = self.random.choice(['"', "'", '"', None])
            value = self.random.choice(["a", "b&amp;c", "x y", "q&#34;", "", "#f", "k'l" if quote == '"' else "kl"])
            text += f" {name}" if quote is None else f" {name}={quote}{value}{quote}"
        return text

    def inside(self, depth: int) -> str:
        text = ""
        for _ in range(self.random.randint(0, 4)):
            chance = self.random.random()
            if chance < 0.4 or depth > 3:
                text += self.random.choice(TEXT)
            elif chance < 0.55:
                text += f"<{self.random.choice(VOID)}{self.attributes()}" + self.random.choice([">", "/>", " />"])
            else:
                tag = self.random.choice(INLINE + BLOCK)
                closed = f"</{tag}>" if self.random.random() < 0.92 else ""
                text += f"<{tag}{self.attributes()}>{self.inside(depth + 1)}{closed}"
        return text

    def part(self) -> str:
        chance = self.random.random()
        if chance < 0.6:
            elements = []
            for _ in range(self.random.randint(1, 3)):
                tag = self.random.choice(BLOCK + INLINE[:2])
                elements.append(f"<{tag}{self.attributes()}>{self.inside(0)}</{tag}>")
            return "\n".join(elements)
        return self.random.choice(MARKDOWN) if chance < 0.97 else self.random.choice(TEXT) + "<p>a</p>"

    def page(self) -> str:
        page = self.random.choice(["", "\n", "\n\n"])
        for _ in range(self.random.randint(1, 6)):
            page += self.part() + self.random.choice(["\n\n", "\n\n", "\n\n\n", "\n", "\n  \n"])
        if self.random.random() < 0.1:
            at = self.random.randrange(len(page) + 1)
            page = page[:at] + self.random.choice(ODD) + page[at:]
        return page


@pytest.mark.parametrize("seed", range(4))
def test_any_page_converts_as_without_it(seed: int) -> None:
    pages, fast = _Pages(seed), 0
    for _ in range(1500):
        page = pages.page()
        usual, faster, stood_in = set_aside(page)
        assert faster == usual, repr(page)
        fast += stood_in
    assert fast > 100  # enough pages had blocks to stand in for


@pytest.mark.parametrize(
    "page",
    [
        '<div id="a">\n\n<p>still inside</p>\n\n</div>',  # a blank line inside an element
        "<div><!-- a comment --></div>",
        '<div>a</div>\n\n<script>alert("x")</script>',
        "Text before <div>it</div>",
        '<div class="x">explainer-html-block</div>',  # what a stand-in is named: never taken for one
        "<div>a < b</div>",
        "<div>AT&T</div>",
    ],
)
def test_a_page_of_another_shape_is_read_as_usual(page: str) -> None:
    usual, faster, stood_in = set_aside(page)
    assert faster == usual
    assert not stood_in


def test_the_ids_of_the_blocks_set_aside_are_the_page_s_anchors() -> None:
    page = '<div id="one"><a name=\'two\'>x</a><span ID="a&amp;b"></span><p name="not-an-anchor"></p></div>'
    usual, faster, stood_in = set_aside(page)
    assert stood_in
    assert faster[2] == usual[2] == {"one", "two", "a&b"}


def test_a_link_to_an_anchor_in_a_block_set_aside_is_no_warning(tmp_path: Path) -> None:
    """MkDocs checks a hand-written page's link to a generated page's anchor against the ids
    of its HTML blocks, which the extension gives back (--strict fails on a missing one)."""
    story = tmp_path / "content"
    subprocess.run([sys.executable, "-m", "explainer", "synth", "40", str(story)], check=True, timeout=120)
    incident, anchor = next(
        (page.src_uri, found[1])
        for page in render_site(load_story(story))
        if page.src_uri.startswith("incidents/")
        and (found := re.search(r'<[a-z]+ [^>]*id="(claim-[^"]+)"', page.markdown))
    )
    front = story / "pages" / "index.md"
    links = f"\n[A claim]({incident}#{anchor}), [none]({incident}#none)\n"
    front.write_text(front.read_text(encoding="utf-8") + links, encoding="utf-8")
    build = mkdocs_build(story, tmp_path / "site")
    assert f"the doc '{incident}' does not contain an anchor '#none'" in build.output
    assert f"does not contain an anchor '#{anchor}'" not in build.output
