"""Following the story: the updates of story.yml, the Atom and JSON feeds of each language, the
/updates/ page, the feed links in every page's head, and the pages' dates from git.

The stories are built from a temporary git repository whose commits have known dates, and the
feeds are read as a feed reader reads them (feedparser) and checked against the published JSON
Feed 1.1 schema (SchemaStore's, in tests/schemas/)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import pytest
import referencing
import yaml
from referencing.jsonschema import DRAFT4

from conftest import ROOT, Build, mkdocs_build, write_story
from html_reading import read

SCHEMAS = ROOT / "tests" / "schemas"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
SITE_URL = "https://example.org/story/"

FIRST, SECOND, THIRD = "2025-01-10T09:00:00+00:00", "2025-02-20T09:00:00+00:00", "2025-03-05T09:00:00+00:00"
STORY = """\
title: The harbour story
standfirst: A story in two languages.
languages: [en, ru]
updates:
  - date: 2025-01-10
    text: First published.
"""
UPDATE = """\
  - date: 2025-03-05
    text: The mayor's statement added.
"""
FIRST_FILES = {
    "story.yml": STORY,
    "story.ru.yml": "title: История гавани\nstandfirst: История на двух языках.\n",
    "actors/anna-berg.yml": "name: Anna Berg\nkind: person\nrole: Mayor\n",
    "actors/anna-berg.ru.yml": "name: Анна Берг\nrole: Мэр\n",
    "sources/gazette.yml": "title: Harbour news\npublisher: The Gazette\nurl: https://example.org/a\n",
    "incidents/port-fire.yml": """\
        title: Fire at the port
        date: 2025-01-09
        summary: A fire broke out at noon, [[sources/gazette|the Gazette]] reports.
        sources: [gazette]
        """,
    "incidents/port-fire.ru.yml": "title: Пожар в порту\nsummary: В полдень начался пожар.\n",
}
CORRECTION = """\
corrections:
  - date: 2025-02-20
    text: The fire began at night, not at noon.
"""
STATEMENT = """\
speaker: anna-berg
date: 2025-02-19
summary: Berg said the fire was set on purpose.
about: [port-fire]
sources: [gazette]
"""


def git(folder: Path, *arguments: str, date: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", *arguments],
        cwd=folder,
        env={**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date},
        check=True,
        capture_output=True,
    )


def commit(folder: Path, message: str, date: str) -> None:
    git(folder, "add", ".", date=date)
    git(folder, "commit", "-q", "-m", message, date=date)


def history_story(folder: Path) -> Path:
    """The harbour story in a repository of three commits: the first publication; the
    statement and the incident's correction; the update that says so."""
    write_story(folder, FIRST_FILES)
    git(folder, "init", "-q", date=FIRST)
    commit(folder, "first", FIRST)
    write_story(folder, {"statements/berg-blames.yml": STATEMENT})
    with (folder / "incidents" / "port-fire.yml").open("a", encoding="utf-8") as incident:
        incident.write(CORRECTION)
    commit(folder, "statement and correction", SECOND)
    (folder / "story.yml").write_text(STORY + UPDATE, encoding="utf-8")
    commit(folder, "update", THIRD)
    return folder


def build(content: Path, site: Path, site_url: str | None = None) -> Build:
    with pytest.MonkeyPatch.context() as patch:
        if site_url:
            patch.setenv("EXPLAINER_SITE_URL", site_url)  # mkdocs.yml's site_url
        built = mkdocs_build(content, site)
    assert built.result.returncode == 0, built.output
    return built


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Build:
    folder = history_story(tmp_path_factory.mktemp("feeds") / "content")
    return build(folder, folder.parent / "site", SITE_URL)


