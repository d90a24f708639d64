"""What the listing pages show, worked out for their templates: the timeline by year and
month, who said what, the actors an entry concerns, and every correction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from explainer.content.dates import PartialDate
from explainer.content.history import History, dates_of
from explainer.content.model import KINDS
from explainer.content.story import Entity, Story, sort_key


@dataclass
class Month:
    heading: str
    anchor: str
    items: list[Entity]


@dataclass
class Year:
    year: int
    items: list[Entity]  # known only to the year
    months: list[Month]


def timeline(entries: list[Entity], language: str) -> list[Year]:
    """Dated entries (in reading order) by year and month, vaguer dates first in each; the
    months are named in `language`."""
    years: dict[int, Year] = {}
    for entity in entries:
        date = entity.dated
        year = years.setdefault(date.year, Year(date.year, [], []))
        if not date.month:
            year.items.append(entity)
            continue
        if not year.months or year.months[-1].anchor != date.iso()[:7]:
            year.months.append(Month(date.month_heading(language), date.iso()[:7], []))
        year.months[-1].items.append(entity)
    return list(years.values())


def involved(entity: Entity) -> list[str]:
    """The actors an incident or statement concerns, for the timeline's filter: an
    incident's actors; a statement's speaker and those it holds responsible."""
    fields = entity.fields
    ids = (
        (fields["actors"] or [])
        if entity.kind == "incidents"
        else [fields["speaker"], *(fields["attributes_to"] or [])]
    )
    return list(dict.fromkeys(ids))


def involved_in(entries: list[Entity], story: Story) -> list[Entity]:
    """Every actor that some of `entries` concern, by name."""
    ids = {id for entity in entries for id in involved(entity)}
    return sorted((story.get("actors", id) for id in ids), key=lambda actor: (actor.name.casefold(), actor.id))


@dataclass(frozen=True)
class Correction:
    date: PartialDate
    text: str
    entity: Entity


def corrections(story: Story) -> list[Correction]:
    """Every correction in the story, newest first."""
    corrected = sorted(
        (entity for kind in KINDS for entity in story.entities[kind].values() if entity.fields["corrections"]),
        key=sort_key,
    )
    found = [
        Correction(item["date"], item["text"], entity) for entity in corrected for item in entity.fields["corrections"]
    ]
    return sorted(found, key=lambda correction: correction.date, reverse=True)


@dataclass(frozen=True)
class Change:
    """One entry of what is new in the story: an editors' update, a correction, or an entity
    first published."""

    date: PartialDate
    kind: str  # "update", "correction" or "published"
    text: str  # the update's or the correction's words; "" for a publication
    entity: Entity  # what it is about: the story itself for an update
    # The same in every build: `updates/2026-02-14/1`, `incidents/x/corrections/2026-02-20/1`, `incidents/x/published`.
    key: str


def whats_new(story: Story, history: History, newest: int | None = None) -> list[Change]:
    """Every update, correction and first publication (the day an entity's file was first
    committed: none without git history), newest first, or the `newest` of them. Two updates
    or corrections of one day keep the order they are written in, and are told apart by it."""
    changes: list[Change] = []
    counted: dict[str, int] = {}

    def numbered(prefix: str, date: PartialDate) -> str:
        stem = f"{prefix}/{date.iso()}"
        counted[stem] = counted.get(stem, 0) + 1
        return f"{stem}/{counted[stem]}"

    for update in story.about.fields["updates"] or []:
        date = update["date"]
        changes.append(Change(date, "update", update["text"], story.about, numbered("updates", date)))
    for correction in corrections(story):
        entity, date = correction.entity, correction.date
        key = numbered(f"{entity.kind}/{entity.id}/corrections", date)
        changes.append(Change(date, "correction", correction.text, entity, key))
    for kind in KINDS:
        for entity in story.all(kind):
            dates = dates_of(history, story.folder, entity.path)
            if dates is not None:
                changes.append(Change(dates.first_published, "published", "", entity, f"{kind}/{entity.id}/published"))
    return sorted(changes, key=lambda change: change.date, reverse=True)[:newest]


@dataclass
class WhoSaidWhat:
    incidents: list[tuple[Entity, list[Entity]]]  # each incident with the claims about it
    speakers: list[tuple[Entity, list[Entity]]]  # each speaker with their statements
    sources: list[Entity]


def who_said_what(entries: list[Entity], story: Story) -> WhoSaidWhat:
    """The claims about the incidents among `entries`, and the statements among them by
    speaker (speakers by name), with the sources of every statement shown."""
    incidents = [
        (entity, story.referrers(entity, "statements", "about")) for entity in entries if entity.kind == "incidents"
    ]
    said: dict[str, list[Entity]] = {}
    for entity in entries:
        if entity.kind == "statements":
            said.setdefault(entity.fields["speaker"], []).append(entity)
    speakers = sorted((story.get("actors", id) for id in said), key=lambda actor: (actor.name.casefold(), actor.id))
    shown = [statement for _, claims in incidents for statement in claims] + [
        statement for statements in said.values() for statement in statements
    ]
    return WhoSaidWhat(
        [(incident, claims) for incident, claims in incidents if claims],
        [(speaker, said[speaker.id]) for speaker in speakers],
        story.sources_of(shown),
    )


def pictured(story: Story) -> list[tuple[Entity, dict[str, Any]]]:
    """Every entity with a picture, the story first, with its `image:`."""
    entities = [story.about, *(entity for kind in KINDS for entity in story.all(kind))]
    return [(entity, entity.fields["image"]) for entity in entities if entity.fields.get("image")]


@dataclass(frozen=True)
class Position:
    """One side of a dispute: the statements about an incident that hold the same actors responsible."""

    blamed: tuple[Entity, ...]  # empty: statements that hold no one responsible
    statements: tuple[Entity, ...]


@dataclass(frozen=True)
class Dispute:
    incident: Entity
    positions: tuple[Position, ...]


def disputes(story: Story) -> list[Dispute]:
    """The story's central dispute, side by side: the claims about the incidents story.yml names
    in `focus`, or else about the incidents whose statements hold different actors responsible
    (those with the most statements first, at most two)."""
    focus = story.about.fields["focus"]
    if focus:
        incidents = [story.get("incidents", id) for id in focus]
    else:
        contested = [incident for incident in story.all("incidents") if len(_positions(story, incident)) > 1]
        incidents = sorted(contested, key=lambda incident: -len(story.referrers(incident, "statements", "about")))[:2]
    return [dispute_of(story, incident) for incident in incidents]


def dispute_of(story: Story, incident: Entity) -> Dispute:
    """The claims about `incident`, side by side: a position for each set of actors held responsible."""
    return Dispute(incident, _positions(story, incident))


def _positions(story: Story, incident: Entity) -> tuple[Position, ...]:
    by_blame: dict[tuple[str, ...], list[Entity]] = {}
    for statement in story.referrers(incident, "statements", "about"):
        by_blame.setdefault(tuple(sorted(statement.fields["attributes_to"] or [])), []).append(statement)
    # Those who hold someone responsible first, each side in the order its first claim was made.
    ordered = sorted(by_blame.items(), key=lambda item: (not item[0], sort_key(item[1][0])))
    return tuple(Position(tuple(story.get("actors", id) for id in blamed), tuple(said)) for blamed, said in ordered)


@dataclass(frozen=True)
class PlaceIncidents:
    """A place of the map, as the incidents there name it, and those incidents."""

    name: str
    lat: float
    lon: float
    anchor: str
    incidents: tuple[Entity, ...]


def place_anchor(location: dict[str, Any]) -> str:
    """The id of a place's entry on the map page: its name and coordinates, so two places
    named alike stay apart."""
    words = "-".join(re.findall(r"[^\W_]+", location["name"].casefold())) or "place"
    lat, lon = (f"{location[key]:g}".replace(".", "p").replace("-", "m") for key in ("lat", "lon"))
    return f"place-{words}-{lat}-{lon}"


def places_of(story: Story) -> list[PlaceIncidents]:
    """Every place with coordinates, by name, with its incidents in reading order."""
    found: dict[tuple[str, float, float], list[Entity]] = {}
    for incident in story.all("incidents"):
        if incident.coordinates:
            found.setdefault((incident.fields["location"]["name"], *incident.coordinates), []).append(incident)
    return [
        PlaceIncidents(name, lat, lon, place_anchor({"name": name, "lat": lat, "lon": lon}), tuple(incidents))
        for (name, lat, lon), incidents in sorted(found.items(), key=lambda item: (item[0][0].casefold(), item[0][1:]))
    ]
