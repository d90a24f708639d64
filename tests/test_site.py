"""The built site against the contract: pages and URLs, links, backlinks, timeline, dates,
glossary links, sources, edit links, the nav, and text that must never become markup.

Three stories are built, each once: the real story (`conftest.real_site`), the small
fixture story in `fixtures/minimal/` (inside the repository, so its edit links can be
checked) and the hostile story in `fixtures/hostile/`, copied outside the repository.
Expected values are computed from the YAML the test reads, never copied from the output.
"""

from __future__ import annotations

import calendar
import functools
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mkdocs
import pytest
import yaml
from babel.dates import get_month_names

from conftest import REAL_CONTENT, ROOT, Build, mkdocs_build, originals, own_language_pages, write_story
from explainer.content.folder import ID_PATTERN
from explainer.content.model import KINDS
from explainer.engine import link_check
from explainer.engine.link_check import broken_links
from explainer.site.urls import EMBEDS
from html_reading import Element, article, hrefs, links, page, resolve, sections

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
HOSTILE = FIXTURES / "hostile"

DETAIL_KINDS = ("incidents", "statements", "actors", "glossary")
NAME_FIELD = {"actors": "name", "incidents": "title", "glossary": "term", "sources": "title"}
TEXT_FIELDS = ("summary", "context", "damage", "definition")  # inline Markdown with [[refs]]
REF_FIELDS = {  # field -> kind of the entities it names, per kind
    "incidents": {"actors": "actors", "terms": "glossary", "sources": "sources"},
    "statements": {
        "speaker": "actors",
        "about": "incidents",
        "responds_to": "statements",
        "attributes_to": "actors",
        "sources": "sources",
    },
    "actors": {"member_of": "actors"},
    "glossary": {"sources": "sources"},
}
# The nav the contract allows, with the URL each entry must lead to.
NAV = [
    ("Home", ""),
    ("Timeline", "timeline/"),
    ("Who said what", "who-said-what/"),
    ("Map", "map/"),  # both stories the suite builds have incidents with coordinates
    ("Incidents", "incidents/"),
    ("Statements", "statements/"),
    ("Actors", "actors/"),
    ("Glossary", "glossary/"),
    ("Sources", "sources/"),
    ("Data", "data/"),
    ("What's new", "updates/"),
    ("Corrections", "corrections/"),
    ("About", "about/"),
]
INDEX_URLS = {url for _, url in NAV}

# --- Reading HTML -----------------------------------------------------------------------


def all_urls(build: Build) -> list[str]:
    urls = []
    for path in own_language_pages(build.site):
        folder = path.parent.relative_to(build.site).as_posix()
        urls.append("" if folder == "." else folder + "/")
    return urls


def fold(text: Any) -> str:
    return " ".join(str(text).replace("\u00b6", "").split())


def heading_text(node: Element) -> str:
    return fold(node.text())


def term_marked(node: Element, page_url: str) -> str:
    """Text of `node` with each glossary link written as ⟦text→glossary/id/⟧."""
    parts = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.tag == "a" and "explainer-term" in child.classes:
            parts.append(f"⟦{child.text()}→{resolve(page_url, child.attrs.get('href', ''))}⟧")
        else:
            parts.append(term_marked(child, page_url))
    return fold("".join(parts))


# --- Reading the YAML the site was built from --------------------------------------------

REF = re.compile(rf"\[\[\s*(\w+)/({ID_PATTERN.pattern})\s*(?:\|([^\]]*))?\]\]")


@dataclass
class Story:
    folder: Path
    entities: dict[str, dict[str, dict[str, Any]]]

    def ids(self, kind: str) -> list[str]:
        return sorted(self.entities[kind])

    def get(self, kind: str, id: str) -> dict[str, Any]:
        return self.entities[kind][id]

    def name(self, kind: str, id: str) -> str:
        data = self.get(kind, id)
        if kind == "statements":
            return f"{self.name('actors', data['speaker'])}, {reader_date(data['date'])}"
        return fold(data[NAME_FIELD[kind]])

    def plain(self, text: str) -> str:
        """A text field as readers read it: inline markup dropped, references by their label."""
        text = fold(text)
        text = re.sub(r"\[([^\[\]]+)\]\([^()\s]*\)", r"\1", text)
        text = text.replace("**", "").replace("*", "").replace("`", "")
        return REF.sub(lambda m: fold(m[3]) if m[3] else self.name(m[1], m[2]), text)

    def text_refs(self, data: dict[str, Any]) -> set[tuple[str, str]]:
        return {(m[1], m[2]) for field in TEXT_FIELDS if data.get(field) for m in REF.finditer(str(data[field]))}

    def field_refs(self, kind: str, data: dict[str, Any]) -> set[tuple[str, str]]:
        refs = set()
        for field, target_kind in REF_FIELDS[kind].items():
            value = data.get(field)
            for id in [value] if isinstance(value, str) else value or []:
                refs.add((target_kind, id))
        return refs

    def citing(self, source_id: str) -> set[tuple[str, str]]:
        """Entities that cite a source, in their `sources` field or with [[sources/id]]."""
        return {
            (kind, id)
            for kind in DETAIL_KINDS
            for id, data in self.entities[kind].items()
            if source_id in (data.get("sources") or []) or ("sources", source_id) in self.text_refs(data)
        }


