"""A long story: listings longer than a page go by year, and a year too long for a page by
month, those parts staying out of the nav and the search index; each source gets a page of
what cites it. One synthetic story, built once, is long
enough for every one of those splits (the first test checks that it is).
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import Build, mkdocs_build
from explainer.commands.synth import write_story
from explainer.content.story import Entity, Story, load_story
from explainer.engine.link_check import broken_links
from explainer.site.plan import PAGE_ENTRIES
from html_reading import Element, article, links, page, resolve, sections
from test_site import heading_text

SIZE, YEARS = 1_600, 2  # some 640 incidents and statements a year: the timeline goes by month
LISTINGS = {"timeline/": ("incidents", "statements"), "incidents/": ("incidents",), "statements/": ("statements",)}


@pytest.fixture(scope="module")
def long_story(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Story]:
    folder = tmp_path_factory.mktemp("long")
    write_story(SIZE, folder / "content", years=YEARS)
    build = mkdocs_build(folder / "content", folder / "site")
    assert build.result.returncode == 0, build.output
    return build, load_story(folder / "content")


def page_of(entity: Entity) -> str:
    """The page an entity has, `statements/<id>/`: the address the issue promised."""
    return f"{entity.kind}/{entity.id}/"


def parts(build: Build, url: str) -> list[str]:
    """The year or month pages an index page links to, in order."""
    body = article(page(build, url))
    return [target for ul in body.find_all("ul", cls="explainer-parts") for target in links(ul, url)]


def walk(build: Build, url: str) -> list[tuple[str, list[str]]]:
    """Each page of a listing from its entry page down, in reading order, with the ids
    (`incidents-x`) of the entries it lists: a page's own entries come before its parts',
    as a year's vaguer dates come before its months."""
    entries = [li.attrs["id"] for li in article(page(build, url)).find_all("li", cls="explainer-entry")]
    return [(url, entries)] + [found for part in parts(build, url) for found in walk(build, part)]


def statement_links(node: Element, url: str) -> list[str]:
    """The "(statement)" link of each statement shown, not references in its words."""
    return [resolve(url, a.attrs["href"]) for a in node.find_all("a") if a.text() == "statement"]


def test_the_story_is_long_enough_for_every_split(long_story: tuple[Build, Story]) -> None:
    _, story = long_story
    per_year = Counter(entity.date.year for kind in ("incidents", "statements") for entity in story.all(kind))
    incidents = Counter(entity.date.year for entity in story.all("incidents"))
    assert len(story.all("incidents")) > PAGE_ENTRIES and len(story.all("statements")) > PAGE_ENTRIES
    assert min(per_year.values()) > PAGE_ENTRIES, per_year  # every year of the timeline goes by month
    assert max(incidents.values()) <= PAGE_ENTRIES, incidents  # a year of incidents fits a page


def test_the_long_site_has_no_broken_links(long_story: tuple[Build, Story]) -> None:
    build, _ = long_story
    assert broken_links(build.site) == []


@pytest.mark.parametrize("url", LISTINGS)
def test_a_split_listing_shows_every_entry_once_in_order_on_pages_of_bounded_length(
    long_story: tuple[Build, Story], url: str
) -> None:
    build, story = long_story
    pages = walk(build, url)
    assert len(pages) > 1 and pages[0][1] == [], "the entry page lists parts, not entries"
    for part_url, entries in pages:
        assert len(entries) <= PAGE_ENTRIES, part_url
    shown = [entry for _, entries in pages for entry in entries]
    expected = sorted(
        (entity for kind in LISTINGS[url] for entity in story.all(kind)),
        key=lambda entity: (entity.date, entity.name.casefold(), entity.id),
    )
    assert Counter(shown) == Counter(f"{entity.kind}-{entity.id}" for entity in expected)
    dates = [story.get(*entry.split("-", 1)).date for entry in shown]
    assert dates == sorted(dates), "oldest first across the pages, vaguer dates first"


