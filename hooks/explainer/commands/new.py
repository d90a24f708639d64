"""`explainer new`: a new entity file with every key the model has, ready to fill in.

Required keys are written without a value, so `explainer validate` points at each one until
it is filled; optional keys are commented out, each with its one-line explanation.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path

from explainer.content.fields import DateField, Field, ListField
from explainer.content.folder import ID_PATTERN, KINDS, MEDIA, STORY_FILE
from explainer.content.model import SCHEMAS, STORY
from explainer.data.editor_schemas import DOCUMENTS, SCHEMA_FOLDER

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


def schema_link(folder: Path, kind: str) -> str:
    return Path(os.path.relpath(SCHEMA_FOLDER / f"{kind}.schema.json", folder.resolve())).as_posix()


def new_command(folder: Path, kind: str, id: str, extra: list[str]) -> int:
    try:
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