@functools.cache
def read_story(folder: Path) -> Story:
    entities: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
    for kind in KINDS:
        for path in originals(folder / kind):
            entities[kind][path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Story(folder, entities)


def entity_url(kind: str, id: str) -> str:
    return f"sources/#{id}" if kind == "sources" else f"{kind}/{id}/"


def date_parts(iso: str) -> tuple[int, int, int]:
    parts = [int(part) for part in str(iso).split("-")]
    return (parts + [0, 0])[0], (parts + [0, 0])[1], (parts + [0, 0, 0])[2]


def reader_date(iso: str) -> str:
    """How the contract says a date reads: '14 November 2025', 'July 2025' or '2025'."""
    year, month, day = date_parts(iso)
    if day:
        return f"{day} {calendar.month_name[month]} {year}"
    if month:
        return f"{calendar.month_name[month]} {year}"
    return str(year)


# --- Builds --------------------------------------------------------------------------------


def build_fixture(content: Path, site: Path) -> Build:
    build = mkdocs_build(content, site)
    assert build.result.returncode == 0, build.output
    return build


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_fixture(MINIMAL, tmp_path_factory.mktemp("minimal") / "site")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Build:
    # Copied out of the repository: its pages must not get edit links to nowhere.
    content = shutil.copytree(HOSTILE, tmp_path_factory.mktemp("hostile") / "content")
    return build_fixture(content, tmp_path_factory.mktemp("hostile") / "site")


@dataclass
class Site:
    build: Build
    story: Story


@pytest.fixture(params=["real", "minimal"])
def site(request: pytest.FixtureRequest) -> Site:
    if request.param == "real":
        return Site(request.getfixturevalue("real_site"), read_story(REAL_CONTENT))
    return Site(request.getfixturevalue("minimal"), read_story(MINIMAL))


def test_fixture_stories_are_what_the_tests_assume() -> None:
    minimal = read_story(MINIMAL)
    # The timeline tests need a year-only item, a month-only item and two days in one month,
    # named so that ordering by name would put them in the wrong order.
    dates = {id: data["date"] for kind in ("incidents", "statements") for id, data in minimal.entities[kind].items()}
    assert dates["workers-strike"] == "2024" and dates["talks-collapse"] == "2024-03"
    assert dates["port-attack"] < dates["ambassador-summoned"] and minimal.name(
        "incidents", "port-attack"
    ) > minimal.name("incidents", "ambassador-summoned")
    assert minimal.name("incidents", "workers-strike") > minimal.name("incidents", "port-attack")
    assert minimal.name("incidents", "talks-collapse") > minimal.name("incidents", "port-attack")


# --- MkDocs and the build --------------------------------------------------------------


def test_installed_mkdocs_is_version_1() -> None:
    assert mkdocs.__version__.startswith("1."), mkdocs.__version__


def test_real_story_builds_strict_without_warnings(real_site: Build) -> None:
    assert real_site.result.returncode == 0
    assert "WARNING" not in real_site.output, real_site.output
    assert "ERROR" not in real_site.output, real_site.output


def test_fixture_story_builds_strict_without_warnings(minimal: Build) -> None:
    assert "WARNING" not in minimal.output, minimal.output


# --- The link checker ---------------------------------------------------------------------


def test_linkcheck_reports_every_kind_of_broken_link(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        {
            "index.html": """
            <html><head><link rel="stylesheet" href="style.css"></head><body id="top">
            <a href="a/">folder with index</a> <a href="a">folder without slash</a>
            <a href="a/#here">fragment that exists</a> <a href="#top">this page</a>
            <a href="https://example.org/missing/">web</a> <a href="mailto:x@example.org">mail</a>
            <img src="logo.png">
            <a href="missing/">missing folder</a> <a href="b/">folder without index.html</a>
            <a href="a/#nowhere">missing fragment</a> <a href="#gone">missing fragment here</a>
            <a href="../outside/">outside the site</a> <img src="missing.png">
            <a href="javascript:alert(1)">script</a>
            </body></html>
        """,
            "style.css": "body {}",
            "logo.png": "png",
            "a/index.html": '<h2 id="here">Here</h2><a href="..">up</a> <a href="../index.html#top">top</a> '
            '<a href="../a/">self</a>',
            "b/other.html": "<p>no index here</p>",
        },
    )
    problems = broken_links(tmp_path)
    assert all(": " in problem and problem.endswith(")") for problem in problems), problems
    reported = {problem.split(" (")[0] for problem in problems}
    assert reported == {
        "/: missing/",
        "/: b/",
        "/: a/#nowhere",
        "/: #gone",
        "/: ../outside/",
        "/: missing.png",
        "/: javascript:alert(1)",
    }


def test_linkcheck_finds_the_same_in_any_order_and_with_few_tags_kept(tmp_path: Path, monkeypatch) -> None:
    """Links to a page already read are settled as they are read, and the tags read are
    forgotten past a number: neither changes what is reported."""
    test_linkcheck_reports_every_kind_of_broken_link(tmp_path)
    expected = broken_links(tmp_path)
    monkeypatch.setattr(link_check, "_TAGS_KEPT", 2)
    pages = sorted(tmp_path.rglob("index.html"))
    for order in (pages, pages[::-1]):
        reader = link_check.LinkReader(tmp_path)
        for built in order:
            reader.read(built)
        assert reader.broken() == expected


def test_linkcheck_accepts_a_site_without_broken_links(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        {
            "index.html": '<a href="a/">a</a> <a href="a/#x">x</a> <span id="y"></span><a href="#y">y</a>',
            "a/index.html": '<p id="x"><a href="../">home</a> <a href="https://example.org/">web</a></p>',
        },
    )
    assert broken_links(tmp_path) == []


def test_real_site_has_no_broken_internal_links(real_site: Build) -> None:
    assert broken_links(real_site.site) == []


def test_fixture_site_has_no_broken_internal_links(minimal: Build) -> None:
    assert broken_links(minimal.site) == []


# --- Every entity has its page; the index pages list them ---------------------------------


def test_every_entity_has_its_page_at_its_url(site: Site) -> None:
    for kind in DETAIL_KINDS:
        assert site.story.ids(kind), f"the story has no {kind}"
        for id in site.story.ids(kind):
            h1 = article(page(site.build, f"{kind}/{id}/")).find("h1")
            assert h1 is not None and heading_text(h1) == site.story.name(kind, id), (kind, id)


@pytest.mark.parametrize("kind", DETAIL_KINDS)
def test_index_page_links_every_entity_of_its_kind(site: Site, kind: str) -> None:
    found = set(links(article(page(site.build, f"{kind}/")), f"{kind}/"))
    assert {f"{kind}/{id}/" for id in site.story.ids(kind)} <= found


def test_sources_page_has_every_source_by_id_with_its_link(site: Site) -> None:
    body = article(page(site.build, "sources/"))
    for id in site.story.ids("sources"):
        element = body.find(id=id)
        assert element is not None, f"no element with id={id} on /sources/"
        data = site.story.get("sources", id)
        assert data["url"] in hrefs(element)
        assert fold(data["title"]) in fold(element.text())
        assert fold(data["publisher"]) in fold(element.text())


# --- Timeline -------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    year: str | None
    month: str | None
    url: str  # the incident's or statement's page


def timeline_entries(build: Build) -> list[TimelineEntry]:
    body = article(page(build, "timeline/"))
    entries, year, month = [], None, None
    for child in body.elements():
        if child.tag == "h2":
            year, month = heading_text(child), None
        elif child.tag == "h3":
            month = heading_text(child)
        for li in [child] if child.tag == "li" else child.find_all("li"):
            targets = [url for url in links(li, "timeline/") if url.startswith(("incidents/", "statements/"))]
            if targets:
                # A statement's entry links its speaker first and its own page last.
                entries.append(TimelineEntry(year, month, targets[-1] if "statements/" in targets[-1] else targets[0]))
    return entries


def test_timeline_lists_every_incident_and_statement_once_with_a_link(site: Site) -> None:
    listed = [entry.url for entry in timeline_entries(site.build)]
    expected = [f"{kind}/{id}/" for kind in ("incidents", "statements") for id in site.story.ids(kind)]
    assert sorted(listed) == sorted(expected)


def test_timeline_is_oldest_first_under_year_and_month_headings(site: Site) -> None:
    entries = timeline_entries(site.build)
    dates = []
    for entry in entries:
        kind, id = entry.url.strip("/").split("/")
        year, month, day = date_parts(site.story.get(kind, id)["date"])
        dates.append((year, month, day))
        assert entry.year == str(year), (entry, "is under the wrong year heading")
        assert entry.month == (f"{calendar.month_name[month]} {year}" if month else None), (
            entry,
            "is under the wrong month heading",
        )
    assert dates == sorted(dates), "timeline is not oldest first, with vaguer dates first"


def test_timeline_puts_year_only_and_month_only_items_first(minimal: Build) -> None:
    entries = timeline_entries(minimal)
    year_2024 = [entry for entry in entries if entry.year == "2024"]
    march_2024 = [entry for entry in year_2024 if entry.month == "March 2024"]
    assert year_2024[0] == TimelineEntry("2024", None, "incidents/workers-strike/")  # date: "2024"
    assert march_2024[0].url == "incidents/talks-collapse/"  # date: "2024-03"
    assert {entry.url for entry in march_2024[1:]} >= {"incidents/port-attack/", "incidents/ambassador-summoned/"}
    headings = [
        (fold(h.text()), h.tag) for h in article(page(minimal, "timeline/")).elements() if h.tag in ("h2", "h3")
    ]
    assert [h for h in headings if h[0] in ("2024", "March 2024", "2025", "January 2025")] == [
        ("2024", "h2"),
        ("March 2024", "h3"),
        ("2025", "h2"),
        ("January 2025", "h3"),
    ]


# --- Who said what ---------------------------------------------------------------------------


def test_who_said_what_groups_statements_by_speaker(site: Site) -> None:
    by_heading = {
        heading_text(h): [url for node in after for url in links(node, "who-said-what/")]
        for h, after in sections(article(page(site.build, "who-said-what/")))
        if h.tag == "h3"
    }
    speakers = {data["speaker"] for data in site.story.entities["statements"].values()}
    for actor in speakers:
        name = site.story.name("actors", actor)
        assert name in by_heading, f"no section for speaker {name}"
        said = {
            f"statements/{id}/" for id, data in site.story.entities["statements"].items() if data["speaker"] == actor
        }
        assert {url for url in by_heading[name] if url.startswith("statements/")} == said, name


def test_who_said_what_has_a_table_per_incident(site: Site) -> None:
    story = site.story
    tables = {
        heading_text(h): next(
            (n if n.tag == "table" else n.find("table") for n in after if n.tag == "table" or n.find("table")), None
        )
        for h, after in sections(article(page(site.build, "who-said-what/")))
        if h.tag == "h3"
    }
    for incident in story.ids("incidents"):
        about = {id: data for id, data in story.entities["statements"].items() if incident in (data.get("about") or [])}
        if not about:
            continue
        table = tables.get(story.name("incidents", incident))
        assert table is not None, f"no table for incident {incident}"
        rows = {}
        for tr in table.find_all("tr"):
            cells = tr.elements("td")
            if cells:
                statement = [url for url in links(tr, "who-said-what/") if url.startswith("statements/")]
                assert len(statement) == 1 and len(cells) == 4, fold(tr.text())
                rows[statement[0].split("/")[1]] = cells
        assert set(rows) == set(about), incident
        for id, (speaker, date, words, blamed) in rows.items():
            data = about[id]
            assert links(speaker, "who-said-what/") == [f"actors/{data['speaker']}/"]
            assert fold(date.text()) == reader_date(data["date"])
            said = fold(data["quote"]) if data.get("quote") else story.plain(data["summary"])
            assert said in fold(words.text()), id
            assert set(links(blamed, "who-said-what/")) == {f"actors/{a}/" for a in data.get("attributes_to") or []}, id


# --- Every mention is a link; pages link back ------------------------------------------


def test_every_reference_is_a_link_on_the_page(site: Site) -> None:
    for kind in DETAIL_KINDS:
        for id, data in site.story.entities[kind].items():
            url = f"{kind}/{id}/"
            found = set(links(article(page(site.build, url)), url))
            external = set(hrefs(article(page(site.build, url))))
            for target_kind, target in site.story.field_refs(kind, data) | site.story.text_refs(data):
                # A source may be linked where it is listed (sources/#id) or at its own address.
                linked = entity_url(target_kind, target) in found or (
                    target_kind == "sources" and site.story.get("sources", target)["url"] in external
                )
                assert linked, f"{url} does not link {target_kind}/{target}"


def test_actor_page_lists_their_statements_and_incidents(site: Site) -> None:
    for actor in site.story.ids("actors"):
        found = set(links(article(page(site.build, f"actors/{actor}/")), f"actors/{actor}/"))
        said = {
            f"statements/{id}/" for id, data in site.story.entities["statements"].items() if data["speaker"] == actor
        }
        involved = {
            f"incidents/{id}/"
            for id, data in site.story.entities["incidents"].items()
            if actor in (data.get("actors") or [])
        }
        assert said | involved <= found, actor


def test_incident_page_lists_the_statements_about_it(site: Site) -> None:
    for incident in site.story.ids("incidents"):
        found = set(links(article(page(site.build, f"incidents/{incident}/")), f"incidents/{incident}/"))
        about = {
            f"statements/{id}/"
            for id, data in site.story.entities["statements"].items()
            if incident in (data.get("about") or [])
        }
        assert about <= found, incident


def test_term_page_lists_the_entities_that_name_it(site: Site) -> None:
    for term in site.story.ids("glossary"):
        found = set(links(article(page(site.build, f"glossary/{term}/")), f"glossary/{term}/"))
        named = {
            f"incidents/{id}/"
            for id, data in site.story.entities["incidents"].items()
            if term in (data.get("terms") or [])
        }
        assert named <= found, term


@pytest.mark.parametrize(
    ("term", "user", "words"),
    [
        ("drone-strike", "statements/berg-accusation/", "drone strike"),  # in its summary
        ("summoning", "statements/berg-accusation/", "summoned"),  # in its context
        ("drone", "glossary/drone-strike/", "drones"),  # in another term's definition
    ],
)
def test_term_page_lists_where_its_words_are_used(minimal: Build, term: str, user: str, words: str) -> None:
    kind, id = user.strip("/").split("/")
    data = read_story(MINIMAL).get(kind, id)
    assert re.search(rf"\b{words}\b", " ".join(str(data.get(field, "")) for field in TEXT_FIELDS))
    assert user in links(article(page(minimal, f"glossary/{term}/")), f"glossary/{term}/")


def test_sources_page_lists_what_cites_each_source(site: Site) -> None:
    body = article(page(site.build, "sources/"))
    for source in site.story.ids("sources"):
        element = body.find(id=source)
        assert element is not None, source
        found = set(links(element, "sources/"))
        assert {entity_url(kind, id) for kind, id in site.story.citing(source)} <= found, source


# --- Sources at the end of each page ------------------------------------------------------


def sources_section(build: Build, url: str) -> list[Element]:
    """The elements after the page's last h2, which must be the Sources heading."""
    h2s = [(h, after) for h, after in sections(article(page(build, url))) if h.tag == "h2"]
    assert h2s, f"/{url} has no sections"
    heading, after = h2s[-1]
    assert heading_text(heading) == "Sources", (
        f"/{url} does not end with its sources but with {heading_text(heading)!r}"
    )
    return after


def test_detail_pages_end_with_their_sources_linked(site: Site) -> None:
    checked = 0
    for kind in DETAIL_KINDS:
        for id, data in site.story.entities[kind].items():
            if not data.get("sources"):
                continue
            after = sources_section(site.build, f"{kind}/{id}/")
            found = {href for node in after for href in hrefs(node)}
            for source in data["sources"]:
                assert site.story.get("sources", source)["url"] in found, (kind, id, source)
            checked += 1
    assert checked


def test_source_details_in_sources_sections(minimal: Build) -> None:
    story = read_story(MINIMAL)
    text = fold(" ".join(node.text() for node in sources_section(minimal, "incidents/port-attack/")))
    for source in story.get("incidents", "port-attack")["sources"]:
        data = story.get("sources", source)
        assert fold(data["title"]) in text and fold(data["publisher"]) in text
        assert reader_date(data["published"]) in text
    archived = [href for node in sources_section(minimal, "incidents/port-attack/") for href in hrefs(node)]
    assert story.get("sources", "coast-radio")["archive_url"] in archived


def test_actor_pages_end_with_the_sources_of_their_statements_and_incidents(site: Site) -> None:
    checked = 0
    for actor in site.story.ids("actors"):
        mine = [
            data
            for kind in ("statements", "incidents")
            for data in site.story.entities[kind].values()
            if data.get("speaker") == actor or actor in (data.get("actors") or [])
        ]
        if not mine:
            continue
        found = {href for node in sources_section(site.build, f"actors/{actor}/") for href in hrefs(node)}
        for source in {source for data in mine for source in data["sources"]}:
            assert site.story.get("sources", source)["url"] in found, (actor, source)
        checked += 1
    assert checked


def test_detail_page_sources_include_the_sources_its_text_cites(site: Site) -> None:
    checked = 0
    for kind in DETAIL_KINDS:
        for id, data in site.story.entities[kind].items():
            cited = {target for target_kind, target in site.story.text_refs(data) if target_kind == "sources"}
            if not cited:
                continue
            found = {href for node in sources_section(site.build, f"{kind}/{id}/") for href in hrefs(node)}
            for source in cited:
                assert site.story.get("sources", source)["url"] in found, (kind, id, source)
            checked += 1
    assert checked


# --- Dates -----------------------------------------------------------------------------


MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}


