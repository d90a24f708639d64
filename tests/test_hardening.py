"""Hardening: hostile files, the content security policy, builds that are never half
published, and links that lead somewhere.

Each hazard in `hazards/` is one file named after what it tries; the test puts it into a
copy of the small fixture story and expects the problem at its exact file and line, found in
the file's own bytes. Built sites are read as HTML: the policy of every page is checked
against the scripts the page holds, and a headless Chromium loads one page of every template
and reports every policy violation in its console.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

from conftest import REAL_CONTENT, ROOT, Build, mkdocs_build, originals, write_story
from explainer.commands.check_links import check_links_command, dead_web_links, web_links
from explainer.content.problems import ContentError, Problem
from explainer.content.story import load_story
from explainer.engine.link_check import broken_links
from explainer.site import csp
from html_reading import EVERY_TAG, Element, read

HAZARDS = Path(__file__).resolve().parent / "hazards"
MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal"

# --- Hostile files: one per hazard ---------------------------------------------------------

# (file under hazards/, the bytes its problem is at, words the message must hold)
HAZARD_PROBLEMS = [
    ("actors/alias-bomb.yml", b"&a", ["anchor '&a'"]),
    ("actors/python-tag.yml", b"!!python", ["tag", "python/object/apply"]),
    ("actors/duplicate-key.yml", b"name: Second", ["'name'", "twice"]),
    ("actors/two-documents.yml", b"---", ["second YAML document"]),
    ("actors/not-a-mapping.yml", b"- name", ["mapping", "list"]),
    ("actors/empty.yml", None, ["empty"]),
    ("actors/deep-nesting.yml", b"aliases:", ["nested", "16"]),
    ("actors/latin1.yml", b"\xe9", ["UTF-8"]),
    ("actors/control-character.yml", b"\x1b", ["U+001B"]),
    ("incidents/bidi-override.yml", "\u202e".encode(), ["U+202E"]),
    ("actors/escaped-bidi.yml", b"\\u202E", ["U+202E"]),
    ("actors/bom-inside.yml", "\ufeff".encode(), ["U+FEFF"]),
    ("sources/javascript-url.yml", b'url: "javascript:', ["'url'", "javascript:alert(document.cookie)"]),
    ("sources/data-url.yml", b'url: "data:', ["'url'", "data:text/html"]),
    ("sources/vbscript-url.yml", b'archive_url: "vbscript:', ["'archive_url'", "vbscript:msgbox(1)"]),
    ("sources/scheme-relative-url.yml", b"//evil", ["'url'", "//evil.example/bulletin"]),
    ("sources/hostless-url.yml", b"https:///", ["'url'", "https:///bulletin"]),
    (
        "glossary/javascript-link-in-text.yml",
        b"[this link](javascript:",
        ["link", "'javascript:alert(1)'", "'definition'"],
    ),
]


def story_with(tmp_path: Path, *hazards: str) -> Path:
    """A copy of the small fixture story with the `hazards` files added to it."""
    folder = shutil.copytree(MINIMAL, tmp_path / "story")
    for hazard in hazards:
        shutil.copy(HAZARDS / hazard, folder / hazard)
    return folder


def line_of(data: bytes, needle: bytes | None) -> int:
    if needle is None:
        return 1
    assert needle in data, f"{needle!r} is not in the hazard file"
    return data[: data.index(needle)].count(b"\n") + 1


def test_every_hazard_file_is_tested() -> None:
    files = {path.relative_to(HAZARDS).as_posix() for path in HAZARDS.rglob("*.yml")}
    assert files == {name for name, _, _ in HAZARD_PROBLEMS} | {"statements/yaml11-lookalikes.yml"}


@pytest.mark.parametrize(("hazard", "needle", "words"), HAZARD_PROBLEMS, ids=[name for name, _, _ in HAZARD_PROBLEMS])
def test_a_hazard_file_is_reported_at_its_exact_file_and_line(
    tmp_path: Path, hazard: str, needle: bytes | None, words: list[str]
) -> None:
    folder = story_with(tmp_path, hazard)
    with pytest.raises(ContentError) as caught:
        load_story(folder)
    line = line_of((HAZARDS / hazard).read_bytes(), needle)
    problems: list[Problem] = caught.value.problems
    assert [(p.path, p.line) for p in problems] == [(folder / hazard, line)], str(caught.value)
    assert all(word in problems[0].message for word in words), problems[0].message
    assert str(caught.value).splitlines()[0].startswith(f"{folder / hazard}:{line}:")


def test_a_duplicate_key_names_the_line_of_both(tmp_path: Path) -> None:
    hazard = "actors/duplicate-key.yml"
    data = (HAZARDS / hazard).read_bytes()
    with pytest.raises(ContentError) as caught:
        load_story(story_with(tmp_path, hazard))
    assert f"first on line {line_of(data, b'name: First')}" in caught.value.problems[0].message


def test_yaml_1_1_lookalikes_stay_the_text_typed(tmp_path: Path) -> None:
    hazard = "statements/yaml11-lookalikes.yml"
    statement = load_story(story_with(tmp_path, hazard)).get("statements", "yaml11-lookalikes")
    typed = dict(
        line.split(": ", 1)
        for line in (HAZARDS / hazard).read_text(encoding="utf-8").splitlines()
        if ": " in line and not line.startswith("#")
    )
    for key in ("quote", "venue", "stance", "context"):
        assert str(statement.fields[key]) == typed[key], key


# --- Built pages: the content security policy -----------------------------------------------


def read_page(path: Path) -> Element:
    """A built page; every tag counts, even one inside <title>, where the theme prints front matter unescaped."""
    return read(path, raw_text=EVERY_TAG)


def first_in_head(page: Element) -> Element | None:
    """The first element in <head>: the policy must come before anything it governs."""
    head = page.find("head")
    inside = head.elements() if head is not None else []
    return inside[0] if inside else None


def scripts(page: Element) -> list[tuple[dict[str, str], str]]:
    """Every script of the page: its attributes and its text."""
    return [(script.attrs, script.text()) for script in page.find_all("script")]


def resources(page: Element) -> list[str]:
    """The addresses the browser loads by itself, without a click."""
    found = []
    for element in page.iter():
        if element.tag in ("script", "img", "iframe", "source") and "src" in element.attrs:
            found.append(element.attrs["src"])
        if element.tag == "link" and element.attrs.get("rel") != "canonical" and "href" in element.attrs:
            found.append(element.attrs["href"])
    return found


def policy_of(page: Element) -> dict[str, list[str]]:
    first = first_in_head(page)
    assert first is not None
    assert (first.tag, first.attrs.get("http-equiv")) == ("meta", "Content-Security-Policy"), first
    directives = [directive.split() for directive in first.attrs["content"].split(";")]
    return {directive[0]: directive[1:] for directive in directives if directive}


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def html_pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert site / "404.html" in pages and site / "index.html" in pages
    return pages


def test_every_page_starts_its_head_with_a_strict_policy(real_site: Build) -> None:
    for path in html_pages(real_site.site):
        policy = policy_of(read_page(path))
        assert policy["default-src"] == ["'self'"], path
        assert policy["script-src"][0] == "'self'" and all(
            source.startswith("'sha256-") for source in policy["script-src"][1:]
        ), path
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"], path
        assert not [value for values in policy.values() for value in values if "unsafe" in value or value == "*"], path


def test_the_policy_allows_exactly_the_inline_scripts_of_the_page(real_site: Build) -> None:
    for path in html_pages(real_site.site):
        page = read_page(path)
        # What a browser runs: no `src`, and no `type` that makes it data (JSON, JSON-LD).
        inline = [
            text
            for attributes, text in scripts(page)
            if "src" not in attributes and attributes.get("type", "") in ("", "text/javascript", "module")
        ]
        assert inline, path  # the theme has inline scripts: else this test would prove nothing
        assert sorted(policy_of(page)["script-src"][1:]) == sorted({sha256(text) for text in inline}), path


def test_pages_load_nothing_from_other_hosts(real_site: Build) -> None:
    for path in html_pages(real_site.site):
        for address in resources(read_page(path)):
            parts = urlsplit(address)
            assert not parts.scheme and not parts.netloc, (path, address)


def test_a_script_written_in_a_page_is_not_allowed(scripted: Build) -> None:
    page = read_page(scripted.site / "about" / "index.html")
    for variable in PLANTED:
        planted = [text for _, text in scripts(page) if variable in text]
        assert planted, f"the script setting {variable} is not in the page"
        assert sha256(planted[0]) not in policy_of(page)["script-src"], variable


def test_the_policy_is_filled_in_only_where_the_placeholder_is() -> None:
    page = (
        '<head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'"></head>'
        "<script>theme()</script>"
    )
    assert sha256("theme()") in csp.with_policy(page)
    assert sha256("theme()") not in csp.with_policy(page, front_matter={"title": "<script>theme()</script>"})
    with pytest.raises(ValueError, match="Content-Security-Policy"):
        csp.with_policy("<head></head><script>theme()</script>")
    with pytest.raises(ValueError, match="content"):
        csp.with_policy(page, content="<p>rewritten by something else</p>")
    assert "Content-Security-Policy" not in csp.without_policy(page)


def test_script_hashes_ignore_data_blocks_and_external_scripts() -> None:
    page = (
        '<script src="a.js"></script><script type="application/json">{"a": 1}</script>'
        '<script type="module">m()</script><SCRIPT>x()</SCRIPT >'
    )
    assert csp.inline_scripts(page) == ["m()", "x()"]


# --- Built pages in a browser ----------------------------------------------------------------

# Scripts planted in a hand-written page: in its content, and in front matter that the theme
# prints unescaped into <title> and <meta name="description">.
PLANTED = ("fromContent", "fromTitle", "fromDescription")
PLANTED_PAGE = """---
title: 'About</title><script>window.fromTitle = "ran";</script><title>'
description: '"><script>window.fromDescription = "ran";</script>'
---
"""


@pytest.fixture(scope="module")
def scripted(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The small story with scripts planted in a hand-written page (the front page is generated)."""
    content = shutil.copytree(MINIMAL, tmp_path_factory.mktemp("scripted") / "content")
    home = content / "pages" / "about.md"
    home.write_text(
        PLANTED_PAGE + home.read_text(encoding="utf-8") + '\n<script>window.fromContent = "ran";</script>\n',
        encoding="utf-8",
    )
    build = mkdocs_build(content, tmp_path_factory.mktemp("scripted") / "site")
    assert build.result.returncode == 0, build.output
    return build


