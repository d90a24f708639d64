"""Translation files: `incidents/<id>.ru.yml` beside `incidents/<id>.yml`, `story.ru.yml`
beside `story.yml`. Each holds only the words of its original (model.translation_record),
and is checked like any file; the words it leaves out are shown in the original's language.

A translation records the fingerprint of the original's words it was made from
(`translated_from`): when the original's words change, the fingerprint does not match any
more and the translation is stale. A fingerprint rather than git dates: it needs no history
(CI's shallow clones have none) and is right after a rebase or a copy.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explainer.content.fields import LANGUAGE_CODE, Check, FieldType, RecordField, Reference, did_you_mean
from explainer.content.folder import ID_PATTERN
from explainer.content.model import SCHEMAS, STORY, TRANSLATION_FIELDS, translation_record
from explainer.content.problems import Problem
from explainer.content.reader import Position, parse_yaml
from explainer.content.rich_text import RichText

_NAME = re.compile(rf"(?P<id>{ID_PATTERN.pattern})\.(?P<language>{LANGUAGE_CODE.pattern})\.ya?ml")


@dataclass(eq=False)
class Translation:
    """One translation file: the original it translates (kind, id), its language and words."""

    kind: str  # "story" for story.<language>.yml
    id: str
    language: str
    path: Path
    fields: dict[str, Any]  # only the keys the file gives
    lines: dict[str, Position]
    references: list[Reference] = field(default_factory=list)
    read_from: bytes = b""

    @property
    def translator(self) -> str | None:
        return self.fields.get("translator")

    @property
    def reviewed_by(self) -> str | None:
        return self.fields.get("reviewed_by")

    @property
    def words(self) -> dict[str, Any]:
        """The translated fields, without what the file says of itself."""
        return {key: value for key, value in self.fields.items() if key not in TRANSLATION_FIELDS}


def translation_name(path: Path) -> tuple[str, str] | None:
    """(id, language) when `path` is named like a translation, `<id>.<language>.yml`."""
    match = _NAME.fullmatch(path.name)
    return (match["id"], match["language"]) if match else None


def read_translation(
    kind: str, path: Path, problems: list[Problem], known: Translation | None = None
) -> Translation | None:
    """The translation in `path` of an entity of `kind`, checked; None after noting its problems."""
    named = translation_name(path)
    assert named is not None, f"{path} is not named as a translation"
    id, language = named
    data = path.read_bytes()
    if known is not None and known.read_from == data:
        return known
    node, read_problems = parse_yaml(path, data)
    if read_problems:
        problems += read_problems
        return None
    if node is None or node.value is None:
        problems.append(Problem(path, 1, "file is empty: it needs the translated keys of its original"))
        return None
    record = translation_record(kind)
    if not set(record.fields) - set(TRANSLATION_FIELDS):
        problems.append(Problem(path, 1, f"{kind} are cited as published and have no translation: delete this file"))
        return None
    if not isinstance(node.value, dict):
        problems.append(Problem(path, node.at[0], "a translation must be a mapping of keys to values", node.at[1]))
        return None
    check = Check(path)
    _untranslatable_keys(kind, node.value, record, check)
    checked = record.check_with_lines(node, kind, check, missing_at=(1, 1))
    problems += check.problems
    if checked is None:
        return None
    fields, lines = checked
    return Translation(kind, id, language, path, fields, lines, check.references, read_from=data)


def _untranslatable_keys(kind: str, keys: dict[str, Any], record: RecordField, check: Check) -> None:
    """Keys of the original that a translation may not hold get their own message (and are
    then left out, so the record does not call them unknown too)."""
    original = STORY if kind == "story" else SCHEMAS[kind]
    words = [key for key in record.fields if key not in TRANSLATION_FIELDS]
    for key in list(keys):
        if key in original.fields and key not in record.fields:
            translatable = ", ".join(words) if words else "nothing: its words are cited as published"
            check.problem(
                keys[key].key_at,
                f"'{key}' cannot be translated: it identifies, dates or links, and comes from the original. "
                f"A translation of {kind} holds {translatable}",
            )
            del keys[key]
        elif key not in record.fields:
            check.problem(keys[key].key_at, f"unknown key '{key}'{did_you_mean(key, record.fields)}")
            del keys[key]


def fingerprint(fields: dict[str, Any], kind: str) -> str:
    """A short fingerprint of the words a translation of this original would translate."""
    record = translation_record(kind)
    words = {
        key: _words(fields.get(key), spec.type) for key, spec in record.fields.items() if key not in TRANSLATION_FIELDS
    }
    encoded = json.dumps(words, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:12]


def _words(value: Any, type_: FieldType) -> Any:
    """`value` as JSON: text as typed, and of a record only the keys a translation holds."""
    if isinstance(value, RichText):
        return value.source
    if isinstance(value, list):
        return [_words(item, type_) for item in value]
    if isinstance(value, dict) and isinstance(type_, RecordField):
        return {key: _words(value.get(key), spec.type) for key, spec in type_.fields.items()}
    return value