def months_of(url: str) -> dict[str, int]:
    """The month names of the page's language, as Babel writes them alone and in a date."""
    language = url.split("/")[0]
    if len(language) != 2:
        return MONTHS
    return {
        name: number
        for context in ("format", "stand-alone")
        for number, name in get_month_names("wide", context, locale=language).items()
    }


def test_time_elements_never_show_more_than_is_known(site: Site) -> None:
    checked = 0
    for url in all_urls(site.build):
        months = months_of(url)
        for time in page(site.build, url).find_all("time"):
            year, month, day = date_parts(time.attrs["datetime"])
            text = fold(time.text())
            words = text.split()
            shown_months = [months[word] for word in words if word in months]
            numbers = [int(word) for word in words if word.isdigit()]
            assert shown_months in ([], [month]) and (month or not shown_months), (url, text, time.attrs)
            assert set(numbers) <= {year, day} - {0}, (url, text, time.attrs)
            if day:
                assert day in numbers and shown_months, (url, text)
            checked += 1
    assert checked


def test_entity_pages_show_dates_at_their_precision(site: Site) -> None:
    for kind in ("incidents", "statements"):
        for id, data in site.story.entities[kind].items():
            times = {
                t.attrs["datetime"]: fold(t.text()) for t in article(page(site.build, f"{kind}/{id}/")).find_all("time")
            }
            start, end = str(data["date"]), data.get("end_date")
            assert start in times, (kind, id)
            if end and str(end) != start:
                assert times[str(end)] == reader_date(end), (kind, id)
                shown = times[start]
                assert reader_date(start) == shown or reader_date(start).startswith(shown + " "), (kind, id, shown)
            else:
                assert times[start] == reader_date(start), (kind, id)