def atom(site: Path, prefix: str = "") -> Any:
    parsed = feedparser.parse((site / prefix / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def json_feed(site: Path, prefix: str = "") -> dict[str, Any]:
    return json.loads((site / prefix / "feed.json").read_text(encoding="utf-8"))


# What the story's history makes, newest first: (day, page, words in the entry). Two
# changes of one day may come in any order.
EXPECTED = [
    ("2025-03-05", "", "The mayor's statement added."),
    ("2025-02-20", "incidents/port-fire/", "The fire began at night, not at noon."),
    ("2025-02-20", "statements/berg-blames/", "Berg said the fire was set on purpose."),
    ("2025-01-10", "", "First published."),
    ("2025-01-10", "actors/anna-berg/", "Mayor"),
    ("2025-01-10", "sources/#gazette", "Harbour news"),
    ("2025-01-10", "incidents/port-fire/", "A fire broke out at noon, the Gazette reports."),
]


def by_day(entries: list[tuple[str, str, str]]) -> list[tuple[str, list[tuple[str, str]]]]:
    days: dict[str, list[tuple[str, str]]] = {}
    for day, link, text in entries:
        days.setdefault(day, []).append((link, text))
    return [(day, sorted(items)) for day, items in days.items()]


def test_the_atom_feed_lists_every_change_newest_first(story: Build) -> None:
    feed = atom(story.site)
    entries = [(entry.updated[:10], entry.link.removeprefix(SITE_URL), entry.summary) for entry in feed.entries]
    assert by_day(entries) == by_day(EXPECTED)
    assert [day for day, _, _ in entries] == sorted((day for day, _, _ in entries), reverse=True)
    assert feed.feed.title == "The harbour story" and feed.feed.language == "en"
    assert feed.feed.updated[:10] == "2025-03-05"


def test_the_json_feed_lists_the_same_entries_with_the_same_ids(story: Build) -> None:
    feed, entries = json_feed(story.site), atom(story.site).entries
    items = feed["items"]
    assert [item["id"] for item in items] == [entry.id for entry in entries]
    assert [(item["url"], item["title"], item["content_text"]) for item in items] == [
        (entry.link, entry.title, entry.summary) for entry in entries
    ]
    assert len({item["id"] for item in items}) == len(EXPECTED)
    assert feed["feed_url"] == SITE_URL + "feed.json" and feed["home_page_url"] == SITE_URL


def schema_validator() -> jsonschema.Draft4Validator:
    schemas = {name: json.loads((SCHEMAS / name).read_text(encoding="utf-8")) for name in ("feed.json", "feed-1.json")}
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        (schema["id"], DRAFT4.create_resource(schema)) for schema in schemas.values()
    )
    return jsonschema.Draft4Validator(
        schemas["feed.json"], registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


@pytest.mark.parametrize("prefix", ["", "ru"])
def test_the_json_feed_is_valid_json_feed_1_1(story: Build, prefix: str) -> None:
    feed = json_feed(story.site, prefix)
    schema_validator().validate(feed)
    # What the 1.1 spec requires beyond the schema: the version, and an id and a content per item.
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert all(item["id"] and ("content_text" in item or "content_html" in item) for item in feed["items"])


def test_the_schema_check_can_fail() -> None:
    with pytest.raises(jsonschema.ValidationError):
        schema_validator().validate({"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": [{}]})


def test_the_russian_feeds_have_russian_titles_and_links_under_ru(story: Build) -> None:
    feed, english = atom(story.site, "ru"), atom(story.site)
    assert feed.feed.title == "История гавани" and feed.feed.language == "ru"
    assert len(feed.entries) == len(EXPECTED)
    assert all(entry.link.startswith(SITE_URL + "ru/") for entry in feed.entries)
    titles = " ".join(entry.title for entry in feed.entries)
    assert "Пожар в порту" in titles and "Анна Берг" in titles
    assert not {entry.id for entry in feed.entries} & {entry.id for entry in english.entries}
    assert [item["id"] for item in json_feed(story.site, "ru")["items"]] == [entry.id for entry in feed.entries]


def test_an_entry_keeps_its_id_in_the_next_build(story: Build, tmp_path: Path) -> None:
    folder = shutil.copytree(story.site.parent / "content", tmp_path / "content")
    (folder / "story.yml").write_text(
        STORY + UPDATE + "  - date: 2025-04-01\n    text: A later update.\n", encoding="utf-8"
    )
    commit(folder, "another update", "2025-04-01T09:00:00+00:00")
    later = build(folder, tmp_path / "site", SITE_URL)
    before, after = [entry.id for entry in atom(story.site).entries], [entry.id for entry in atom(later.site).entries]
    assert after[1:] == before
    assert atom(later.site).entries[0].summary == "A later update."


def test_a_site_without_history_has_no_first_publication_entries(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "content", {**FIRST_FILES, "statements/berg-blames.yml": STATEMENT})
    with (folder / "incidents" / "port-fire.yml").open("a", encoding="utf-8") as incident:
        incident.write(CORRECTION)
    built = build(folder, tmp_path / "site")
    entries = [(entry.updated[:10], entry.link, entry.summary) for entry in atom(built.site).entries]
    assert entries == [
        ("2025-02-20", "incidents/port-fire/", "The fire began at night, not at noon."),
        ("2025-01-10", "./", "First published."),
    ]
    assert [item["url"] for item in json_feed(built.site, "ru")["items"]] == ["incidents/port-fire/", "./"]
    listed = read(built.site / "updates" / "index.html").find("ul", cls="explainer-updates")
    assert len(listed.find_all("li")) == 2


def head_feeds(page: Path) -> dict[str, str]:
    links = read(page).find_all("link", rel="alternate")
    return {link.attrs["type"]: link.attrs["href"] for link in links if "type" in link.attrs}


@pytest.mark.parametrize(
    ("url", "prefix"), [("", ""), ("incidents/port-fire/", ""), ("ru/", "ru/"), ("ru/actors/anna-berg/", "ru/")]
)
def test_every_page_links_the_feeds_of_its_language(story: Build, url: str, prefix: str) -> None:
    page = story.site / url / "index.html"
    feeds = head_feeds(page)
    for kind, name in (("application/atom+xml", "feed.xml"), ("application/feed+json", "feed.json")):
        assert (page.parent / feeds[kind]).resolve() == (story.site / prefix / name).resolve()
    titles = [link.attrs["title"] for link in read(page).find_all("link", rel="alternate") if "type" in link.attrs]
    expected_title = "История гавани" if prefix else "The harbour story"
    assert len(titles) == 2 and all(title.startswith(expected_title) for title in titles)


def test_the_updates_page_lists_every_change_with_its_date_and_a_link(story: Build) -> None:
    page = read(story.site / "updates" / "index.html")
    items = page.find("ul", cls="explainer-updates").find_all("li")
    assert len(items) == len(EXPECTED)
    assert [item.find("time").attrs["datetime"] for item in items] == [day for day, _, _ in by_day_flat()]
    links = {(item.find("time").attrs["datetime"], item.find("a").attrs["href"]) for item in items}
    assert links == {(day, "../" + link) for day, link, _ in EXPECTED}
    hrefs = [link.attrs["href"] for link in page.find_all("a")]
    assert "../feed.xml" in hrefs and "../feed.json" in hrefs
    front = [link.attrs["href"] for link in read(story.site / "index.html").find_all("a")]
    assert "updates/" in front


def by_day_flat() -> list[tuple[str, str, str]]:
    return [(day, link, text) for day, items in by_day(EXPECTED) for link, text in items]


def page_dates(build: Build, url: str) -> tuple[str | None, dict[str, Any]]:
    page = read(build.site / url / "index.html")
    updated = page.find("span", cls="explainer-changed")
    json_ld = json.loads(page.find("script", type="application/ld+json").text())
    return (updated.find("time").attrs["datetime"] if updated else None), json_ld


def test_a_page_changed_after_its_first_publication_says_when(story: Build) -> None:
    updated, json_ld = page_dates(story, "incidents/port-fire/")
    assert updated == "2025-02-20"
    assert (json_ld["datePublished"], json_ld["dateModified"]) == ("2025-01-10", "2025-02-20")
    updated, json_ld = page_dates(story, "actors/anna-berg/")
    assert updated is None
    assert (json_ld["datePublished"], json_ld["dateModified"]) == ("2025-01-10", "2025-01-10")


# --- Hostile text -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Build:
    folder = shutil.copytree(HOSTILE, tmp_path_factory.mktemp("hostile") / "content")
    git(folder, "init", "-q", date=FIRST)
    commit(folder, "hostile", FIRST)
    return build(folder, folder.parent / "site")


def hostile_texts() -> list[str]:
    story = yaml.safe_load((HOSTILE / "story.yml").read_text(encoding="utf-8"))
    incident = yaml.safe_load((HOSTILE / "incidents" / "hostile-incident.yml").read_text(encoding="utf-8"))
    return [item["text"] for item in story["updates"] + incident["corrections"]]


def test_hostile_text_comes_out_of_the_feeds_as_text(hostile: Build) -> None:
    raw = (hostile.site / "feed.xml").read_text(encoding="utf-8")
    assert "<script" not in raw and "<img" not in raw
    feed = atom(hostile.site)
    summaries = [entry.summary for entry in feed.entries]
    assert all(" ".join(text.split()) in summaries for text in hostile_texts())
    for entry in feed.entries:  # feedparser's sanitised HTML of each text
        for detail in (entry.summary_detail, entry.title_detail):
            assert "<script" not in feedparser.sanitizer._sanitize_html(detail.value, "utf-8", "text/html")
    assert any(entry.title.startswith("New: # heading <script>") for entry in feed.entries)  # a name, as typed
    items = json_feed(hostile.site)["items"]
    assert [item["content_text"] for item in items] == summaries
    schema_validator().validate(json_feed(hostile.site))


def test_hostile_text_on_the_updates_page_is_text(hostile: Build) -> None:
    listed = read(hostile.site / "updates" / "index.html").find("ul", cls="explainer-updates")
    assert not listed.find_all("script") and not listed.find_all("img")
    text = " ".join(listed.text().split())
    assert all(" ".join(hostile_text.split()) in text for hostile_text in hostile_texts())