class _StaticSite(http.server.SimpleHTTPRequestHandler):
    """Serves a built site as GitHub Pages does: 404.html for an address with nothing there."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Run `handler` on 127.0.0.1 in a thread; gives the base address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("the browser tests need Chromium: apt-get install chromium chromium-driver (bash tests/run does)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    # A desktop window, so that the theme shows its navigation sidebar.
    flags = (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--window-size=1400,1000",
    )
    for flag in flags:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def serve_site(site: Path) -> contextlib.AbstractContextManager[str]:
    return serve(functools.partial(_StaticSite, directory=str(site)))


@pytest.fixture(scope="module")
def real_address(real_site: Build) -> Iterator[str]:
    with serve_site(real_site.site) as address:
        yield address


def first_id(kind: str) -> str:
    return sorted(path.stem for path in originals(REAL_CONTENT / kind))[0]


# One page of every template: the hand-written pages, each generated page, and the 404 page.
TEMPLATE_PAGES = [
    "",
    "about/",
    "timeline/",
    "who-said-what/",
    "incidents/",
    "statements/",
    "actors/",
    "glossary/",
    "sources/",
    *(f"{kind}/{first_id(kind)}/" for kind in ("incidents", "statements", "actors", "glossary")),
    "embed/timeline/",
    *(f"embed/{kind}/{first_id(kind)}/" for kind in ("incidents", "statements")),
    "no-such-page/",
]


def load(driver: webdriver.Chrome, address: str) -> list[dict]:
    """Open `address` once the theme's scripts ran; the console messages it logged."""
    driver.get_log("browser")  # forget what earlier pages logged
    driver.get(address)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    return driver.get_log("browser")