def test_source_dates_shown_at_their_precision(site: Site) -> None:
    body = article(page(site.build, "sources/"))
    for id, data in site.story.entities["sources"].items():
        if data.get("published"):
            times = [fold(t.text()) for t in body.find(id=id).find_all("time", datetime=str(data["published"]))]
            assert times == [reader_date(data["published"])], id


def test_no_day_is_invented_for_month_or_year_dates(site: Site) -> None:
    dates = [
        str(data[field])
        for kind in KINDS
        for data in site.story.entities[kind].values()
        for field in ("date", "end_date", "published")
        if data.get(field)
    ]
    known = {date_parts(iso) for iso in dates}
    typed = " ".join(path.read_text(encoding="utf-8") for path in site.story.folder.rglob("*.yml"))
    invented = set()
    for year, month, day in known:
        if day:
            continue
        first = month or 1  # the day a date library would make up
        if (year, first, 1) not in known:
            invented.add(rf"(?<!\d)0?1 {calendar.month_name[first]},? {year}\b")
        if not month and not any(k[:2] == (year, 1) for k in known):
            invented.add(rf"\bJanuary {year}\b")
    invented = {pattern for pattern in invented if not re.search(pattern, typed)}
    assert invented
    for url in all_urls(site.build):
        text = fold(article(page(site.build, url)).text())
        assert not [pattern for pattern in invented if re.search(pattern, text)], url


