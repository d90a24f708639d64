"""Fuzzing: random YAML files, and random text in every field of a story.

For every input the pipeline either renders the story or reports its problems as
`path:line:column: message` — never a traceback, never a hang (each example has a time
limit), and never markup that came from the input: the rendered pages are turned into HTML
as MkDocs would (its Markdown extensions, from mkdocs.yml) and parsed for scripts,
event-handler attributes, styles and link schemes. A few examples go through a full build.
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from conftest import ROOT, mkdocs_build, write_story
from explainer.content.model import KINDS, MAX_NAME_LENGTH, MAX_TERM_LENGTH, SCHEMAS
from explainer.content.problems import ContentError
from explainer.content.story import NAME_FIELD, load_story
from explainer.site.render import render_site
from html_reading import EVERY_TAG, Element, article, parse

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal"
TIME_LIMIT = 10  # seconds: an example that takes longer is a hang
# No deadline (time_limit catches hangs; a loaded CI machine is slow, not hung), and the
# same examples on every run, so that CI's verdict does not depend on luck.
FUZZ = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ_YAML = settings(FUZZ, max_examples=200)  # one file each: cheap


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop the example with TimeoutError after `seconds` (the deadline only measures)."""

    def stop(signum: int, frame: Any) -> None:
        raise TimeoutError(f"an example took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- What must never come out --------------------------------------------------------------

# Elements that run code, load something or change how the page is read; the templates use
# none of them (the timeline's filter form is theirs: forms are checked by their URLs).
DANGEROUS_TAGS = {
    "script",
    "style",
    "iframe",
    "frame",
    "object",
    "embed",
    "img",
    "svg",
    "math",
    "link",
    "meta",
    "base",
    "video",
    "audio",
    "source",
    "template",
    "noscript",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background", "cite"}


# The wrappers of the site's own drawings: the timeline overview (site/timeline_chart.py, with
# its legend's swatches) and the maps (site/locator_map.py).
DRAWINGS = {"explainer-chart", "explainer-map"}


def _drawn_by_the_site(svg: Element) -> bool:
    """Whether an <svg> is part of one of the site's drawings; what is inside it is checked all the same."""
    return any(element.tag == "div" and DRAWINGS & set(element.classes) for element in svg.ancestors())


def live_markup(root: Element) -> list[str]:
    """Everything inside `root` that could run or load something; every tag counts, even one inside <title>."""
    found = []
    for element in root.iter():
        if element.tag == "svg" and _drawn_by_the_site(element):
            continue  # the timeline overview and the maps; everything inside them is still checked
        if element.tag in DANGEROUS_TAGS:
            found.append(f"<{element.tag}>")
        for name, value in element.attr_list:
            if name.startswith("on") or name in ("style", "srcdoc"):
                found.append(f"<{element.tag} {name}=…>")
            elif name in URL_ATTRIBUTES and urlsplit((value or "").strip()).scheme.lower() not in ("", "http", "https"):
                found.append(f"<{element.tag} {name}={value!r}>")
    return found


def inline_scripts(root: Element) -> list[str]:
    """The text of each script inside `root` that a browser runs: no `src`, and no `type` that makes it data."""
    return [
        script.text()
        for script in root.find_all("script")
        if "src" not in script.attrs and script.attrs.get("type", "") in ("", "text/javascript", "module")
    ]


def read_markup(html: str) -> Element:
    return parse(html, raw_text=EVERY_TAG)


@functools.cache
def markdown_of_the_site() -> tuple[list[str], dict[str, Any]]:
    """The Markdown extensions MkDocs builds the site with: its own and mkdocs.yml's."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return list(config.markdown_extensions), dict(config.mdx_configs)


def page_html(page_markdown: str) -> tuple[str, dict[str, Any]]:
    """A rendered page as MkDocs turns it into HTML, and its front matter."""
    body, front_matter = get_data(page_markdown)
    extensions, configs = markdown_of_the_site()
    return markdown.Markdown(extensions=extensions, extension_configs=configs).convert(body), front_matter


def assert_problems_are_located(error: ContentError, folder: Path) -> None:
    """Every problem names a file or folder of the story and a line that is in it."""
    assert error.problems
    for problem in error.problems:
        assert problem.path.is_relative_to(folder) and problem.path.exists(), str(problem)
        lines = (
            len(problem.path.read_bytes().splitlines()) + 1 if problem.path.is_file() else 1
        )  # \r, \n and \r\n, as YAML counts
        assert 1 <= problem.line <= lines and problem.column >= 1, str(problem)
        assert problem.message.strip() and "Traceback" not in problem.message, str(problem)
        assert str(problem).startswith(f"{problem.path.as_posix()}:{problem.line}:{problem.column}: "), str(problem)


# --- Random text -------------------------------------------------------------------------

# Markup of every kind, which must come out as the characters typed.
PIECES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "<iframe srcdoc='<script>1</script>'>",
    "<style>*{}</style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<",
    ">",
    "&",
    "&lt;",
    "&#60;",
    "javascript:alert(1)",
    "[x](https://example.org/a?b=c&d=e)",
    "[*x*](http://example.org/(a))",
    "<https://example.org>",
    "[[actors/speaker]]",
    "[[actors/other|the <b>other</b>]]",
    "[[glossary/word]]",
    "[[sources/paper|src]]",
    "[[incidents/event]]",
    "[[statements/said|said]]",
    "|",
    "{{ config }}",
    "{% raw %}",
    "{#",
    '--8<-- "/etc/passwd"',
    "{: onclick=alert(1) }",
    "{ #id .cls onmouseover=alert(1) }",
    "# ",
    "## ",
    "> ",
    "1. ",
    "- ",
    "* ",
    "+ ",
    "| a | b |\n|---|---|",
    "```",
    "~~~",
    "    ",
    "\n",
    "\n\n",
    "\t",
    "*",
    "**",
    "_",
    "__",
    "`",
    "\\",
    "'",
    '"',
    "---",
    "***",
    "!!! note",
    "[^1]",
    "[^1]: x",
    "drone",
    "Drone Strike",
    "https://example.org/",
    "\u00e9",
    "\u0301",
    "\u05d0",
    "\u0627",
    "\u200b",
    "\u00a0",
]
# Pieces the content model refuses: a text holding one must be reported, not rendered.
REFUSED = [
    "[x](javascript:alert(1))",
    "[x](data:text/html,1)",
    "[x](//host/y)",
    "[[nobody]]",
    "[[actors/nobody]]",
    "[[",
    "]]",
]
_CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\ufeff\ufffe\uffff")
_PIECE = st.one_of(st.sampled_from(PIECES), st.text(_CHARACTERS, max_size=12))
_ACCEPTED_TEXT = st.one_of(
    st.lists(_PIECE, max_size=12).map("".join),
    st.tuples(st.sampled_from(PIECES), st.integers(50, 1000)).map(lambda repeat: repeat[0] * repeat[1]),  # very long
)
# One text in ten carries a piece the model refuses.
TEXT = (
    st.tuples(_ACCEPTED_TEXT, st.integers(0, 9), st.sampled_from(REFUSED))
    .map(lambda drawn: drawn[0] + drawn[2] if drawn[1] == 0 else drawn[0])
    .filter(lambda text: text.strip())
)
# Glossary terms are kept short: a term of a thousand characters crashes the glossary (see
# test_a_very_long_glossary_term_is_reported_not_a_crash).
TERM = (
    st.lists(_PIECE, min_size=1, max_size=6)
    .map("".join)
    .filter(lambda text: text.strip() and len(text) <= MAX_TERM_LENGTH)
)
URL = st.one_of(
    st.sampled_from(["https://example.org/a", "http://example.org/?q=<b>&x='y'", 'https://example.org/#"onclick="']),
    st.text(_CHARACTERS, max_size=20).map(lambda tail: "https://example.org/" + tail),
)


@st.composite
def story_files(draw: st.DrawFn, texts: st.SearchStrategy[str] = TEXT) -> dict[str, dict[str, Any]]:
    """A story with every field that holds words filled with random `texts`, names and titles
    cut to their limit (a longer one is reported: test_a_very_long_name_is_reported)."""
    text = functools.partial(draw, texts)
    names = texts.map(lambda drawn: drawn[:MAX_NAME_LENGTH]).filter(str.strip)
    name = functools.partial(draw, names)
    return {
        "sources/paper.yml": {
            "title": name(),
            "publisher": text(),
            "author": text(),
            "url": draw(URL),
            "archive_url": draw(URL),
            "language": text(),
        },
        "actors/speaker.yml": {
            "name": name(),
            "kind": "person",
            "role": text(),
            "country": text(),
            "aliases": [text(), text()],
            "summary": text(),
            "links": [{"title": text(), "url": draw(URL)}],
        },
        "actors/other.yml": {"name": name(), "kind": "state", "member_of": "speaker"},
        "glossary/word.yml": {
            "term": draw(TERM),
            "definition": text(),
            "aliases": [draw(TERM)],
            "category": text(),
            "sources": ["paper"],
        },
        "incidents/event.yml": {
            "title": name(),
            "date": "2024-03-05",
            "summary": text(),
            "damage": text(),
            "sources": ["paper"],
            "location": {"name": text(), "lat": "1.5", "lon": "2"},
            "actors": ["speaker", "other"],
            "terms": ["word"],
            "status": "disputed",
            "tags": [text()],
        },
        "statements/said.yml": {
            "speaker": "speaker",
            "date": "2024-03",
            "quote": text(),
            "summary": text(),
            "venue": text(),
            "context": text(),
            "stance": text(),
            "about": ["event"],
            "attributes_to": ["other"],
            "sources": ["paper"],
        },
        "statements/answer.yml": {
            "speaker": "other",
            "date": "2024",
            "summary": text(),
            "responds_to": ["said"],
            "sources": ["paper"],
        },
    }


def write_yaml(folder: Path, files: dict[str, dict[str, Any]]) -> Path:
    """The story in `folder`, with the fixture story's hand-written pages (the docs folder's
    link to the real story's entities)."""
    shutil.copytree(MINIMAL / "pages", folder / "pages")
    write_story(
        folder,
        {name: yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=70) for name, data in files.items()},
    )
    return folder


def render_or_report(folder: Path) -> list[tuple[str, str]] | None:
    """(page, HTML) for every page of the story in `folder`; None if it has problems, which
    must all be located."""
    try:
        story = load_story(folder)
    except ContentError as error:
        note(str(error))
        assert_problems_are_located(error, folder)
        return None
    pages = []
    for page in render_site(story):
        html, front_matter = page_html(page.markdown)
        # The theme prints the title and description as HTML, in <title>, <h1> and <meta>.
        pages += [(page.src_uri, html), *((f"{page.src_uri} {key}", str(value)) for key, value in front_matter.items())]
    return pages


def test_random_text_in_every_field_renders_as_text_or_is_reported() -> None:
    rendered = []

    @FUZZ
    @given(story_files())
    def renders_as_text_or_is_reported(files: dict[str, dict[str, Any]]) -> None:
        with tempfile.TemporaryDirectory() as temporary, time_limit(TIME_LIMIT):
            pages = render_or_report(write_yaml(Path(temporary), files))
        rendered.append(pages is not None)
        for page, html in pages or []:
            assert live_markup(read_markup(html)) == [], (page, html)

    renders_as_text_or_is_reported()
    # The property proves little if the random stories never load: a good part must.
    assert sum(rendered) >= len(rendered) // 4, f"{sum(rendered)} of {len(rendered)} random stories loaded"


# --- Random YAML --------------------------------------------------------------------------

# Scalars YAML 1.1 reads as something else, ids of the fixture story, and hostile values.
SCALARS = st.one_of(
    st.sampled_from(
        [
            "yes",
            "NO",
            "on",
            "off",
            "~",
            "null",
            "1.10",
            "0755",
            "1:30",
            "1e3",
            ".nan",
            "-.inf",
            "0x1F",
            "2024-02-30",
            "2024-13",
            "2024",
            "2024-03-05",
            "person",
            "disputed",
            "anna-berg",
            "coast-radio",
            "port-attack",
            "drone",
            "https://example.org/",
            "javascript:alert(1)",
            "//host/x",
            "[[actors/anna-berg]]",
            "[[x/y]]",
            "",
            " ",
            "*a",
            "&a",
            "!!python/name:os.system",
        ]
    ),
    st.text(_CHARACTERS, max_size=20),
    TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(_CHARACTERS, max_size=8), inner, max_size=4)
    ),
    max_leaves=25,
)