def test_parts_are_years_then_months_with_the_one_page_anchors(long_story: tuple[Build, Story]) -> None:
    build, story = long_story
    years = sorted({entity.date.year for entity in story.all("incidents")})
    assert parts(build, "timeline/") == [f"timeline/{year}/" for year in years]
    entry = article(page(build, "timeline/"))
    for year in years:  # /timeline/#y2025 still lands on 2025, as on the one-page timeline
        anchor = entry.find(id=f"y{year}")
        assert anchor is not None and links(anchor, "timeline/") == [f"timeline/{year}/"]
    months = parts(build, f"timeline/{years[-1]}/")
    assert months and all(url.startswith(f"timeline/{years[-1]}/") and url.count("/") == 3 for url in months)
    first_month = months[0].split("/")[2]
    assert article(page(build, f"timeline/{years[-1]}/")).find(id=f"y{years[-1]}-{first_month}") is not None
    assert heading_text(article(page(build, months[0])).find("h1")).startswith("Timeline: ")
    assert parts(build, "incidents/") == [f"incidents/by-year/{year}/" for year in years]
    assert parts(build, "incidents/by-year/2025/") == []  # a year of incidents fits a page


def test_the_embedded_timeline_shows_the_years_as_the_timelines_entry_page_does(
    long_story: tuple[Build, Story],
) -> None:
    build, _ = long_story
    years = parts(build, "timeline/")
    assert len(years) == YEARS
    assert parts(build, "embed/timeline/") == years
    assert article(page(build, "embed/timeline/")).find_all("li", cls="explainer-entry") == []


def test_part_pages_stay_out_of_the_nav(long_story: tuple[Build, Story]) -> None:
    build, _ = long_story
    for url in ("timeline/", "timeline/2025/", "incidents/by-year/2025/"):
        nav = [
            target for node in page(build, url).find_all("nav") for target in links(node, url) if "#" not in target
        ]  # not the page's own contents
        assert "timeline/" in nav and not [target for target in nav if "/20" in target], (url, nav)


def test_who_said_what_shows_each_incident_and_speaker_with_their_statements(long_story: tuple[Build, Story]) -> None:
    build, story = long_story
    tables: dict[str, set[str]] = {}
    speakers: Counter[tuple[str, str]] = Counter()
    for url, _ in walk(build, "who-said-what/"):
        for heading, after in sections(article(page(build, url))):
            statements = [target for node in after for target in statement_links(node, url)]
            if heading.attrs.get("id", "").startswith("incident-"):
                assert heading.attrs["id"] not in tables, f"{heading.attrs['id']} twice"
                tables[heading.attrs["id"]] = set(statements)
            elif heading.attrs.get("id", "").startswith("speaker-"):
                speakers.update((heading.attrs["id"], statement) for statement in statements)
    for incident in story.all("incidents"):
        claims = {page_of(statement) for statement in story.referrers(incident, "statements", "about")}
        assert tables.get(f"incident-{incident.id}", set()) == claims, incident.id
    assert speakers == Counter(
        (f"speaker-{statement.fields['speaker']}", page_of(statement)) for statement in story.all("statements")
    )


def test_each_source_has_a_page_of_what_cites_it(long_story: tuple[Build, Story]) -> None:
    build, story = long_story
    index = article(page(build, "sources/"))
    for source in story.all("sources"):
        entry = index.find(id=source.id)
        assert entry is not None and page_of(source) in links(entry, "sources/"), source.id
        citing = {
            page_of(entity)
            for kind in ("incidents", "statements", "glossary", "actors")
            for entity in story.referrers(source, kind)
        }
        assert citing and citing <= set(links(article(page(build, page_of(source))), page_of(source))), source.id


def test_detail_pages_link_a_source_to_its_page_of_citations(long_story: tuple[Build, Story]) -> None:
    build, story = long_story
    incident: Entity = story.all("incidents")[0]
    found = links(article(page(build, page_of(incident))), page_of(incident))
    for source_id in incident.fields["sources"]:
        assert f"sources/{source_id}/" in found, source_id


def test_years_and_months_stay_out_of_the_search_index(long_story: tuple[Build, Story]) -> None:
    build, story = long_story
    index = json.loads((build.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages = {document["location"].split("#")[0] for document in index["docs"]}
    assert {"timeline/", "who-said-what/", "incidents/", page_of(story.all("statements")[0])} <= pages
    assert not [page for page in pages if "/20" in page], "a year or month page is in the search index"