@pytest.mark.parametrize("url", TEMPLATE_PAGES)
def test_a_page_of_every_template_runs_without_a_policy_violation(
    browser: webdriver.Chrome, real_address: str, url: str
) -> None:
    messages = load(browser, real_address + url)
    violations = [m["message"] for m in messages if "Content Security Policy" in m["message"]]
    assert violations == [], violations
    errors = [
        m["message"]
        for m in messages
        if m["level"] == "SEVERE" and not (url == "no-such-page/" and "404" in m["message"])
    ]
    assert errors == [], errors
    # The theme's inline scripts ran: the first one defines __md_get for the others.
    assert browser.execute_script("return typeof __md_get") == "function"
    assert browser.find_element("css selector", "h1").text.strip()


def test_scripts_written_in_a_page_are_blocked_in_the_browser(browser: webdriver.Chrome, scripted: Build) -> None:
    with serve_site(scripted.site) as address:
        messages = load(browser, address + "about/")
    for variable in PLANTED:
        assert browser.execute_script(f"return window.{variable} === undefined"), variable
    assert browser.execute_script("return typeof __md_get") == "function"
    assert [m for m in messages if "Content Security Policy" in m["message"]], messages


def test_search_finds_a_page_in_the_browser(browser: webdriver.Chrome, real_address: str) -> None:
    term = load_story(REAL_CONTENT).get("glossary", first_id("glossary")).name
    load(browser, real_address)
    search = browser.find_element("css selector", "input.md-search__input")
    search.click()
    search.send_keys(term)
    # The results are drawn again after each key typed: read them once they have settled.
    results = WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: [
            (result.text, result.get_attribute("href"))
            for result in d.find_elements("css selector", ".md-search-result__item a")
            if term.casefold() in result.text.casefold()
        ]
    )
    assert all(href.startswith(real_address) for _, href in results), results
    messages = browser.get_log("browser")
    assert not [m for m in messages if m["level"] == "SEVERE"], messages