@st.composite
def entity_documents(draw: st.DrawFn) -> tuple[str, str]:
    """(kind, YAML text): a mapping of the kind's keys and stray ones to random values, dumped in a random style."""
    kind = draw(st.sampled_from(KINDS))
    keys = st.one_of(st.sampled_from(sorted(SCHEMAS[kind].fields)), st.text(_CHARACTERS, min_size=1, max_size=10))
    document = draw(st.one_of(st.dictionaries(keys, VALUES, max_size=12), VALUES))
    style = draw(st.sampled_from([None, '"', "'", "|", ">"]))
    return kind, yaml.dump(
        document,
        Dumper=yaml.SafeDumper,
        allow_unicode=draw(st.booleans()),
        default_style=style,
        default_flow_style=draw(st.sampled_from([False, True, None])),
        explicit_start=draw(st.booleans()),
    )


# Pieces of YAML syntax, put together at random: most of it is not valid YAML.
YAML_PIECES = [
    "\n",
    "  ",
    "- ",
    ": ",
    "name",
    "kind: person",
    "---",
    "...",
    "&a ",
    "*a",
    "!!str ",
    "!tag ",
    "%YAML 1.1\n",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ",",
    '"',
    "'",
    "|",
    ">",
    "#",
    "\\u202e",
    "\\x00",
    "\t",
    "\ufeff",
    "\u202e",
    "\x00",
    "\x1b",
    "\u2028",
    "<<: *a",
    "@",
    "`",
]
RAW_YAML = st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=6)), max_size=40).map("".join)


