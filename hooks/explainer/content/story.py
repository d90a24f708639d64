"""A story: every entity read from a content folder, checked, and linked to the others."""

from __future__ import annotations

import contextlib
import gc
import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from explainer.content.dates import PartialDate
from explainer.content.fields import Check, Reference, did_you_mean
from explainer.content.folder import ID_PATTERN, KINDS, MEDIA, STORY_FILE, STORY_PAGES, YAML_SUFFIXES
from explainer.content.images import ImageFile, inspect_image
from explainer.content.model import DEFAULT_LANGUAGE, SCHEMAS, STORY
from explainer.content.problems import ContentError, Problem, display_path
from explainer.content.reader import Position, parse_yaml
from explainer.content.rich_text import RichText, plain_text
from explainer.content.term_finder import TermFinder
from explainer.content.translations import Translation, read_translation, translation_name

NAME_FIELD = {"story": "title", "actors": "name", "incidents": "title", "glossary": "term", "sources": "title"}


@dataclass(eq=False)
class Entity:
    """One YAML file: its kind, id, checked fields and the line of each field."""

    kind: str
    id: str
    path: Path
    fields: dict[str, Any]
    lines: dict[str, Position]
    references: list[Reference] = field(default_factory=list)
    name: str = ""  # what readers call it; statements get theirs once speakers are known
    read_from: bytes = b""  # the file as it was read: a later load reuses the entity while it is the same
    # In a story in one of its other languages (localized.py): the entity in the story's own
    # language, the translation the words come from, the fields it leaves out (shown in the
    # original's language) and whether the original's words changed after it was made.
    original: Entity | None = None
    translation: Translation | None = None
    untranslated: frozenset[str] = frozenset()
    stale: bool = False

    @property
    def date(self) -> PartialDate | None:
        return self.fields.get("date")

    @property
    def coordinates(self) -> tuple[float, float] | None:
        """(latitude, longitude) of an incident whose location gives both, which maps can show."""
        location = self.fields.get("location") or {}
        lat, lon = location.get("lat"), location.get("lon")
        return None if lat is None or lon is None else (lat, lon)

    @property
    def dated(self) -> PartialDate:
        """The date of an incident or statement: they always have one."""
        date = self.fields["date"]
        assert date is not None, f"{self} has no date"
        return date

    def rich_texts(self) -> list[RichText]:
        return [value for value in self.fields.values() if isinstance(value, RichText)]

    def __repr__(self) -> str:
        return f"<{self.kind}/{self.id}>"


@dataclass
class Story:
    """All entities of a story, with the references between them resolved both ways."""

    folder: Path
    about: Entity  # story.yml: the story itself
    entities: dict[str, dict[str, Entity]]
    terms: TermFinder
    images: dict[str, ImageFile]  # every picture the story shows, by its `file`
    _referrers: dict[tuple[str, str], list[tuple[Entity, str]]] = field(default_factory=dict)
    # language → (kind, id) → its translation; story.<language>.yml is ("story", "story")
    translations: dict[str, dict[tuple[str, str], Translation]] = field(default_factory=dict)
    language: str = ""  # the language of these entities' words: the original's, or a translation's
    # The story in each other language, made once (localized.py): the pages, the open data
    # and the engine all ask for it.
    localizations: dict[str, Story] = field(default_factory=dict, repr=False, compare=False)
    # Glossary terms mentioned in text are found only when a page asks who uses a term:
    # checking a story never does, and for a long one the search is a good part of its time.
    _mentions_found: bool = field(default=False, repr=False, compare=False)

    @property
    def languages(self) -> list[str]:
        """The story's languages, the one it is written in first."""
        return self.about.fields["languages"] or [DEFAULT_LANGUAGE]

    def get(self, kind: str, id: str) -> Entity:
        return self.entities[kind][id]

    def all(self, kind: str) -> list[Entity]:
        """Entities of a kind in reading order: by date where they have one, else by name."""
        return sorted(self.entities[kind].values(), key=sort_key)

    def referrers(self, target: Entity, kind: str, *fields: str) -> list[Entity]:
        """Entities of `kind` that name `target` in one of `fields` (any field if none given)."""
        found = {
            source.id: source
            for source, field_name in self._named(target)
            if source.kind == kind and (not fields or field_name in fields)
        }
        return sorted(found.values(), key=sort_key)

    def referred(self, target: Entity) -> bool:
        """Whether anything names `target`, by a field, a `[[reference]]` or a glossary mention."""
        return bool(self._named(target))

    def _named(self, target: Entity) -> list[tuple[Entity, str]]:
        if target.kind == "glossary" and not self._mentions_found:
            self._mentions_found = True
            _add_mentions(self)
        return self._referrers.get((target.kind, target.id), [])

    def plain_text(self, text: RichText | None) -> str:
        """A text field's words without markup, references replaced by what they name."""
        return "" if text is None else plain_text(text, lambda ref: self.get(ref.kind, ref.id).name)

    def sources_of(self, entities: list[Entity]) -> list[Entity]:
        """The sources that `entities` cite, in their `sources` field or as `[[sources/id]]`."""
        ids = {reference.id for entity in entities for reference in entity.references if reference.kind == "sources"}
        return sorted((self.get("sources", source_id) for source_id in ids), key=sort_key)


