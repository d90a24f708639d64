"""The story as open data: the files every build writes under /data/ for others to reuse.

- `explainer.json`: every entity with all its fields, described by `explainer.schema.json`;
- `<kind>.csv`: one spreadsheet per kind, a row per entity, columns in the model's order;
- `timeline.json`: incidents and statements in TimelineJS3's format, for Knight Lab's widget;
- `incidents.geojson`: the incidents that have coordinates, for maps.

The shapes follow the content model, so a field added to model.py appears in every file.
Files are built in a fixed order and printed the same way each time: two builds of one
story give the same bytes.
"""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Any

from explainer.content.dates import PartialDate, range_labels
from explainer.content.fields import record_schema
from explainer.content.folder import ID_PATTERN, KINDS
from explainer.content.model import SCHEMAS, translation_record
from explainer.content.story import Entity, Story, sort_key
from explainer.site import urls
from explainer.site.languages import editions
from explainer.site.urls import Site

# Bump the minor number for additions, the major one for anything that can break a reader.
SCHEMA_VERSION = "1.1"  # 1.1: languages and translations
FOLDER = "data"
SCHEMA_FILE = "explainer.schema.json"  # published beside the data; committed as schemas/explainer-export.schema.json
TIMELINE_GROUPS = {"incidents": "Incidents", "statements": "Statements"}


def export_files(story: Story, site: Site) -> dict[str, str]:
    """Every file of the open data, by its path in the built site (`data/actors.csv`, …)."""
    files = {
        "explainer.json": json_data(explainer_json(story, site)),
        SCHEMA_FILE: json_text(export_schema()),
        **{f"{kind}.csv": kind_csv(story, kind, site) for kind in KINDS},
        "timeline.json": json_data(timeline_json(story, site)),
        "incidents.geojson": json_data(incidents_geojson(story, site)),
    }
    return {f"{FOLDER}/{name}": text for name, text in files.items()}


def json_text(data: Any) -> str:
    """How a JSON file that people read (a schema) is printed: indented, in UTF-8, ending with a newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def json_data(data: Any) -> str:
    """How the data files are printed: without indentation, which makes them smaller and
    lets the json module's C encoder write them, much faster than the indenting one."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


# --- explainer.json: every entity, every field -----------------------------------------------


def explainer_json(story: Story, site: Site) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "site_url": site.url,
        **{kind: [entity_record(story, entity, site) for entity in story.all(kind)] for kind in KINDS},
        "languages": story.languages,
        "translations": {
            edition.language.code: _translations(edition.story, edition.language.prefix, site)
            for edition in editions(story)[1:]
        },
    }


def _translations(story: Story, prefix: str, site: Site) -> dict[str, list[dict[str, Any]]]:
    """The translated words of each entity translated into the language of `story` (a
    localized story), and story.yml's as `story`; null where a translation leaves a field out."""
    translated: dict[str, list[dict[str, Any]]] = {}
    for kind in ("story", *KINDS):
        entities = [story.about] if kind == "story" else story.all(kind)
        record = translation_record(kind)
        translated[kind] = [
            {
                "id": entity.id,
                "page_url": site.address(urls.in_language(urls.entity_url(entity) if kind != "story" else "", prefix)),
                "stale": entity.stale,
                **{
                    key: record.export_field(spec, entity.translation.fields.get(key), story.plain_text)
                    for key, spec in record.fields.items()
                },
            }
            for entity in entities
            if entity.translation is not None
        ]
    return translated


def entity_record(story: Story, entity: Entity, site: Site) -> dict[str, Any]:
    """An entity as plain JSON: every field of its kind, null where the editor left it out."""
    record = SCHEMAS[entity.kind]
    return {
        "id": entity.id,
        "page_url": site.address(urls.entity_url(entity)),
        **{key: record.export_field(spec, entity.fields[key], story.plain_text) for key, spec in record.fields.items()},
    }


