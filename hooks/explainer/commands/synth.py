"""A synthetic story of any size, for benchmarks and scale tests.

The story looks like a long-running one as far as the build is concerned: the mix of kinds
of a strike log with its statements, summaries of 40 to 120 words with `[[kind/id]]`
references and glossary terms in them, dates known to the day, the month or the year over
several years, and a few speakers who say most things. The same size and seed always give
the same files.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from explainer.content.folder import STORY_FILE, STORY_PAGES
from explainer.content.model import KINDS, TRANSLATION_FIELDS, translation_record
from explainer.content.rich_text import RichText
from explainer.content.story import load_story
from explainer.content.translations import fingerprint

# Shares of each kind, from the issue that asked for this generator (a strike log).
MIX = {"statements": 0.40, "incidents": 0.40, "actors": 0.10, "glossary": 0.05, "sources": 0.05}
MIN_SIZE = 20  # the smallest size with at least one entity of every kind
LAST_YEAR = 2025
YEARS = 8  # dates fall in the years up to LAST_YEAR

_WORDS = (
    "the a an of in on at to from after before during near across over under while since "
    "officials residents witnesses ministry army forces government spokesperson report reports "
    "said says stated claimed denied confirmed added warned accused blamed rejected insisted "
    "building embassy port bridge depot station school hospital market village district city "
    "region border coast river airfield factory warehouse compound convoy column road railway "
    "strike attack blast fire shelling damage debris smoke evacuation repairs investigation "
    "morning evening night overnight week month early late several three two many few no "
    "local regional national foreign independent official unnamed senior military civilian "
    "drone missile rocket artillery aircraft vessel radar system unit battery launcher "
    "according it was were had has been not yet also later again still only first second"
).split()
_SYLLABLES = "ka lo mi ra ten vor sel dun bri mar tal ven ost kir pel zan dor el an ri mo sa".split()
_KINDS_OF_ACTOR = ("person", "state", "institution", "company", "organization", "media")
_TERM_NOUNS = ("system", "doctrine", "protocol", "missile", "corridor", "mandate", "accord", "unit")
_PUBLISHERS = (
    "Daily Courier",
    "Northern Wire",
    "Radio Coast",
    "The Ledger",
    "Evening Standard Post",
    "Harbour Times",
    "Continental News Agency",
    "Public Broadcaster",
    "Field Monitor",
    "The Observer Line",
)


def counts(size: int) -> dict[str, int]:
    """How many entities of each kind make `size` in the mix."""
    if size < MIN_SIZE:
        raise ValueError(f"a synthetic story needs at least {MIN_SIZE} entities (one of the rarest kinds), not {size}")
    shares = {kind: int(size * share) for kind, share in MIX.items()}
    shares["statements"] += size - sum(shares.values())  # what rounding left over
    return shares


def write_story(
    size: int, folder: Path, seed: int = 0, years: int = YEARS, languages: tuple[str, ...] = ()
) -> dict[str, int]:
    """Write a valid story of `size` entities, dated over `years` years, under `folder`, and
    with `languages` (the first its own) a translation of each entity into each other one;
    return the count of each kind."""
    plan = counts(size)
    writer = _Writer(random.Random(seed), plan, range(LAST_YEAR - years + 1, LAST_YEAR + 1))
    for kind in KINDS:
        (folder / kind).mkdir(parents=True, exist_ok=True)
        make = writer.makers[kind]
        for index, id in enumerate(writer.ids[kind]):
            data = make(index)
            text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100)
            (folder / kind / f"{id}.yml").write_text(text, encoding="utf-8")
    about = {
        "title": f"A synthetic story of {size:,} entities",
        "standfirst": "Every name, date and word here is made up, to measure how the site builds.",
        "newsroom": {"name": "explainer synth"},
        **({"languages": list(languages)} if languages else {}),
    }
    (folder / STORY_FILE).write_text(
        yaml.dump(about, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    _write_pages(folder / STORY_PAGES, size)
    for language in languages[1:]:
        _write_translations(folder, language)
    return plan


def _write_translations(folder: Path, language: str) -> None:
    """A translation of every entity into `language`: its words, marked with the language (a
    made-up story needs no real translator), made from the original's current words."""
    story = load_story(folder)
    for entity in [story.about, *(entity for kind in KINDS for entity in story.entities[kind].values())]:
        record = translation_record(entity.kind)
        words = {
            key: entity.fields[key] for key in record.fields if key not in TRANSLATION_FIELDS and entity.fields.get(key)
        }
        if not words:
            continue
        data = {
            "translator": "explainer synth",
            "translated_from": fingerprint(entity.fields, entity.kind),
            **{key: _marked(value, language) for key, value in words.items()},
        }
        text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100)
        entity.path.with_suffix(f".{language}.yml").write_text(text, encoding="utf-8")