def sort_key(entity: Entity) -> tuple[Any, ...]:
    """Oldest first; a date known only to the month or year sorts before the days within it."""
    date = entity.date
    return (date or PartialDate(0), entity.name.casefold(), entity.id)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading makes a million small objects, none of them garbage in a cycle: the cyclic
    collector would only rescan the growing heap, a large share of the time of a long story.
    The story then lives as long as the build, so its objects are frozen out of later
    collections too; the next load thaws them, and a preview's old story, which holds no
    cycle, is freed as soon as nothing refers to it."""
    was_enabled = gc.isenabled()
    gc.unfreeze()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def load_story(folder: Path, previous: Story | None = None) -> Story:
    """Read, check and link every entity under `folder`; raise ContentError listing all problems.

    `previous`, a story read from the folder before, lends its entities whose files are
    byte for byte the same: a preview checks again only the file an editor saved."""
    with _collector_paused():
        return _load(folder, previous)


def _load(folder: Path, previous: Story | None) -> Story:
    problems: list[Problem] = []
    known = {entity.path: entity for kind in KINDS for entity in previous.entities[kind].values()} if previous else {}
    if previous:
        known[previous.about.path] = previous.about
    known_translations = (
        {t.path: t for language in previous.translations.values() for t in language.values()} if previous else {}
    )
    if not folder.is_dir():
        raise ContentError([Problem(folder, 1, "content folder not found: check EXPLAINER_CONTENT or mkdocs.yml")])
    problems += _misplaced(folder)
    about = _read_about(folder, problems, known.get(folder / STORY_FILE))
    entities: dict[str, dict[str, Entity]] = {kind: {} for kind in KINDS}
    unreadable: set[tuple[str, str]] = set()  # files with problems of their own: no reference to them is "unknown"
    translated: list[Translation] = []
    files = {kind: _yaml_files(folder / kind) for kind in KINDS}
    translation_files = [("story", path) for path in _yaml_files(folder) if translation_name(path)]
    translation_files += [(kind, path) for kind in KINDS for path in files[kind] if translation_name(path)]
    for of_kind, path in translation_files:
        translation = read_translation(of_kind, path, problems, known_translations.get(path))
        if translation is not None:
            translated.append(translation)
    for kind in KINDS:
        for path in files[kind]:
            if translation_name(path):
                continue
            entity = _read_entity(kind, path, problems, known.get(path))
            if entity is None:
                unreadable.add((kind, path.stem))
                continue
            if entity.id in entities[kind]:
                other = entities[kind][entity.id].path
                problems.append(
                    Problem(path, 1, f"id '{entity.id}' is used twice: {other.name} and {path.name}; rename one")
                )
                problems.append(
                    Problem(other, 1, f"id '{entity.id}' is used twice: {other.name} and {path.name}; rename one")
                )
                continue
            entities[kind][entity.id] = entity
    referrers = _resolve_references(entities, [about] if about else [], unreadable, problems)
    images = _check_images(folder, [about] if about else [], entities, problems)
    translations = _check_translations(translated, about, entities, unreadable, problems)
    if problems or about is None:
        raise ContentError(problems)
    languages = about.fields["languages"] or [DEFAULT_LANGUAGE]
    name_statements(entities, languages[0])
    terms = TermFinder(list(entities["glossary"].values()))
    story = Story(folder, about, entities, terms, images, referrers, translations, languages[0])
    return story


def _check_translations(
    translated: list[Translation],
    about: Entity | None,
    entities: dict[str, dict[str, Entity]],
    unreadable: set[tuple[str, str]],
    problems: list[Problem],
) -> dict[str, dict[tuple[str, str], Translation]]:
    """Each translation must be into one of story.yml's languages, other than the one the
    story is written in, and of an entity that exists; its references must resolve."""
    languages = (about.fields["languages"] if about else None) or [DEFAULT_LANGUAGE]
    found: dict[str, dict[tuple[str, str], Translation]] = {language: {} for language in languages[1:]}
    for translation in translated:
        where = f"{translation.kind}/{translation.id}" if translation.kind != "story" else STORY_FILE
        original = f"{translation.kind}/{translation.id}.yml" if translation.kind != "story" else STORY_FILE
        if translation.language == languages[0]:
            problems.append(
                Problem(
                    translation.path,
                    1,
                    f"'{translation.language}' is the language the story is written in: edit {original} instead",
                )
            )
            continue
        if translation.language not in found:
            problems.append(
                Problem(
                    translation.path,
                    1,
                    f"'{translation.path.name}' is a translation into '{translation.language}', which is not one "
                    f"of the story's languages ({', '.join(languages)}): add it to 'languages' in {STORY_FILE}, "
                    f"or rename the file{did_you_mean(translation.language, languages)}",
                )
            )
            continue
        exists = about is not None if translation.kind == "story" else translation.id in entities[translation.kind]
        if not exists and (translation.kind, translation.id) not in unreadable:
            hint = "" if translation.kind == "story" else did_you_mean(translation.id, entities[translation.kind])
            problems.append(
                Problem(
                    translation.path,
                    1,
                    f"'{translation.path.name}' translates {where}, which does not exist: there is no {original}{hint}",
                )
            )
            continue
        for reference in translation.references:
            if reference.id not in entities[reference.kind] and (reference.kind, reference.id) not in unreadable:
                problems.append(_unknown_reference(translation.path, reference, entities))
        found[translation.language][(translation.kind, translation.id)] = translation
    return found


def _unknown_reference(path: Path, reference: Reference, entities: dict[str, dict[str, Entity]]) -> Problem:
    singular = reference.kind.removesuffix("s")
    hint = did_you_mean(reference.id, entities[reference.kind])
    message = (
        f"unknown {singular} '{reference.id}' in '{reference.field}': there is no "
        f"{reference.kind}/{reference.id}.yml{hint}"
    )
    return Problem(path, reference.at[0], message, reference.at[1])


def _misplaced(folder: Path) -> list[Problem]:
    """Folders and YAML files that would otherwise be skipped without a word."""
    problems = []
    for child in sorted(folder.iterdir()):
        if child.name.startswith((".", "_")):
            continue
        if child.is_dir() and child.name not in (*KINDS, STORY_PAGES, MEDIA):
            problems.append(
                Problem(
                    child,
                    1,
                    f"folder '{child.name}' is not a kind of content: use one of "
                    f"{', '.join(KINDS)}{did_you_mean(child.name, KINDS)}",
                )
            )
        elif (
            child.is_file()
            and child.suffix.lower() in YAML_SUFFIXES
            and child.name != STORY_FILE
            and (translation_name(child) or ("",))[0] != Path(STORY_FILE).stem
        ):
            problems.append(
                Problem(child, 1, f"'{child.name}' is not in a kind folder: move it into one of {', '.join(KINDS)}")
            )
    for kind in KINDS:
        for path in sorted((folder / kind).glob("*"), key=_name) if (folder / kind).is_dir() else []:
            if path.suffix.lower() in YAML_SUFFIXES and path.suffix not in YAML_SUFFIXES:
                problems.append(Problem(path, 1, f"'{path.name}' ends in '{path.suffix}': rename it to end in '.yml'"))
    return problems


def _yaml_files(folder: Path) -> list[Path]:
    """The YAML files in `folder`, by name. A directory listing says which entries are files,
    so that, unlike `Path.is_file`, asks nothing more of the disk."""
    try:
        with os.scandir(folder) as entries:
            names = [
                entry.name for entry in entries if os.path.splitext(entry.name)[1] in YAML_SUFFIXES and entry.is_file()
            ]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [folder / name for name in sorted(names)]


def _name(path: Path) -> str:
    """Files of one folder sort by name: comparing the Paths costs far more."""
    return path.name


def _read_entity(kind: str, path: Path, problems: list[Problem], known: Entity | None = None) -> Entity | None:
    """The entity of the file at `path`; `known` is the one read from it before, reused (a
    copy: a statement's name is set again from its speaker's) if the file is the same."""
    id = path.stem
    if id == "index":
        problems.append(
            Problem(path, 1, f"'{path.name}' would take the address of the {kind} index page: choose another id")
        )
        return None
    if not ID_PATTERN.fullmatch(id):
        problems.append(
            Problem(
                path,
                1,
                f"file name '{path.name}' is not a valid id: use lowercase letters, digits and single "
                f"hyphens, e.g. 'ilham-aliyev.yml'",
            )
        )
        return None
    data = path.read_bytes()
    if known is not None and known.read_from == data:
        return replace(known)
    node, read_problems = parse_yaml(path, data)
    if read_problems:
        problems += read_problems
        return None
    if node is None or node.value is None:
        problems.append(Problem(path, 1, "file is empty: it needs the keys of one " + kind.removesuffix("s")))
        return None
    check = Check(path)
    record = STORY if kind == "story" else SCHEMAS[kind]
    checked = record.check_with_lines(node, kind, check, missing_at=(1, 1))
    problems += check.problems
    if checked is None:
        return None
    fields, lines = checked
    # Every field of the kind is present, None where the editor left it out: templates ask
    # `if f.damage` without tripping over absent keys, and still fail loudly on a typo.
    fields = {key: fields.get(key) for key in record.fields}
    return Entity(
        kind,
        id,
        path,
        fields,
        lines,
        check.references,
        name=fields.get(NAME_FIELD.get(kind, "")) or "",
        read_from=data,
    )


def _read_about(folder: Path, problems: list[Problem], known: Entity | None) -> Entity | None:
    """story.yml, checked like every other file; None (with the problem noted) if it cannot be used."""
    path = folder / STORY_FILE
    if not path.is_file():
        problems.append(
            Problem(
                path,
                1,
                f"the content folder {display_path(folder)} has no {STORY_FILE}: "
                f"write one with `explainer new story {display_path(folder)}`, then fill in its title and standfirst",
            )
        )
        return None
    return _read_entity("story", path, problems, known)


def _check_images(
    folder: Path, about: list[Entity], entities: dict[str, dict[str, Entity]], problems: list[Problem]
) -> dict[str, ImageFile]:
    """Every picture's file, opened and checked; a problem is reported at its `image:` line."""
    images: dict[str, ImageFile] = {}
    for entity in [*about, *(entity for kind in KINDS for entity in entities[kind].values())]:
        image = entity.fields.get("image")
        if not image:
            continue
        found = inspect_image(folder / MEDIA, image["file"], hero=entity.kind == "story")
        if isinstance(found, str):
            line, column = entity.lines["image"]
            problems.append(Problem(entity.path, line, found, column))
        else:
            images[image["file"]] = found
    return images


