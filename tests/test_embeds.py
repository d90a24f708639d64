"""Embeds: the timeline, an incident's claims and a statement's quote card in another site's
iframe, in every language, without the site's header, navigation, search or footer, kept out
of search engines, under the site's security policy, and sized to their content by /embed.js.

The story is built twice, with and without a site address (the "Embed this" code is absolute
only with one). The browser tests serve the site on 127.0.0.1 and a host page on `localhost`,
another origin, as a newsroom's article would be.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Build, mkdocs_build, write_story
from explainer.site import catalogs
from html_reading import Element, article, page, parse, resolve
from test_a11y import axe, violations  # noqa: F401  (a fixture)
from test_hardening import browser, first_in_head, policy_of, scripts, serve_site, sha256  # noqa: F401
from test_readers import at_width, screenshot

SITE_URL = "https://example.org/story/"
HOSTILE = 'Port attack <script>window.pwned = 1</script> & "quotes"'
EARLY = 24  # incidents in 2024, so that 2025 starts well below the first screen

STORY = {
    "story.yml": """\
        title: The harbour dispute
        standfirst: Two sides blame each other for an attack on a harbour.
        languages: [en, ru]
        """,
    "actors/anna-berg.yml": "name: Anna Berg\nkind: person\nrole: Mayor of Northport\n",
    "actors/navy.yml": "name: Northland navy\nkind: institution\n",
    "sources/gazette.yml": "title: Harbour attacked\npublisher: Harbour Gazette\nurl: https://example.org/gazette\n",
    "incidents/port-attack.yml": f"""\
        title: '{HOSTILE.replace("'", "''")}'
        date: 2025-03-01
        summary: The port was attacked, the Harbour Gazette reports.
        sources: [gazette]
        status: disputed
        actors: [navy]
        """,
    "statements/berg-accusation.yml": """\
        speaker: anna-berg
        date: 2025-03-02
        sources: [gazette]
        quote: The navy fired first.
        quote_language: ru
        quote_original: Флот выстрелил первым.
        about: [port-attack]
        attributes_to: [navy]
        """,
    "statements/navy-denial.yml": """\
        speaker: navy
        date: 2025-03-03
        sources: [gazette]
        summary: The navy denied any part in the attack.
        about: [port-attack]
        attributes_to: [anna-berg]
        """,
    **{
        f"incidents/drill-{month:02d}-{day}.yml": f"""\
            title: Harbour drill {month}-{day}
            date: 2024-{month:02d}-{day:02d}
            summary: The navy held a drill in the harbour, the Harbour Gazette reports.
            sources: [gazette]
            """
        for month in range(1, 13)
        for day in (3, 17)
    },
}
EMBEDS = ["embed/timeline/", "embed/incidents/port-attack/", "embed/statements/berg-accusation/"]
FULL_PAGES = {"embed/timeline/": "timeline/", **{url: url.removeprefix("embed/") for url in EMBEDS[1:]}}
EVERY_EMBED = [prefix + url for prefix in ("", "ru/") for url in EMBEDS]


def build_story(folder: Path, site_url: str | None) -> Build:
    write_story(folder / "content", STORY)
    with pytest.MonkeyPatch.context() as patch:
        if site_url:
            patch.setenv("EXPLAINER_SITE_URL", site_url)
        else:
            patch.delenv("EXPLAINER_SITE_URL", raising=False)
        build = mkdocs_build(folder / "content", folder / "site")
    assert build.result.returncode == 0, build.output
    return build


@pytest.fixture(scope="module")
def addressed(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The story built with a site address."""
    return build_story(tmp_path_factory.mktemp("addressed"), SITE_URL)