# --- Glossary links ------------------------------------------------------------------------


def summary_paragraph(build: Build, url: str, words: str) -> Element:
    found = [p for p in article(page(build, url)).find_all("p") if words in fold(p.text())]
    assert found, f"no paragraph with {words!r} on /{url}"
    return found[0]


def test_glossary_term_first_mention_is_linked_with_its_definition(minimal: Build) -> None:
    story = read_story(MINIMAL)
    paragraph = summary_paragraph(minimal, "incidents/port-attack/", "circulated online")
    assert "Then a ⟦drone→glossary/drone/⟧ struck the pier" in term_marked(paragraph, "incidents/port-attack/")
    link = next(
        a
        for a in paragraph.find_all("a", cls="explainer-term")
        if resolve("incidents/port-attack/", a.attrs["href"]) == "glossary/drone/"
    )
    definition = story.plain(story.get("glossary", "drone")["definition"])
    assert (
        definition == "An uncrewed aircraft, flown remotely; Northland flies many of them. "
        "A drone can carry a camera or explosives."
    )
    assert link.attrs["title"] == definition


def test_glossary_match_is_whole_word_case_insensitive_longest_first(minimal: Build) -> None:
    marked = term_marked(
        summary_paragraph(minimal, "incidents/port-attack/", "circulated online"), "incidents/port-attack/"
    )
    assert "on the dronezone app" in marked  # not a whole word
    assert "a ⟦Drone Strike→glossary/drone-strike/⟧ hit" in marked  # "drone strike" wins over "drone"


