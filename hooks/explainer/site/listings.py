"""What the listing pages show, worked out for their templates: the timeline by year and
month, who said what, the actors an entry concerns, and every correction."""

from __future__ import annotations

from dataclasses import dataclass

from explainer.content.dates import PartialDate
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


def timeline(entries: list[Entity]) -> list[Year]:
    """Dated entries (in reading order) by year and month, vaguer dates first in each."""
    years: dict[int, Year] = {}
    for entity in entries:
        date = entity.date
        year = years.setdefault(date.year, Year(date.year, [], []))
        if not date.month:
            year.items.append(entity)
            continue
        if not year.months or year.months[-1].anchor != date.iso()[:7]:
            year.months.append(Month(date.month_heading(), date.iso()[:7], []))
        year.months[-1].items.append(entity)
    return list(years.values())


def involved(entity: Entity) -> list[str]:
    """The actors an incident or statement concerns, for the timeline's filter: an
    incident's actors; a statement's speaker and those it holds responsible."""
    fields = entity.fields
    ids = (fields["actors"] or []) if entity.kind == "incidents" else [fields["speaker"], *(fields["attributes_to"] or [])]
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
    corrected = sorted((entity for kind in KINDS for entity in story.entities[kind].values() if entity.fields["corrections"]), key=sort_key)
    found = [Correction(item["date"], item["text"], entity) for entity in corrected for item in entity.fields["corrections"]]
    return sorted(found, key=lambda correction: correction.date, reverse=True)


@dataclass
class WhoSaidWhat:
    incidents: list[tuple[Entity, list[Entity]]]  # each incident with the claims about it
    speakers: list[tuple[Entity, list[Entity]]]  # each speaker with their statements
    sources: list[Entity]


def who_said_what(entries: list[Entity], story: Story) -> WhoSaidWhat:
    """The claims about the incidents among `entries`, and the statements among them by
    speaker (speakers by name), with the sources of every statement shown."""
    incidents = [(entity, story.referrers(entity, "statements", "about")) for entity in entries if entity.kind == "incidents"]
    said: dict[str, list[Entity]] = {}
    for entity in entries:
        if entity.kind == "statements":
            said.setdefault(entity.fields["speaker"], []).append(entity)
    speakers = sorted((story.get("actors", id) for id in said), key=lambda actor: (actor.name.casefold(), actor.id))
    shown = [statement for _, claims in incidents for statement in claims] + [statement for statements in said.values() for statement in statements]
    return WhoSaidWhat([(incident, claims) for incident, claims in incidents if claims], [(speaker, said[speaker.id]) for speaker in speakers], story.sources_of(shown))