@pytest.fixture(scope="module")
def unaddressed(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The story built without one, as `mkdocs build` without EXPLAINER_SITE_URL is."""
    return build_story(tmp_path_factory.mktemp("unaddressed"), None)


# --- The pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", EVERY_EMBED)
def test_an_embed_has_the_story_but_no_header_nav_search_or_footer(addressed: Build, url: str) -> None:
    embed = page(addressed, url)
    full = page(addressed, url.replace("embed/", ""))
    for name in ("md-header", "md-sidebar", "md-nav", "md-search", "md-footer"):
        assert full.find(cls=name) is not None, f"the full page has no {name}: the test looks for the wrong thing"
        assert embed.find(cls=name) is None, f"{url} has a {name}"
    assert article(embed).find("h1") is not None


@pytest.mark.parametrize("url", EVERY_EMBED)
def test_an_embed_says_noindex_and_carries_the_sites_policy(addressed: Build, url: str) -> None:
    embed = page(addressed, url)
    assert [tag.attrs["content"] for tag in embed.find_all("meta", name="robots")] == ["noindex"]
    assert page(addressed, url.replace("embed/", "")).find("meta", name="robots") is None
    first = first_in_head(embed)
    assert first is not None and first.attrs.get("http-equiv") == "Content-Security-Policy"
    policy = policy_of(embed)
    inline = [text for attrs, text in scripts(embed) if "src" not in attrs and attrs.get("type") != "application/json"]
    assert sorted(policy["script-src"][1:]) == sorted({sha256(text) for text in inline})
    assert policy["default-src"] == ["'self'"]
    external = [attrs["src"] for attrs, _ in scripts(embed) if "src" in attrs]
    assert any(src.endswith("assets/embed-frame.js") for src in external), external


@pytest.mark.parametrize("url", EVERY_EMBED)
def test_an_embed_leads_to_its_full_page_in_the_whole_window(addressed: Build, url: str) -> None:
    embed = page(addressed, url)
    more = article(embed).find(cls="explainer-embed__more")
    assert more is not None
    link = more.find("a")
    assert link is not None and link.attrs["target"] == "_top"
    prefix = url.partition("embed/")[0]
    assert resolve(url, link.attrs["href"]) == prefix + FULL_PAGES[url.removeprefix(prefix)]
    assert [base.attrs for base in embed.find_all("base")] == [{"target": "_top"}]


def test_a_full_page_is_no_embed(addressed: Build) -> None:
    for url in FULL_PAGES.values():
        assert page(addressed, url).find("base") is None
        assert article(page(addressed, url)).find(cls="explainer-embed__more") is None


@pytest.mark.parametrize("url", EVERY_EMBED)
def test_an_embeds_other_languages_are_embeds(addressed: Build, url: str) -> None:
    alternates = {
        link.attrs["hreflang"]: link.attrs["href"]
        for link in page(addressed, url).find_all("link", rel="alternate")
        if "hreflang" in link.attrs
    }
    own = url.removeprefix("ru/")
    assert alternates == {"en": SITE_URL + own, "ru": SITE_URL + "ru/" + own, "x-default": SITE_URL + own}


def test_embeds_and_their_code_are_not_in_any_search_index(addressed: Build) -> None:
    for index in ("search/search_index.json", "ru/search/search_index.json"):
        docs = json.loads((addressed.site / index).read_text())["docs"]
        locations = [doc["location"] for doc in docs]
        assert any(location.startswith("incidents/port-attack/") for location in locations), index
        assert not [location for location in locations if "embed/" in location], index
        # Nor is the code every page offers to embed it: a search for "iframe" would find them all.
        assert not [doc["location"] for doc in docs if "iframe" in doc["text"] or "Embed this" in doc["text"]]


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_embeds_are_not_in_any_sitemap_and_the_others_keep_their_languages(addressed: Build) -> None:
    for sitemap, language in (("sitemap.xml", "en"), ("ru/sitemap.xml", "ru")):
        root = ElementTree.parse(addressed.site / sitemap).getroot()
        entries = {
            entry.findtext(f"{SITEMAP}loc"): {
                link.attrib["hreflang"]: link.attrib["href"] for link in entry.findall(f"{XHTML}link")
            }
            for entry in root.findall(f"{SITEMAP}url")
        }
        assert not [address for address in entries if "/embed/" in address], sitemap
        own = SITE_URL + ("" if language == "en" else "ru/") + "incidents/port-attack/"
        assert entries[own] == {
            "en": SITE_URL + "incidents/port-attack/",
            "ru": SITE_URL + "ru/incidents/port-attack/",
            "x-default": SITE_URL + "incidents/port-attack/",
        }


def test_the_quote_card_has_the_quote_its_speaker_date_attribution_and_source(addressed: Build) -> None:
    card = article(page(addressed, "embed/statements/berg-accusation/"))
    text = card.text()
    assert card.find("blockquote").text() == "The navy fired first."
    for words in ("Translated from Russian", "Anna Berg", "Mayor of Northport", "2 March 2025", "Northland navy"):
        assert words in text
    sources = card.find("ol", cls="explainer-sources")
    assert [a.text() for a in sources.find_all("a") if a.attrs["href"].startswith("https:")] == ["Harbour attacked"]


def test_the_incident_embed_sets_the_claims_side_by_side(addressed: Build) -> None:
    embed = article(page(addressed, "embed/incidents/port-attack/"))
    assert embed.find("h1").text() == HOSTILE
    sides = embed.find("div", cls="explainer-dispute").find_all("section", cls="explainer-dispute__side")
    blamed = [side.find("p", cls="explainer-dispute__blame").text() for side in sides]
    assert blamed == ["Holds responsible: Northland navy", "Holds responsible: Anna Berg"]
    assert "The navy fired first." in sides[0].text()
    assert embed.find("script") is None


def test_the_timeline_embed_shows_every_year(addressed: Build) -> None:
    embed = article(page(addressed, "embed/timeline/"))
    assert [h2.attrs["id"] for h2 in embed.find_all("h2", cls="explainer-period")] == ["y2024", "y2025"]
    assert len(embed.find_all("li", cls="explainer-entry")) == EARLY + 3


# --- "Embed this" -----------------------------------------------------------------------------


def embed_code(build: Build, url: str) -> Element:
    """The code a page offers to embed it, as a reader copies it, read as HTML."""
    details = article(page(build, url)).find("details", cls="explainer-embed-this")
    assert details is not None, f"no 'Embed this' on {url}"
    language = url.split("/")[0] if url.startswith("ru/") else "en"
    assert details.find("summary").text() == catalogs.translations(language).gettext("Embed this")
    code = details.find("pre").find("code")
    assert [child.tag for child in code.elements()] == [], "the code must be text, not elements"
    return parse(code.text())


@pytest.mark.parametrize("url", [*FULL_PAGES.values(), *("ru/" + url for url in FULL_PAGES.values())])
def test_each_page_offers_the_code_of_its_embed_with_absolute_addresses(addressed: Build, url: str) -> None:
    code = embed_code(addressed, url)
    frame, script = code.find("iframe"), code.find("script")
    prefix = "ru/" if url.startswith("ru/") else ""
    assert frame.attrs["src"] == SITE_URL + prefix + "embed/" + url.removeprefix(prefix)
    assert frame.attrs["loading"] == "lazy" and frame.attrs["width"] == "100%" and frame.attrs["title"]
    assert script.attrs.keys() == {"src", "async"} and script.attrs["src"] == SITE_URL + "embed.js"


def test_the_codes_title_is_escaped_as_the_html_it_is_shown_as(addressed: Build) -> None:
    code = embed_code(addressed, "incidents/port-attack/")
    assert code.find("iframe").attrs["title"] == HOSTILE
    assert [element.tag for element in code.elements()] == ["iframe", "script"]


def test_without_a_site_address_the_code_says_what_to_put_in_front(unaddressed: Build) -> None:
    code = embed_code(unaddressed, "statements/berg-accusation/")
    assert code.find("iframe").attrs["src"] == "embed/statements/berg-accusation/"
    assert code.find("script").attrs["src"] == "embed.js"
    offer = article(page(unaddressed, "statements/berg-accusation/")).find("details", cls="explainer-embed-this")
    note = offer.find("p", cls="explainer-note")
    assert "site_url" in note.text()
    assert article(page(unaddressed, "embed/timeline/")).find("details") is None


# --- In the browser ---------------------------------------------------------------------------

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>A newsroom's article</title></head>
<body style="margin: 0 1rem; font-family: sans-serif">
<h1>An article</h1>
<p style="height: 300px">The reporting, before the embeds.</p>
{codes}
<p style="height: 1500px">The reporting, after them.</p>
<script>
  window.heard = [];
  window.addEventListener("message", (event) => window.heard.push({{origin: event.origin, data: event.data}}));
</script>
</body></html>
"""
# A page of the host's origin: in a frame the embed script knows, it claims a height.
IMPOSTOR = """<!doctype html><html lang="en"><head><title>Not the embed</title></head><body>
<script>setInterval(() => parent.postMessage({explainer: "embed", height: 7, anchor: 0}, "*"), 50);</script>
</body></html>"""


@contextlib.contextmanager
def host_site(folder: Path, codes: list[str]) -> Iterator[str]:
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(HOST_PAGE.format(codes="\n".join(codes)), encoding="utf-8")
    (folder / "impostor.html").write_text(IMPOSTOR, encoding="utf-8")
    with serve_site(folder) as address:
        yield address.replace("127.0.0.1", "localhost")  # another origin than the site's


@pytest.fixture(scope="module")
def served(unaddressed: Build) -> Iterator[str]:
    with serve_site(unaddressed.site) as address:
        yield address


@pytest.fixture(scope="module")
def host(unaddressed: Build, served: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The host page: the incident's code and the timeline's, as the pages offer them, with the
    site's address put in front of theirs, the timeline's leading to 2025."""
    codes = [
        article(page(unaddressed, url))
        .find("pre")
        .find("code")
        .text()
        .replace('src="', f'src="{served}')
        .replace('embed/timeline/"', 'embed/timeline/#y2025"')
        for url in ("incidents/port-attack/", "timeline/")
    ]
    with host_site(tmp_path_factory.mktemp("host"), codes) as address:
        yield address


def frames(driver: webdriver.Chrome) -> list:
    return driver.find_elements(By.TAG_NAME, "iframe")


def settled(driver: webdriver.Chrome, address: str) -> None:
    """Open the host page and wait until both frames were sized."""
    driver.get(address)
    WebDriverWait(driver, 15).until(lambda d: all(frame.get_attribute("style") for frame in frames(d)))
    time.sleep(0.5)  # the last ResizeObserver round


def content_height(driver: webdriver.Chrome, frame) -> float:
    driver.switch_to.frame(frame)
    try:
        return driver.execute_script("return document.documentElement.scrollHeight")
    finally:
        driver.switch_to.default_content()


@pytest.mark.parametrize("width", [360, 1280])
def test_each_frame_takes_its_contents_height(browser: webdriver.Chrome, host: str, width: int) -> None:
    at_width(browser, width, host)
    settled(browser, host)
    for frame in frames(browser):
        height = browser.execute_script("return arguments[0].getBoundingClientRect().height", frame)
        assert height != 600, "the frame kept the code's height"
        assert abs(height - content_height(browser, frame)) <= 3
    browser.execute_script("arguments[0].scrollIntoView()", frames(browser)[0])
    screenshot(browser, f"embed-incident-in-an-article-{width}", "iframe")


def test_a_deep_link_scrolls_the_host_to_the_year(browser: webdriver.Chrome, host: str) -> None:
    at_width(browser, 1280, host)
    settled(browser, host)
    timeline = frames(browser)[1]
    frame_top = browser.execute_script("return arguments[0].getBoundingClientRect().top", timeline)
    browser.switch_to.frame(timeline)
    heading_top = browser.execute_script("return document.getElementById('y2025').getBoundingClientRect().top")
    browser.switch_to.default_content()
    assert heading_top > 900, "2025 must start below the first screen for the test to mean anything"
    assert 0 <= frame_top + heading_top < browser.execute_script("return innerHeight") / 2
    assert browser.execute_script("return scrollY") > 900


def test_the_frames_send_only_a_height_and_an_offset(browser: webdriver.Chrome, host: str, served: str) -> None:
    at_width(browser, 1280, host)
    settled(browser, host)
    heard = browser.execute_script("return window.heard")
    from_site = [message["data"] for message in heard if message["origin"] + "/" == served]
    assert from_site, "no message from the embeds"
    assert all(set(data) <= {"explainer", "height", "anchor"} for data in from_site), from_site
    assert any("anchor" in data for data in from_site)


def test_a_message_from_another_origin_is_ignored(browser: webdriver.Chrome, host: str) -> None:
    at_width(browser, 1280, host)
    settled(browser, host)
    incident = frames(browser)[0]
    before = browser.execute_script("return arguments[0].style.height", incident)
    # The host page itself, and then a page of its origin inside the embed's own frame.
    browser.execute_script("window.postMessage({explainer: 'embed', height: 9}, '*')")
    browser.switch_to.frame(incident)
    browser.execute_script("location.href = arguments[0]", host + "impostor.html")
    browser.switch_to.default_content()
    WebDriverWait(browser, 10).until(
        lambda d: any(message["data"].get("height") == 7 for message in d.execute_script("return window.heard"))
    )
    time.sleep(0.3)
    assert browser.execute_script("return arguments[0].style.height", incident) == before
    assert before not in ("7px", "9px")


def test_an_embed_opened_by_itself_goes_to_its_anchor(browser: webdriver.Chrome, served: str) -> None:
    at_width(browser, 1280, served + "embed/timeline/#y2025")
    top = browser.execute_script("return document.getElementById('y2025').getBoundingClientRect().top")
    assert 0 <= top < browser.execute_script("return innerHeight") and browser.execute_script("return scrollY") > 0


@pytest.mark.parametrize("url", EMBEDS)
@pytest.mark.parametrize("width", [360, 1280])
def test_an_embed_has_no_accessibility_violation(
    browser: webdriver.Chrome, served: str, axe: str, url: str, width: int
) -> None:
    at_width(browser, width, served + url)
    assert violations(browser, axe) == []
    if url == EMBEDS[2]:
        screenshot(browser, f"embed-statement-{width}")