def _marked(value: Any, language: str) -> Any:
    """`value` as a translation into `language` would hold it: its words tagged `(ru)`."""
    if isinstance(value, dict):
        return {key: _marked(item, language) for key, item in value.items() if isinstance(item, (str, RichText))}
    if isinstance(value, list):
        return [_marked(item, language) for item in value]
    return f"({language}) {value}"


def _write_pages(folder: Path, size: int) -> None:
    """The story's own hand-written pages, those mkdocs.yml's nav names, so that it builds
    without the first story's (whose home page links that story's entities)."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = {
        "index.md": "Generated by `explainer synth` to measure builds. "
        "Start at the [timeline](timeline.md), [who said what](who-said-what.md) or the [sources](sources.md).\n",
        "about.md": "# About\n\nEvery name, date and word here is made up.\n",
        "data.md": "# Open data\n\nThe story as data: [explainer.json](data/explainer.json).\n",
    }
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")


def synth_command(size: int, folder: Path, seed: int, languages: tuple[str, ...] = ()) -> int:
    """`explainer synth`: write the story, refusing to mix it into files already there."""
    if folder.exists() and any(folder.iterdir()):
        print(f"{folder} is not empty: give a new or empty folder", file=sys.stderr)
        return 1
    try:
        plan = write_story(size, folder, seed, languages=languages)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{folder}: " + ", ".join(f"{count} {kind}" for kind, count in plan.items()))
    return 0


class _Writer:
    """Makes the fields of each entity; all ids are known up front so anything can refer to anything."""

    def __init__(self, rng: random.Random, plan: dict[str, int], years: range):
        self.rng = rng
        self.years = years
        self.ids = {
            kind: [f"{kind.removesuffix('s')}-{number:05d}" for number in range(1, plan[kind] + 1)] for kind in KINDS
        }
        self.actor_names = _unique_names(rng, plan["actors"], lambda: f"{_word(rng).title()} {_word(rng, 3).title()}")
        self.terms = _unique_names(rng, plan["glossary"], lambda: f"{_word(rng, 3).title()} {rng.choice(_TERM_NOUNS)}")
        # A few actors say most things: the weight of the actor ranked r is 1/r.
        self.speaker_weights = [1 / rank for rank in range(1, plan["actors"] + 1)]
        # Statements in date order (ISO text sorts vaguer dates first), so that a statement
        # only ever responds to one made before it.
        self.statement_dates = sorted(self.date() for _ in range(plan["statements"]))
        self.makers: dict[str, Callable[[int], dict[str, Any]]] = {
            "actors": self.actor,
            "incidents": self.incident,
            "statements": self.statement,
            "glossary": self.term,
            "sources": self.source,
        }

    def actor(self, index: int) -> dict[str, Any]:
        rng = self.rng
        data: dict[str, Any] = {"name": self.actor_names[index], "kind": rng.choice(_KINDS_OF_ACTOR)}
        if rng.random() < 0.7:
            data["role"] = " ".join(rng.choices(_WORDS, k=4)).capitalize()
        if index and rng.random() < 0.3:
            data["member_of"] = self.ids["actors"][rng.randrange(index)]
        if rng.random() < 0.3:
            data["aliases"] = [self.actor_names[index].split()[1]]
        data["summary"] = self.text(20, 60)
        return data

    def source(self, index: int) -> dict[str, Any]:
        rng = self.rng
        id = self.ids["sources"][index]
        data: dict[str, Any] = {
            "title": self.sentence(6, 12).rstrip("."),
            "publisher": rng.choice(_PUBLISHERS),
            "url": f"https://news.example.org/{rng.choice(self.years)}/{id}",
            "published": self.date(),
            "language": "en",
        }
        if rng.random() < 0.5:
            data["author"] = self.actor_names[rng.randrange(len(self.actor_names))]
        if rng.random() < 0.2:
            data["archive_url"] = f"https://archive.example.org/{id}"
        return data

    def term(self, index: int) -> dict[str, Any]:
        term = self.terms[index]
        return {
            "term": term,
            "aliases": [term + "s"],
            "category": self.rng.choice(("weapons", "diplomacy", "law", "places")),
            "definition": self.text(20, 50, terms=False),
            "sources": self.some("sources", 1, 1),
        }

    def incident(self, index: int) -> dict[str, Any]:
        rng = self.rng
        date = self.date()
        data: dict[str, Any] = {"title": self.sentence(5, 10).rstrip("."), "date": date, "summary": self.text(40, 120)}
        if len(date) == 10 and rng.random() < 0.05:
            data["end_date"] = f"{date[:8]}{min(28, int(date[8:]) + rng.randint(1, 5)):02d}"
        data["sources"] = self.some("sources", 1, 3, always=index)
        if rng.random() < 0.8:
            data["location"] = {
                "name": f"{_word(rng).title()}, {_word(rng).title()}",
                "lat": f"{rng.uniform(-60, 60):.2f}",
                "lon": f"{rng.uniform(-150, 150):.2f}",
            }
        data["actors"] = self.some("actors", 1, 4, always=index)
        if rng.random() < 0.5:
            data["terms"] = self.some("glossary", 1, 2)
        if rng.random() < 0.4:
            data["damage"] = self.text(15, 40)
        if rng.random() < 0.3:
            data["casualties"] = {"killed": str(rng.randint(0, 20)), "injured": str(rng.randint(0, 60))}
        data["status"] = rng.choice(("confirmed", "reported", "disputed"))
        data["tags"] = rng.sample(_WORDS[20:60], 2)
        return data

    def statement(self, index: int) -> dict[str, Any]:
        rng = self.rng
        data: dict[str, Any] = {
            "speaker": rng.choices(self.ids["actors"], weights=self.speaker_weights)[0],
            "date": self.statement_dates[index],
            "sources": self.some("sources", 1, 2),
        }
        has_quote = rng.random() < 0.6
        if has_quote:
            data["quote"] = self.sentence(12, 35)
        if not has_quote or rng.random() < 0.7:
            data["summary"] = self.text(40, 120)
        data["venue"] = (
            f"{rng.choice(('Press conference', 'Interview', 'Briefing', 'Televised address'))} in {_word(rng).title()}"
        )
        if rng.random() < 0.3:
            data["context"] = self.text(20, 50)
        if rng.random() < 0.85:
            data["about"] = self.some("incidents", 1, 3)
        if index and rng.random() < 0.3:
            data["responds_to"] = [self.ids["statements"][rng.randrange(index)]]
        if rng.random() < 0.5:
            data["attributes_to"] = self.some("actors", 1, 2)
        data["stance"] = self.sentence(5, 10).rstrip(".")
        return data

    def date(self) -> str:
        """Most dates known to the day, some to the month, a few only to the year."""
        rng = self.rng
        year, month, day, precision = rng.choice(self.years), rng.randint(1, 12), rng.randint(1, 28), rng.random()
        return (
            f"{year}"
            if precision < 0.05
            else f"{year}-{month:02d}"
            if precision < 0.2
            else f"{year}-{month:02d}-{day:02d}"
        )

    def some(self, kind: str, low: int, high: int, always: int | None = None) -> list[str]:
        """`low` to `high` ids of `kind`; with `always`, the id at that index (wrapping) among
        them, so that every entity of the kind is named somewhere."""
        ids = self.ids[kind]
        chosen = self.rng.sample(ids, min(len(ids), self.rng.randint(low, high)))
        if always is not None and ids[always % len(ids)] not in chosen:
            chosen[0] = ids[always % len(ids)]
        return chosen

    def sentence(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(_WORDS, k=self.rng.randint(low, high))).capitalize() + "."

    def text(self, low: int, high: int, terms: bool = True) -> str:
        """About `low` to `high` words of sentences, with references and glossary terms in them."""
        rng = self.rng
        target, words = rng.randint(low, high), 0
        pieces: list[str] = []
        while words < target:
            left = target - words
            added = [self.sentence(min(8, left), min(16, left))]
            choice = rng.random()
            if choice < 0.35:
                added.append(self.reference())
            elif choice < 0.55 and terms:
                added.append(f"It involved the {rng.choice(self.terms)}.")
            pieces += added
            words += sum(len(piece.split()) for piece in added)
        return " ".join(pieces)

    def reference(self) -> str:
        kind = self.rng.choice(("actors", "actors", "incidents", "statements", "sources"))
        index = self.rng.randrange(len(self.ids[kind]))
        if kind == "actors":
            return f"According to [[actors/{self.ids[kind][index]}|{self.actor_names[index]}]]."
        return f"See [[{kind}/{self.ids[kind][index]}]]."


def _word(rng: random.Random, syllables: int = 2) -> str:
    return "".join(rng.choices(_SYLLABLES, k=syllables))


def _unique_names(rng: random.Random, count: int, make: Callable[[], str]) -> list[str]:
    names: dict[str, None] = {}  # a dict keeps insertion order, which a set would not
    while len(names) < count:
        names.setdefault(make())
    return list(names)