def test_glossary_term_not_linked_in_code_links_or_quotes(minimal: Build) -> None:
    paragraph = summary_paragraph(minimal, "incidents/port-attack/", "circulated online")
    marked = term_marked(paragraph, "incidents/port-attack/")
    assert "The word drone was the code name" in marked  # `drone`
    assert "A drone video circulated" in marked  # [drone video](https://...)
    assert 'spoke of "a drone incident" and of a “drone attack”.' in marked
    code = paragraph.find("code")
    assert code is not None and fold(code.text()) == "drone" and code.find("a") is None
    external = [a for a in paragraph.find_all("a") if a.attrs.get("href", "").startswith("https://example.org/video/")]
    assert len(external) == 1 and external[0].find("a") is None


def test_glossary_term_not_linked_in_quotes_around_emphasis(minimal: Build) -> None:
    paragraph = summary_paragraph(minimal, "statements/navy-denial/", "was not ours")
    assert "“the drone was not ours”" in term_marked(paragraph, "statements/navy-denial/")


def test_glossary_term_with_non_ascii_letters_is_linked(minimal: Build) -> None:
    paragraph = summary_paragraph(minimal, "statements/navy-denial/", "hasty")
    assert "⟦Außenministerium→glossary/aussenministerium/⟧" in term_marked(paragraph, "statements/navy-denial/")


def test_glossary_term_not_linked_on_its_own_page(site: Site) -> None:
    for term in site.story.ids("glossary"):
        url = f"glossary/{term}/"
        body = article(page(site.build, url))
        assert url not in {resolve(url, a.attrs["href"]) for a in body.find_all("a", cls="explainer-term")}, term
    if site.story.folder == MINIMAL:
        definition = summary_paragraph(site.build, "glossary/drone-strike/", "hard to attribute")
        assert "A drone strike can be hard to attribute" in term_marked(definition, "glossary/drone-strike/")


def test_glossary_links_never_inside_names_titles_links_quotes_or_code(site: Site) -> None:
    for url in all_urls(site.build):
        body = article(page(site.build, url))
        for a in body.find_all("a"):
            assert not any(node.tag == "a" for node in a.ancestors()), (url, "link inside a link", a)
        for term_link in body.find_all("a", cls="explainer-term"):
            inside = {node.tag for node in term_link.ancestors()}
            assert not inside & {"h1", "h2", "h3", "q", "blockquote", "code", "dt", "title"}, (
                url,
                term_link.text(),
                inside,
            )


