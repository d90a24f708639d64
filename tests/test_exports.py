"""The open data every build writes under /data/: it parses, it matches the committed schema
and the YAML it comes from, and the TimelineJS3 and GeoJSON files have what their readers need.

Expected values come from the YAML, read here with PyYAML, never from the code under test.
"""

from __future__ import annotations

import copy
import csv
import html
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from built_stories import (
    FIXTURES,
    BuiltStory,
    built,  # noqa: F401 (the fixture)
    fold,
)
from conftest import Build, write_story
from explainer.content.model import KINDS
from explainer.content.story import load_story
from explainer.data.editor_schemas import EXPORT_SCHEMA
from explainer.data.open_data import Site, export_files, kind_csv
from html_reading import EVERY_TAG, attribute_values, ids, parse, read, tags

CSV_FILES = [f"{kind}.csv" for kind in KINDS]
JSON_FILES = ["explainer.json", "explainer.schema.json", "timeline.json", "incidents.geojson"]
PRECISION = {4: "year", 7: "month", 10: "day"}  # by the length of the date as typed
FORMULA_STARTS = ("=", "+", "-", "@")


# --- Every file is there and parses -----------------------------------------------------------


def test_every_data_file_is_published_and_parses(built: BuiltStory):
    for name in JSON_FILES:
        assert isinstance(built.data(name), dict), name
    for kind in KINDS:
        assert len(built.rows(kind)) == len(built.story[kind]), kind


def test_the_data_page_links_to_every_data_file(real_site: Build):
    links = every_href(real_site.html("data/"))
    for name in JSON_FILES + CSV_FILES:
        assert name in links, name
        assert (real_site.site / "data" / name).is_file()


def every_href(html: str) -> list[str]:
    """Each `href` in the HTML, on any element: a <link> to a file counts as a link to it."""
    return attribute_values(parse(html, raw_text=EVERY_TAG), "href")


# --- explainer.json ---------------------------------------------------------------------------


def committed_schema() -> dict[str, Any]:
    return json.loads(EXPORT_SCHEMA.read_text(encoding="utf-8"))


def test_explainer_json_matches_the_committed_schema(built: BuiltStory):
    validator = jsonschema.Draft7Validator(committed_schema())
    assert [error.message for error in validator.iter_errors(built.data("explainer.json"))] == []
    assert (built.site / "data" / "explainer.schema.json").read_bytes() == EXPORT_SCHEMA.read_bytes()


@pytest.mark.parametrize(
    "break_it",
    [
        lambda data: data["incidents"][0]["date"].pop("precision"),
        lambda data: data["incidents"][0].update(invented="x"),
        lambda data: data["statements"][0].pop("speaker"),
        lambda data: data["actors"][0].update(kind="alien"),
        lambda data: data.update(schema_version="0.1"),
    ],
)
def test_the_schema_rejects_what_the_format_does_not_allow(real_site: Build, break_it):
    data = copy.deepcopy(json.loads((real_site.site / "data" / "explainer.json").read_text(encoding="utf-8")))
    break_it(data)
    assert list(jsonschema.Draft7Validator(committed_schema()).iter_errors(data))


def matches(typed: Any, exported: Any) -> bool:
    """Whether an exported value is the YAML value `typed`, in the export's shapes."""
    if isinstance(exported, dict) and set(exported) == {"iso", "precision"}:
        return exported == {"iso": str(typed), "precision": PRECISION[len(str(typed))]}
    if isinstance(exported, dict) and set(exported) == {"markdown", "text"}:
        return exported["markdown"] == fold(typed) and "[[" not in exported["text"]
    if isinstance(exported, dict):
        return all(matches(typed[key], value) if key in typed else value is None for key, value in exported.items())
    if isinstance(exported, list):
        return len(typed) == len(exported) and all(matches(a, b) for a, b in zip(typed, exported, strict=False))
    if isinstance(exported, (int, float)):
        return float(typed) == exported
    return exported == fold(typed)