def load_one(kind: str, data: bytes) -> None:
    """Put `data` into a copy of the fixture story as `kind/fuzzed.yml` and load the story."""
    with tempfile.TemporaryDirectory() as temporary:
        folder = shutil.copytree(MINIMAL, Path(temporary) / "story")
        (folder / kind / "fuzzed.yml").write_bytes(data)
        try:
            load_story(folder)
        except ContentError as error:
            note(str(error))
            assert_problems_are_located(error, folder)


@FUZZ_YAML
@given(entity_documents())
def test_random_yaml_documents_load_or_are_reported(document: tuple[str, str]) -> None:
    kind, text = document
    note(text)
    with time_limit(TIME_LIMIT):
        load_one(kind, text.encode("utf-8"))


@FUZZ_YAML
@given(
    st.sampled_from(KINDS),
    st.one_of(RAW_YAML.map(lambda text: text.encode("utf-8", "surrogatepass")), st.binary(max_size=200)),
)
def test_random_bytes_and_broken_yaml_are_reported(kind: str, data: bytes) -> None:
    with time_limit(TIME_LIMIT):
        load_one(kind, data)


# --- A few full builds ------------------------------------------------------------------------


def built_pages(site: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(site.rglob("*.html")):
        yield path, path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def theme_scripts(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The inline scripts of every page of the small fixture story: the theme's, and no others."""
    build = mkdocs_build(MINIMAL, tmp_path_factory.mktemp("theme") / "site")
    assert build.result.returncode == 0, build.output
    return {script for _, html in built_pages(build.site) for script in inline_scripts(read_markup(html))}


# No shrinking: each build takes seconds, and the failing story is printed whole.
@settings(
    max_examples=2,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)
@given(files=story_files(_ACCEPTED_TEXT.filter(str.strip)))  # text the model accepts, so that most stories build
def test_random_text_through_a_full_build(theme_scripts: set[str], files: dict[str, dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as temporary, time_limit(120):
        content = write_yaml(Path(temporary) / "content", files)
        build = mkdocs_build(content, Path(temporary) / "site")
        assert "Traceback" not in build.output, build.output
        if build.result.returncode != 0:
            with pytest.raises(ContentError) as caught:
                load_story(content)
            assert_problems_are_located(caught.value, content)
            return
        for path, html in built_pages(build.site):
            page = read_markup(html)
            # Text may reach <title>, <meta> and the header: no script of its own, anywhere.
            assert set(inline_scripts(page)) <= theme_scripts, path
            assert live_markup(article(page)) == [], path


def test_a_very_long_glossary_term_is_reported_not_a_crash(tmp_path: Path) -> None:
    folder = write_yaml(tmp_path, {"glossary/word.yml": {"term": "word " * 200, "definition": "A word."}})
    with pytest.raises(ContentError) as caught:
        load_story(folder)
    assert_problems_are_located(caught.value, folder)
    assert f"the limit is {MAX_TERM_LENGTH}" in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "entity"),
    [
        ("actors", {"kind": "person"}),
        ("incidents", {"date": "2024-03-05", "summary": "It happened.", "sources": ["paper"]}),
        ("sources", {"publisher": "Paper", "url": "https://example.org/a"}),
    ],
)
def test_a_very_long_name_is_reported(tmp_path: Path, kind: str, entity: dict[str, Any]) -> None:
    field = NAME_FIELD[kind]
    files = {"sources/paper.yml": {"title": "Paper", "publisher": "Paper", "url": "https://example.org/a"}}
    folder = write_yaml(tmp_path, files | {f"{kind}/long.yml": {field: "word " * 60, **entity}})
    with pytest.raises(ContentError) as caught:
        load_story(folder)
    assert_problems_are_located(caught.value, folder)
    assert f"'{field}' is 299 characters long; the limit is {MAX_NAME_LENGTH}" in str(caught.value)


def test_a_character_past_u_ffff_keeps_the_front_matter(tmp_path: Path) -> None:
    content = shutil.copytree(MINIMAL, tmp_path / "story")
    title = "Blockade of the bay \U0001f6a2"
    path = content / "incidents" / "blockade.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: Blockade of the bay", f"title: {title}"), encoding="utf-8"
    )
    page = next(page for page in render_site(load_story(content)) if page.src_uri == "incidents/blockade.md")
    body, front_matter = get_data(page.markdown)
    assert front_matter.get("title") == title and "title:" not in body