def test_glossary_links_carry_the_plain_definition_as_tooltip(site: Site) -> None:
    checked = 0
    for url in all_urls(site.build):
        for a in article(page(site.build, url)).find_all("a", cls="explainer-term"):
            target = resolve(url, a.attrs["href"])
            assert target and target.startswith("glossary/"), (url, a)
            term = target.split("/")[1]
            assert a.attrs.get("title") == site.story.plain(site.story.get("glossary", term)["definition"]), (url, term)
            checked += 1
    assert checked


# --- Text from YAML is text, never markup ----------------------------------------------


def hostile_value(kind: str, id: str, path: tuple[Any, ...]) -> str:
    story = read_story(HOSTILE)
    value: Any = story.get(kind, id)
    for key in path:
        value = value[key]
    return story.plain(value) if path[-1] in TEXT_FIELDS else fold(value)


HOSTILE_SHOWN = [  # (kind, id, field path, page that shows it in its body)
    ("actors", "mallory", ("name",), "actors/mallory/"),
    ("actors", "mallory", ("role",), "actors/mallory/"),
    ("actors", "mallory", ("country",), "actors/mallory/"),
    ("actors", "mallory", ("aliases", 0), "actors/mallory/"),
    ("actors", "mallory", ("aliases", 1), "actors/mallory/"),
    ("actors", "mallory", ("summary",), "actors/mallory/"),
    ("actors", "mallory", ("links", 0, "title"), "actors/mallory/"),
    ("actors", "trent", ("country",), "actors/trent/"),
    ("actors", "trent", ("name",), "incidents/hostile-incident/"),
    ("incidents", "hostile-incident", ("title",), "timeline/"),
    ("incidents", "hostile-incident", ("title",), "who-said-what/"),
    ("incidents", "hostile-incident", ("location", "name"), "incidents/hostile-incident/"),
    ("incidents", "hostile-incident", ("summary",), "incidents/hostile-incident/"),
    ("incidents", "hostile-incident", ("damage",), "incidents/hostile-incident/"),
    ("statements", "hostile-statement", ("quote",), "statements/hostile-statement/"),
    ("statements", "hostile-statement", ("venue",), "statements/hostile-statement/"),
    ("statements", "hostile-statement", ("stance",), "statements/hostile-statement/"),
    ("statements", "hostile-statement", ("summary",), "statements/hostile-statement/"),
    ("statements", "hostile-statement", ("context",), "statements/hostile-statement/"),
    ("sources", "hostile-source", ("title",), "sources/"),
    ("sources", "hostile-source", ("publisher",), "sources/"),
    ("sources", "hostile-source", ("author",), "sources/"),
    ("glossary", "payload", ("category",), "glossary/payload/"),
    ("glossary", "payload", ("definition",), "glossary/payload/"),
]
HOSTILE_PIECES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{ config }}",
    "{% raw %}",
    '--8<-- "/etc/passwd"',
    "*emphasis*",
    "| a | b |",
    "# heading",
    "> quote",
]


def test_hostile_fixture_carries_every_piece() -> None:
    shown = " ".join(hostile_value(kind, id, path) for kind, id, path, _ in HOSTILE_SHOWN)
    assert all(piece in shown for piece in HOSTILE_PIECES)
    assert hostile_value("incidents", "hostile-incident", ("title",)).startswith("# heading")
    assert hostile_value("statements", "hostile-statement", ("quote",)).startswith("> quote")


@pytest.mark.parametrize(
    ("kind", "id", "path", "url"),
    HOSTILE_SHOWN,
    ids=lambda v: "-".join(map(str, v)) if isinstance(v, tuple) else str(v),
)
def test_hostile_text_is_shown_as_typed(hostile: Build, kind: str, id: str, path: tuple[Any, ...], url: str) -> None:
    body = fold(article(page(hostile, url)).text(skip={"h1"}))
    assert hostile_value(kind, id, path) in body


def test_hostile_text_adds_no_markup(hostile: Build) -> None:
    for url in all_urls(hostile):
        root = page(hostile, url)
        body = article(root)
        assert len(root.find_all("h1")) <= 1, url
        assert body.find("em") is None, url  # no `*emphasis*` became <em>
        cells = [fold(cell.text()) for tag in ("td", "th") for cell in body.find_all(tag)]
        assert "a" not in cells and "b" not in cells, url  # no `| a | b |` became a table
        headings = [fold(h.text()) for tag in ("h2", "h3", "h4", "h5", "h6") for h in body.find_all(tag)]
        assert not [h for h in headings if h.startswith(("heading", "quote"))], url
        assert not [b for b in body.find_all("blockquote") if fold(b.text()).startswith("quote")], url


def test_hostile_names_make_no_script_elements(hostile: Build) -> None:
    for url in all_urls(hostile):
        root = page(hostile, url)
        assert article(root).find("script") is None, url
        # JSON-LD is data, not a script: test_seo.py checks that nothing can break out of it.
        assert not [
            s for s in root.find_all("script") if "alert" in s.text() and s.attrs.get("type") != "application/ld+json"
        ], url