def test_explainer_json_holds_every_entity_as_typed(built: BuiltStory):
    data = built.data("explainer.json")
    for kind in KINDS:
        records = {record["id"]: record for record in data[kind]}
        assert sorted(records) == sorted(built.story[kind]), kind
        for id, typed in built.story[kind].items():
            record = records[id]
            assert built.serves(record["page_url"]), record["page_url"]
            fields = {key: value for key, value in record.items() if key not in ("id", "page_url")}
            assert set(typed) <= set(fields), (kind, id)
            assert matches(typed, fields), (kind, id)


def test_every_entity_of_a_kind_has_the_same_keys(built: BuiltStory):
    data = built.data("explainer.json")
    for kind in KINDS:
        assert len({tuple(record) for record in data[kind]}) <= 1, kind


def test_with_a_site_url_every_address_is_absolute(tmp_path: Path):
    url = "https://example.org/story/"
    files = export_files(load_story(FIXTURES / "minimal"), Site("Story", "", url))
    data = json.loads(files["data/explainer.json"])
    assert data["site_url"] == url
    assert all(record["page_url"].startswith(url) for kind in KINDS for record in data[kind])
    slides = json.loads(files["data/timeline.json"])["events"]
    assert all(f'href="{url}' in slide["text"]["text"] for slide in slides)
    features = json.loads(files["data/incidents.geojson"])["features"]
    assert features and all(feature["properties"]["url"].startswith(url) for feature in features)


# --- CSV --------------------------------------------------------------------------------------


def expected_cells(column: str, value: Any) -> dict[str, str]:
    """The CSV cells of one exported JSON value, as the Data page describes them."""
    if isinstance(value, dict) and set(value) == {"iso", "precision"}:
        return {column: value["iso"], f"{column}_precision": value["precision"]}
    if isinstance(value, dict) and set(value) == {"markdown", "text"}:
        return {column: inert(value["text"]), f"{column}_markdown": inert(value["markdown"])}
    if isinstance(value, dict):
        return {
            name: cell for key, item in value.items() for name, cell in expected_cells(f"{column}_{key}", item).items()
        }
    if isinstance(value, list) and value and isinstance(value[0], dict):
        items = [expected_cells(column, item) for item in value]
        return {name: "\n".join(item[name] for item in items) for name in items[0]}
    if isinstance(value, list):
        return {column: "\n".join(inert(item) for item in value)}
    if isinstance(value, (int, float)):
        return {column: str(value)}
    return {column: "" if value is None else inert(value)}