def _resolve_references(
    entities: dict[str, dict[str, Entity]],
    about: list[Entity],
    unreadable: set[tuple[str, str]],
    problems: list[Problem],
) -> dict[tuple[str, str], list[tuple[Entity, str]]]:
    referrers: dict[tuple[str, str], list[tuple[Entity, str]]] = defaultdict(list)
    for entity in [*about, *(entity for kind in KINDS for entity in entities[kind].values())]:
        for reference in entity.references:
            if reference.id in entities[reference.kind]:
                referrers[(reference.kind, reference.id)].append((entity, reference.field))
            elif (reference.kind, reference.id) not in unreadable:
                problems.append(_unknown_reference(entity.path, reference, entities))
    return referrers


def name_statements(entities: dict[str, dict[str, Entity]], language: str) -> None:
    """A statement is called by its speaker and date: "Anna Berg, 21 March 2024"."""
    for statement in entities["statements"].values():
        speaker = entities["actors"][statement.fields["speaker"]]
        statement.name = f"{speaker.name}, {statement.dated.label(language)}"


def _add_mentions(story: Story) -> None:
    """Record glossary terms found in text as references, so term pages can list their uses."""
    for kind in KINDS:
        for entity in story.entities[kind].values():
            for text in entity.rich_texts():
                for term in story.terms.terms_in(text):
                    if term is not entity:
                        story._referrers.setdefault((term.kind, term.id), []).append((entity, "text"))