def test_hostile_text_makes_no_event_handler_attributes(hostile: Build) -> None:
    for url in all_urls(hostile):
        for node in page(hostile, url).iter():
            handlers = [name for name, _ in node.attr_list if name.startswith("on")]
            assert not handlers, (url, node)


def test_hostile_page_headings_show_names_as_typed(hostile: Build) -> None:
    story = read_story(HOSTILE)
    for kind in DETAIL_KINDS:
        for id in story.ids(kind):
            h1 = article(page(hostile, f"{kind}/{id}/")).find("h1")
            assert h1 is not None and fold(h1.text()) == story.name(kind, id), (kind, id)


def test_hostile_text_makes_no_javascript_urls(hostile: Build) -> None:
    assert "javascript:alert(1)" in fold(article(page(hostile, "statements/hostile-statement/")).text())
    for url in all_urls(hostile):
        for node in page(hostile, url).iter():
            for name in ("href", "src", "action", "formaction"):
                assert not node.attrs.get(name, "").strip().lower().startswith("javascript:"), (url, node)


def test_hostile_text_is_not_run_as_a_template(hostile: Build) -> None:
    # `{{ config }}` would print the MkDocs configuration; `--8<--` would paste a file.
    for url in all_urls(hostile):
        text = article(page(hostile, url)).text()
        assert "site_name" not in text and "root:" not in text, url


# --- Edit links -------------------------------------------------------------------------


def edit_link(build: Build, url: str) -> str | None:
    found = [
        a
        for a in page(build, url).find_all("a")
        if a.attrs.get("rel") == "edit" or "Edit this page" in a.attrs.get("title", "")
    ]
    assert len(found) <= 1, url
    return found[0].attrs["href"] if found else None


def test_edit_link_on_a_generated_page_opens_its_yaml(site: Site) -> None:
    folder = site.story.folder.relative_to(ROOT).as_posix()
    for kind in DETAIL_KINDS:
        for id in site.story.ids(kind):
            href = edit_link(site.build, f"{kind}/{id}/")
            assert href is not None and href.endswith(f"/edit/main/{folder}/{kind}/{id}.yml"), (kind, id, href)


def test_every_edit_link_opens_a_file_of_the_repository(real_site: Build, minimal: Build, hostile: Build) -> None:
    checked = 0
    for build in (real_site, minimal, hostile):
        for url in all_urls(build):
            href = edit_link(build, url)
            if href is None:
                continue
            assert "/edit/main/" in href, href
            path = href.split("/edit/main/", 1)[1]
            assert ".." not in path.split("/") and (ROOT / path).is_file(), (url, href)
            checked += 1
    assert checked


def test_story_outside_the_repository_gets_no_edit_links(hostile: Build) -> None:
    story = read_story(HOSTILE)
    for kind in DETAIL_KINDS:
        for id in story.ids(kind):
            assert edit_link(hostile, f"{kind}/{id}/") is None, (kind, id)


# --- The nav ---------------------------------------------------------------------------------


def primary_nav(root: Element) -> Element:
    nav = root.find("nav", cls="md-nav--primary")
    assert nav is not None
    return nav


def nav_entries(root: Element, url: str) -> list[tuple[str, str | None]]:
    top = primary_nav(root).find("ul", cls="md-nav__list")
    entries = []
    for li in top.elements("li"):
        a = li.elements("a")[0]
        entries.append((fold(a.text()), resolve(url, a.attrs["href"])))
    return entries


def navigated_urls(build: Build) -> list[str]:
    """Every page but the embeds, which are for other sites' iframes and have no nav (test_embeds.py)."""
    return [url for url in all_urls(build) if not url.startswith(EMBEDS)]


def test_nav_lists_exactly_the_index_pages(site: Site) -> None:
    for url in navigated_urls(site.build):
        assert nav_entries(page(site.build, url), url) == NAV, url


def test_detail_pages_stay_out_of_the_nav(site: Site) -> None:
    urls = navigated_urls(site.build)
    assert any(url.startswith("incidents/") and url != "incidents/" for url in urls)
    for url in urls:
        nav = primary_nav(page(site.build, url))
        # Links with a path, not the `#fragment` links of the current page's table of contents.
        targets = {
            resolve(url, href).split("#")[0]
            for href in hrefs(nav)
            if not href.startswith("#") and resolve(url, href) is not None
        }
        assert targets <= INDEX_URLS, (url, targets - INDEX_URLS)


# --- Ids that collide with MkDocs' own names ---------------------------------------------


def test_entity_id_index_gets_its_own_page(tmp_path: Path) -> None:
    from explainer.content.problems import ContentError
    from explainer.content.story import load_story

    content = shutil.copytree(MINIMAL, tmp_path / "content")
    shutil.copy(content / "incidents" / "blockade.yml", content / "incidents" / "index.yml")
    with pytest.raises(ContentError, match="index"):
        load_story(content)
