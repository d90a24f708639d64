"""`explainer new`: a new entity file with every key the model has, ready to fill in.

Required keys are written without a value, so `explainer validate` points at each one until
it is filled; optional keys are commented out, each with its one-line explanation.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

from explainer.content.fields import DateField, Field, FieldType, ListField, RecordField
from explainer.content.folder import ID_PATTERN, KINDS, MEDIA, STORY_FILE
from explainer.content.model import SCHEMAS, STORY, TRANSLATION_FIELDS, translation_record
from explainer.content.problems import ContentError
from explainer.content.story import load_story
from explainer.content.translations import fingerprint
from explainer.data.editor_schemas import DOCUMENTS, schema_path
from explainer.site.languages import Language

# What editors type (`explainer new statement …`) to the folder it means.
KIND_NAMES = {**{kind: kind for kind in KINDS}, **{kind.removesuffix("s"): kind for kind in KINDS}, "term": "glossary"}


class ScaffoldError(Exception):
    """A new file cannot be written; the message says why and what to do."""


def new_entity(folder: Path, kind_name: str, id: str, values: dict[str, str], today: datetime.date) -> Path:
    kind = KIND_NAMES.get(kind_name)
    if kind is None:
        raise ScaffoldError(f"'{kind_name}' is not a kind of entity: use one of {', '.join(sorted(KIND_NAMES))}")
    if not ID_PATTERN.fullmatch(id) or id == "index":
        raise ScaffoldError(
            f"'{id}' cannot be an id: use lowercase letters, digits and single hyphens, e.g. 'aliyev-munich-2026'"
        )
    unknown = sorted(set(values) - set(SCHEMAS[kind].fields))
    if unknown:
        raise ScaffoldError(f"{kind} have no key '{unknown[0]}': they have {', '.join(SCHEMAS[kind].fields)}")
    path = folder / kind / f"{id}.yml"
    if path.exists() or path.with_suffix(".yaml").exists():
        raise ScaffoldError(f"{path} already exists: choose another id or edit that file")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(entity_text(kind, values, today, schema_link(path.parent, kind)), encoding="utf-8")
    return path


def new_story(folder: Path, values: dict[str, str], today: datetime.date) -> Path:
    """A new story: `folder` with a story.yml to fill in, a folder per kind and media/."""
    unknown = sorted(set(values) - set(STORY.fields))
    if unknown:
        raise ScaffoldError(f"story.yml has no key '{unknown[0]}': it has {', '.join(STORY.fields)}")
    path = folder / STORY_FILE
    if path.exists():
        raise ScaffoldError(f"{path} already exists: this folder has a story; edit that file")
    for name in (*KINDS, MEDIA):
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / ".gitkeep").touch()  # git keeps no empty folder
    path.write_text(entity_text("story", values, today, schema_link(folder, "story")), encoding="utf-8")
    return path


def entity_text(kind: str, values: dict[str, str], today: datetime.date, schema: str) -> str:
    record = DOCUMENTS[kind]
    singular = {"glossary": "glossary term", "story": "story: the story itself"}.get(kind, kind.removesuffix("s"))
    lines = [
        f"# yaml-language-server: $schema={schema}",
        f"# A new {singular}. Fill in each key that has no value yet. The keys after '# ' are",
        "# optional: delete the '# ' to use one. `explainer validate` lists what is missing.",
    ]
    for key, spec in record.fields.items():
        wanted = spec.required or key in values or key == (record.one_of or ("",))[0]
        help = spec.help + (
            f" (or give {' or '.join(record.one_of[1:])}, or both)" if key == (record.one_of or ("",))[0] else ""
        )
        lines += _key_lines(key, spec, values.get(key), today, help, commented=not wanted)
    return "\n".join(lines) + "\n"


def _key_lines(key: str, spec: Field, value: str | None, today: datetime.date, help: str, commented: bool) -> list[str]:
    prefix = "# " if commented else ""
    if isinstance(spec.type, ListField):
        items = [item.strip() for item in value.split(",")] if value else [""]
        return [f"{prefix}{key}:  # {help}"] + [
            f"{prefix}  - {_scalar(item)}" if item else f"{prefix}  -" for item in items
        ]
    if value is None and isinstance(spec.type, DateField) and spec.required:
        value = today.isoformat()
    written = f" {_scalar(value)}" if value else ""
    return [f"{prefix}{key}:{written}  # {help}"]


def _scalar(text: str) -> str:
    """Plain when YAML reads it back as the same text, double-quoted otherwise."""
    plain = text and text[0].isalnum() and all(ch.isalnum() or ch in " -_.,'’/" for ch in text)
    return text if plain else json.dumps(text, ensure_ascii=False)


def schema_link(folder: Path, kind: str, translation: bool = False) -> str:
    return Path(os.path.relpath(schema_path(kind, translation), folder.resolve())).as_posix()


def new_translation(folder: Path, original: str, language: str) -> Path:
    """A translation file of `original` (`incidents/<id>`, or `story`) into `language`, with
    each of the original's words as comments to translate from, and the fingerprint of those
    words, so that the site says when the original changes after it."""
    try:
        story = load_story(folder)
    except ContentError as error:
        raise ScaffoldError(f"the story has problems; fix them first:\n{error}") from None
    if language not in story.languages[1:]:
        raise ScaffoldError(
            f"'{language}' is not one of the story's other languages ({', '.join(story.languages[1:]) or 'none'}): "
            f"add it to 'languages' in {STORY_FILE}"
        )
    kind, _, id = original.partition("/")
    kind = KIND_NAMES.get(kind, kind)
    if kind == "story":
        entity, path = story.about, folder / f"story.{language}.yml"
    elif kind in story.entities and id in story.entities[kind]:
        entity = story.get(kind, id)
        path = folder / kind / f"{id}.{language}.yml"
    else:
        raise ScaffoldError(f"there is no {original}.yml to translate: give kind/id, e.g. incidents/embassy-strike")
    if path.exists():
        raise ScaffoldError(f"{path} already exists: edit it")
    name = Language(language, "").name_in(Language("en", ""))
    lines = [
        f"# yaml-language-server: $schema={schema_link(path.parent, kind, translation=True)}",
        f"# {name.capitalize()} translation of {entity.path.relative_to(folder).as_posix()}. Translate each key;",
        "# the original's words are in the comments above it. Delete a key you leave untranslated:",
        "# readers then see the original's words, marked as such.",
        "translator:  # who made the translation",
        "# reviewed_by:  # the editor who checked it against the original",
        f"translated_from: {fingerprint(entity.fields, kind)}  # the original's words it was made from: keep it",
    ]
    for key, spec in translation_record(kind).fields.items():
        value = entity.fields.get(key)
        if key in TRANSLATION_FIELDS or value is None:
            continue
        lines += _translation_lines(key, spec.type, value, "")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _translation_lines(key: str, type_: FieldType, value: Any, indent: str) -> list[str]:
    if isinstance(type_, RecordField):
        parts = [(part, spec.type, value.get(part)) for part, spec in type_.fields.items()]
        return [f"{indent}{key}:"] + [
            line
            for part, spec, words in parts
            if words
            for line in _translation_lines(part, spec, words, indent + "  ")
        ]
    if isinstance(value, list):
        lines = [f"{indent}{key}:"]
        for item in value:
            lines += [f"{indent}  # {line}" for line in textwrap.wrap(str(item), 88)] + [f"{indent}  -"]
        return lines
    return [f"{indent}# {line}" for line in textwrap.wrap(str(value), 88)] + [f"{indent}{key}:"]


def new_command(folder: Path, kind: str, id: str, extra: list[str]) -> int:
    try:
        if kind == "translation":  # `explainer new translation incidents/<id> ru`
            if len(extra) != 1:
                raise ScaffoldError("give what to translate and the language: explainer new translation incidents/x ru")
            path = new_translation(folder, id, extra[0])
            print(f"wrote {path}: translate each key, then run `explainer validate`")
            return 0
        values = _pairs(extra)
        if kind == "story":  # `explainer new story DIR`: the second word is the new story's folder
            path = new_story(Path(id), values, datetime.date.today())
        else:
            path = new_entity(folder, kind, id, values, datetime.date.today())
    except ScaffoldError as error:
        print(f"explainer new: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path}: fill in the keys without a value, then run `explainer validate`")
    return 0


def _pairs(extra: list[str]) -> dict[str, str]:
    """`--speaker ilham-aliyev --date 2026-02-14` as {"speaker": "ilham-aliyev", ...}."""
    if len(extra) % 2 or not all(word.startswith("--") for word in extra[::2]):
        raise ScaffoldError(f"give fields as --key value pairs, not {' '.join(extra)!r}")
    return {key[2:].replace("-", "_"): value for key, value in zip(extra[::2], extra[1::2], strict=False)}