def test_navigation_leads_to_each_index_page_in_the_browser(browser: webdriver.Chrome, real_address: str) -> None:
    load(browser, real_address)
    nav = "nav.md-nav--primary > ul > li > a"
    labels = [link.text.strip() for link in browser.find_elements("css selector", nav)]
    assert "Timeline" in labels and "Sources" in labels, labels
    for label in labels:
        link = next(a for a in browser.find_elements("css selector", nav) if a.text.strip() == label)
        target = link.get_attribute("href")
        link.click()
        WebDriverWait(browser, 10).until(lambda d, target=target: d.current_url == target)
        assert browser.find_element("css selector", "article h1").text.strip(), label
        assert not [m for m in browser.get_log("browser") if m["level"] == "SEVERE"], label


# --- explainer build: nothing half-published --------------------------------------------------


def explainer(*arguments: str, content: Path | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if content is not None:
        env["EXPLAINER_CONTENT"] = str(content)
    return subprocess.run(
        [sys.executable, "-m", "explainer", *arguments], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() if path.is_file() else None
        for path in sorted(folder.rglob("*"))
    }


def old_site(tmp_path: Path) -> Path:
    site = tmp_path / "out" / "site"
    write_story(site, {"index.html": "<p>the last good build</p>", "old/marker.txt": "keep me"})
    return site


def broken_template_config(tmp_path: Path, content: Path) -> Path:
    """A mkdocs.yml like the project's whose theme override has a template error."""
    write_story(
        tmp_path / "overrides",
        {
            "main.html": '{% extends "base.html" %}\n'
            "{% block content %}{{ page.content | no_such_filter }}{% endblock %}\n"
        },
    )
    config = tmp_path / "broken.yml"
    config.write_text(
        f"site_name: Broken\ndocs_dir: {ROOT / 'site_src'}\nexclude_docs: /overrides/\n"
        f"theme:\n  name: material\n  custom_dir: {tmp_path / 'overrides'}\n"
        f"hooks:\n  - {ROOT / 'hooks' / 'explainer_hooks.py'}\nextra:\n  explainer:\n    content: {content}\n",
        encoding="utf-8",
    )
    return config


FAILURES = {  # stage -> (the story's change, words the output must hold)
    "content": ({"actors/northland.yml": "name: Northland\nkind: contry\n"}, ["northland.yml:2:", "'contry'"]),
    "strict-warning": ({"pages/index.md": "# Home\n\nSee [a page that is not there](missing.md).\n"}, ["missing.md"]),
    "broken-link": (
        {"pages/index.md": '# Home\n\n<a href="nowhere/">a</a> <a href="timeline/#no-such-anchor">b</a>\n'},
        ["/: nowhere/ (target does not exist)", "/: timeline/#no-such-anchor (no id 'no-such-anchor'"],
    ),
    "template": ({}, ["no_such_filter"]),
}


@pytest.mark.parametrize("stage", FAILURES)
def test_a_failed_build_leaves_the_old_site_byte_identical(tmp_path: Path, stage: str) -> None:
    changes, words = FAILURES[stage]
    content = write_story(shutil.copytree(MINIMAL, tmp_path / "content"), changes)
    site = old_site(tmp_path)
    before = snapshot(site)
    config = broken_template_config(tmp_path, content) if stage == "template" else ROOT / "mkdocs.yml"

    result = explainer("build", "--site", str(site), "-f", str(config), content=content, cwd=tmp_path)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert all(word in output for word in words), output
    assert f"{site} is unchanged" in output
    assert snapshot(site) == before
    assert sorted(path.name for path in site.parent.iterdir()) == ["site"], "the unfinished build was left behind"
    if stage != "template":
        assert "Traceback" not in output, output


def test_a_successful_build_replaces_the_old_site(tmp_path: Path) -> None:
    site = old_site(tmp_path)
    site.chmod(0o750)
    result = explainer("build", "--site", str(site), "-f", str(ROOT / "mkdocs.yml"), content=MINIMAL, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (site / "old").exists()
    assert "Content-Security-Policy" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "timeline" / "index.html").is_file()
    assert oct(site.stat().st_mode & 0o777) == oct(0o750)  # as readable as the site it replaced
    assert sorted(path.name for path in site.parent.iterdir()) == ["site"]


def test_a_first_build_creates_the_site(tmp_path: Path) -> None:
    site = tmp_path / "new" / "public"
    result = explainer("build", "--site", str(site), "-f", str(ROOT / "mkdocs.yml"), content=MINIMAL, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "index.html").is_file() and oct(site.stat().st_mode & 0o777) == oct(0o755)


# --- Links --------------------------------------------------------------------------------------


def test_mkdocs_build_fails_on_a_broken_internal_link(tmp_path: Path) -> None:
    changes, words = FAILURES["broken-link"]
    content = write_story(shutil.copytree(MINIMAL, tmp_path / "content"), changes)
    build = mkdocs_build(content, tmp_path / "site")
    assert build.result.returncode != 0
    assert all(word in build.output for word in words), build.output
    assert "broken links in the built site (2)" in build.output
    assert "Traceback" not in build.output


def test_the_built_sites_have_no_broken_links(real_site: Build, scripted: Build) -> None:
    assert broken_links(real_site.site) == [] and broken_links(scripted.site) == []


class _WebServer(http.server.BaseHTTPRequestHandler):
    """Answers like the web: /ok and /archived are there, /gone is gone, /no-head refuses HEAD."""

    def do_HEAD(self) -> None:
        self._answer(405 if self.path == "/no-head" else None)

    def do_GET(self) -> None:
        self._answer(None)

    def _answer(self, status: int | None) -> None:
        status = status or (200 if self.path in ("/ok", "/archived", "/no-head") else 404)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def web() -> Iterator[str]:
    with serve(_WebServer) as address:
        yield address


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def linking_site(folder: Path, web: str, unreachable: str) -> Path:
    return write_story(
        folder,
        {
            "index.html": f'<a href="{web}ok">ok</a> <a href="{web}gone">gone</a> '
            f'<a href="{web}no-head">no head</a> <a href="a/">inside</a>'
            f' <a rel="edit" href="{web}edit-link">edit</a> <link rel="stylesheet" href="{web}style-gone">',
            "a/index.html": f'<a href="{web}gone">gone again</a> <a href="{unreachable}">unreachable</a> '
            '<a href="mailto:x@example.org">mail</a>',
        },
    )


def test_web_links_are_the_anchors_of_every_page_but_edit_links(tmp_path: Path, web: str) -> None:
    unreachable = f"http://127.0.0.1:{closed_port()}/x"
    found = web_links(linking_site(tmp_path / "site", web, unreachable))
    assert found == {f"{web}gone": ["", "a/"], f"{web}no-head": [""], f"{web}ok": [""], unreachable: ["a/"]}


def test_dead_web_links_are_reported_with_an_archived_copy(tmp_path: Path, web: str) -> None:
    unreachable = f"http://127.0.0.1:{closed_port()}/x"
    links = web_links(linking_site(tmp_path / "site", web, unreachable))
    dead = {link.url: link for link in dead_web_links(links, {f"{web}gone": f"{web}archived"}, timeout=5)}
    assert set(dead) == {f"{web}gone", unreachable}
    assert dead[f"{web}gone"].reason == "HTTP 404" and dead[f"{web}gone"].pages == ("", "a/")
    assert dead[f"{web}gone"].suggestion == f"archived copy: {web}archived"
    assert dead[unreachable].reason.startswith("unreachable")
    assert dead[unreachable].suggestion == f"look for an archived copy: https://web.archive.org/web/*/{unreachable}"


def test_check_links_uses_the_sources_archive_url(tmp_path: Path, web: str, capsys: pytest.CaptureFixture[str]) -> None:
    content = shutil.copytree(MINIMAL, tmp_path / "content")
    source = content / "sources" / "coast-radio.yml"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        "\n".join(
            f'url: "{web}gone"'
            if line.startswith("url:")
            else f'archive_url: "{web}archived"'
            if line.startswith("archive_url:")
            else line
            for line in text.splitlines()
        )
        + "\n",
        encoding="utf-8",
    )
    site = write_story(
        tmp_path / "site", {"index.html": f'<a href="{web}gone">Coast Radio</a> <a href="{web}ok">ok</a>'}
    )

    assert check_links_command(site, content, timeout=5) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{web}gone: HTTP 404; linked from /; archived copy: {web}archived", "1 of 2 web links are dead"]


def test_check_links_passes_when_every_link_answers(
    tmp_path: Path, web: str, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_story(
        tmp_path / "site", {"index.html": f'<a href="{web}ok">ok</a> <a href="{web}no-head">no head</a>'}
    )
    assert check_links_command(site, MINIMAL, timeout=5) == 0
    assert capsys.readouterr().out.strip() == "all 2 web links answer"


def test_check_links_without_a_built_site_says_so(tmp_path: Path) -> None:
    result = explainer("check-links", "--site", str(tmp_path / "nothing"), "--content", str(MINIMAL), cwd=tmp_path)
    assert result.returncode == 1 and "no built site" in result.stderr and "Traceback" not in result.stderr