def inert(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def test_csv_rows_are_the_entities_of_explainer_json(built: BuiltStory):
    data = built.data("explainer.json")
    for kind in KINDS:
        rows = built.rows(kind)
        assert [row["id"] for row in rows] == [record["id"] for record in data[kind]], kind
        for row, record in zip(rows, data[kind], strict=False):
            for key, value in record.items():
                cells = expected_cells(key, value)
                if value is None:  # the columns of an absent field are all empty
                    cells = {name: "" for name in row if name == key or name.startswith(f"{key}_")}
                assert {name: row[name] for name in cells} == cells, (kind, record["id"], key)


def test_csv_columns_follow_the_model_whatever_the_content(built: BuiltStory, tmp_path: Path):
    empty_story = load_story(write_story(tmp_path, {}))  # a story.yml and no entity
    for kind in KINDS:
        header = (built.site / "data" / f"{kind}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.startswith("id,page_url,")
        assert kind_csv(empty_story, kind, Site("", "", None)).splitlines() == [header], kind


def test_spreadsheet_formulas_stay_text_but_numbers_keep_their_sign(tmp_path: Path):
    folder = write_story(
        tmp_path / "story",
        {
            "sources/s.yml": "title: T\npublisher: P\nurl: https://example.org/s\n",
            "incidents/i.yml": """
            title: '=HYPERLINK("https://evil.example", "click")'
            date: "2024"
            summary: '@SUM(1+1) and -2'
            location: {name: '+place', lat: -33.5, lon: -70.25}
            sources: [s]
            """,
        },
    )
    [row] = csv.DictReader(io.StringIO(kind_csv(load_story(folder), "incidents", Site("", "", None))))
    assert row["title"] == "'" + '=HYPERLINK("https://evil.example", "click")'
    assert row["summary"] == "'@SUM(1+1) and -2" and row["summary_markdown"] == "'@SUM(1+1) and -2"
    assert row["location_name"] == "'+place"
    assert (row["location_lat"], row["location_lon"]) == ("-33.5", "-70.25")


# --- timeline.json: TimelineJS3 ---------------------------------------------------------------


def timeline_entries(built: BuiltStory) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        f"{kind}-{id}": (kind, typed) for kind in ("incidents", "statements") for id, typed in built.story[kind].items()
    }


def timeline_date(typed: Any) -> dict[str, int]:
    return dict(zip(("year", "month", "day"), (int(part) for part in str(typed).split("-")), strict=False))


def test_timeline_json_has_what_timelinejs3_requires(built: BuiltStory):
    timeline = built.data("timeline.json")
    assert isinstance(timeline["title"]["text"]["headline"], str)
    events = timeline["events"]
    assert isinstance(events, list) and events, "TimelineJS3 refuses a timeline without events"
    for event in events:
        assert isinstance(event["start_date"]["year"], int)
        for date in (event["start_date"], event.get("end_date", {"year": 1})):
            assert set(date) <= {"year", "month", "day"} and all(isinstance(part, int) for part in date.values())
            assert 1 <= date.get("month", 1) <= 12 and 1 <= date.get("day", 1) <= 31
        assert isinstance(event["text"]["headline"], str) and isinstance(event["text"]["text"], str)
        assert isinstance(event["display_date"], str) and event["display_date"]
    ids = [event["unique_id"] for event in events]
    assert len(set(ids)) == len(ids)


def test_timeline_has_every_entry_at_the_precision_known(built: BuiltStory):
    entries = timeline_entries(built)
    events = {event["unique_id"]: event for event in built.data("timeline.json")["events"]}
    assert set(events) == set(entries)
    for unique_id, (kind, typed) in entries.items():
        event = events[unique_id]
        assert event["group"] == kind.capitalize()
        assert event["start_date"] == timeline_date(typed["date"]), unique_id
        end = typed.get("end_date")
        if end is not None and str(end) != str(typed["date"]):
            assert event["end_date"] == timeline_date(end), unique_id
        else:
            assert "end_date" not in event, unique_id


def test_timeline_slides_are_anchors_of_the_site_timeline(built: BuiltStory):
    anchors = ids(read(built.site / "timeline" / "index.html"))
    for event in built.data("timeline.json")["events"]:
        assert event["unique_id"] in anchors


def test_timeline_text_is_escaped_html(built: BuiltStory):
    """TimelineJS3 shows headline and text as HTML: ours may hold a paragraph and a link only."""
    entries = timeline_entries(built)
    for event in built.data("timeline.json")["events"]:
        kind, typed = entries[event["unique_id"]]
        headline = parse(event["text"]["headline"], raw_text=EVERY_TAG)
        assert tags(headline) == set() and not attribute_values(headline, "href")
        text = parse(event["text"]["text"], raw_text=EVERY_TAG)
        text_links = attribute_values(text, "href")
        assert tags(text) <= {"p", "a"} and len(text_links) == 1
        assert built.serves(text_links[0]), text_links[0]
        if kind == "incidents":
            assert html.unescape(event["text"]["headline"]) == fold(typed["title"])


# --- incidents.geojson ------------------------------------------------------------------------


def test_geojson_has_a_point_per_located_incident_longitude_first(built: BuiltStory):
    geojson = built.data("incidents.geojson")
    assert geojson["type"] == "FeatureCollection"
    located = {
        id: typed
        for id, typed in built.story["incidents"].items()
        if {"lat", "lon"} <= set(typed.get("location") or {})
    }
    features = {feature["properties"]["id"]: feature for feature in geojson["features"]}
    assert set(features) == set(located)
    for id, typed in located.items():
        feature = features[id]
        assert feature["type"] == "Feature"
        assert feature["geometry"] == {
            "type": "Point",
            "coordinates": [typed["location"]["lon"], typed["location"]["lat"]],
        }
        properties = feature["properties"]
        assert properties["title"] == fold(typed["title"]) and properties["date"] == str(typed["date"])
        assert built.serves(properties["url"]), properties["url"]