def export_schema() -> dict[str, Any]:
    """JSON Schema of explainer.json, from the model; committed in schemas/ and published
    beside the data. `explainer schemas` rewrites the committed copy."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://explainer.invalid/schemas/explainer-export.schema.json",
        "title": "explainer: data/explainer.json, every entity of a story",
        "type": "object",
        "properties": {
            "schema_version": {
                "description": "major.minor: a new major version can break readers",
                "const": SCHEMA_VERSION,
            },
            "site_url": {
                "description": "the address the site is served at, if the build knew it",
                "type": ["string", "null"],
            },
            **{kind: {"type": "array", "items": _entity_schema(kind)} for kind in KINDS},
            "languages": {
                "description": "the story's languages, BCP 47 codes: the first is the one it is written in",
                "type": "array",
                "items": {"type": "string"},
            },
            "translations": {
                "description": "for each other language, the translated words of each translated entity",
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        kind: {"type": "array", "items": _translation_schema(kind)} for kind in ("story", *KINDS)
                    },
                    "additionalProperties": False,
                },
            },
        },
        "required": ["schema_version", "site_url", *KINDS, "languages", "translations"],
        "additionalProperties": False,
        "definitions": {
            "date": record_schema(
                {
                    "iso": (
                        {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
                        "the date as typed: YYYY, YYYY-MM or YYYY-MM-DD",
                    ),
                    "precision": ({"enum": ["year", "month", "day"]}, "what is known of the date"),
                }
            ),
            "text": record_schema(
                {
                    "markdown": (
                        {"type": "string"},
                        "the text as typed, with inline Markdown and [[kind/id]] references",
                    ),
                    "text": ({"type": "string"}, "the same words without markup, references replaced by names"),
                }
            ),
        },
    }


def _translation_schema(kind: str) -> dict[str, Any]:
    properties = {
        "id": ({"type": "string"}, "the id of the entity translated (`story` for story.yml)"),
        "page_url": ({"type": "string"}, "the entity's page in this language"),
        "stale": ({"type": "boolean"}, "whether the original's words changed after the translation was made"),
    }
    return record_schema({**properties, **translation_record(kind).field_schemas()})


def _entity_schema(kind: str) -> dict[str, Any]:
    properties = {
        "id": ({"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"}, "the file name without .yml"),
        "page_url": (
            {"type": "string"},
            "the entity's page: absolute when site_url is known, else relative to the site",
        ),
    }
    return record_schema({**properties, **SCHEMAS[kind].field_schemas()})


# --- <kind>.csv: a row per entity -----------------------------------------------------------


def kind_csv(story: Story, kind: str, site: Site) -> str:
    """Columns `id`, `page_url`, then the fields in the model's order. A text field gives a
    column of plain text and one `_markdown`, a date one `_precision`, a mapping one column
    per key (`location_lat`); list items are one per line of the cell, and the lines of the
    columns of a list of mappings (`links_title`, `links_url`) go together."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_row(kind, None, story, site).keys())
    for entity in story.all(kind):
        writer.writerow(_row(kind, entity, story, site).values())
    return buffer.getvalue()


def _row(kind: str, entity: Entity | None, story: Story, site: Site) -> dict[str, str]:
    """The entity's cells by column; with no entity, empty cells that name the columns."""
    row = {"id": entity.id if entity else "", "page_url": site.address(urls.entity_url(entity)) if entity else ""}
    for key, spec in SCHEMAS[kind].fields.items():
        row.update(spec.type.cells(key, entity.fields[key] if entity else None, story.plain_text))
    return row


# --- timeline.json: TimelineJS3 ---------------------------------------------------------------


def timeline_json(story: Story, site: Site) -> dict[str, Any]:
    """Knight Lab's TimelineJS3 JSON format: a title slide and a slide per incident and
    statement. The widget reads `headline` and `text` as HTML, so ours are escaped."""
    entries = sorted(story.all("incidents") + story.all("statements"), key=sort_key)
    return {
        "title": {"text": {"headline": html.escape(site.name), "text": html.escape(site.description)}},
        "events": [_slide(story, entity, site) for entity in entries],
    }


def _slide(story: Story, entity: Entity, site: Site) -> dict[str, Any]:
    fields = entity.fields
    end = fields.get("end_date")
    if entity.kind == "statements":
        headline = story.get("actors", fields["speaker"]).name
        words = f"“{fields['quote']}”" if fields["quote"] else story.plain_text(fields["summary"])
    else:
        headline, words = entity.name, story.plain_text(fields["summary"])
    link = html.escape(site.address(urls.entity_url(entity)))
    slide: dict[str, Any] = {
        "unique_id": urls.entry_anchor(entity),  # the entry's anchor on the site's timeline
        "group": TIMELINE_GROUPS[entity.kind],
        "start_date": _timeline_date(entity.dated),
        # The date as the site shows it, so the widget never adds a day or month nobody knows.
        "display_date": str(entity.dated),
        "text": {
            "headline": html.escape(headline),
            "text": f'<p>{html.escape(words)}</p><p><a href="{link}">Read more</a></p>',
        },
    }
    if end and end != entity.dated:
        slide["end_date"] = _timeline_date(end)
        slide["display_date"] = "–".join(range_labels(entity.dated, end))
    return slide


def _timeline_date(date: PartialDate) -> dict[str, int]:
    """Only the parts that are known: a date known to the month has no `day`."""
    parts = {"year": date.year, "month": date.month, "day": date.day}
    return {name: number for name, number in parts.items() if number}


# --- incidents.geojson ------------------------------------------------------------------------


def incidents_geojson(story: Story, site: Site) -> dict[str, Any]:
    """RFC 7946: a FeatureCollection of Points, longitude first, for incidents with coordinates."""
    features = []
    for incident in story.all("incidents"):
        if not incident.coordinates:
            continue
        (lat, lon), location, end = incident.coordinates, incident.fields["location"], incident.fields["end_date"]
        features.append(
            {
                "type": "Feature",
                "id": incident.id,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": incident.id,
                    "title": incident.name,
                    "date": incident.dated.iso(),
                    "date_precision": incident.dated.precision,
                    "end_date": end.iso() if end else None,
                    "place": location["name"],
                    "status": incident.fields["status"],
                    "url": site.address(urls.entity_url(incident)),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
