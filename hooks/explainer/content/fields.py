"""The types a field of the content model can have. Each type knows every output it has: how
it checks a YAML node, its JSON Schema for editors, and its shape in the open data (JSON
value, JSON Schema of the export, spreadsheet cells). Adding a field type is one class here;
a type that leaves an output out cannot be made (the outputs are abstract methods).
"""

from __future__ import annotations

import difflib
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError

from explainer.content import rich_text
from explainer.content.dates import PartialDate, parse_date
from explainer.content.folder import ID_PATTERN, KINDS
from explainer.content.problems import Problem
from explainer.content.reader import Node, Position

PlainText = Callable[[rich_text.RichText], str]  # a text field's words, references replaced by names
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_MAILTO = re.compile(r"mailto:[^\s@/?#]+@[^\s@/?#]+\.[^\s@/?#]+")


@dataclass(frozen=True)
class Reference:
    """One entity naming another, by a field or by `[[kind/id]]` in text."""

    kind: str
    id: str
    at: Position
    field: str


@dataclass
class Check:
    """What checking one file collects: its problems and the references still to resolve."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)

    def problem(self, at: Position, message: str) -> None:
        self.problems.append(Problem(self.path, at[0], message, at[1]))


class FieldType(ABC):
    """Turns a node into a checked value, or reports why it cannot and returns None; and
    describes itself for the editor guide, for editors' autocompletion and for the open data."""

    description = ""
    translatable = False  # words a translation may hold; not what identifies, dates or links

    @abstractmethod
    def check(self, node: Node, name: str, check: Check) -> Any:
        """The checked value of `node`, or None after reporting the problem to `check`."""

    @abstractmethod
    def json_schema(self) -> dict[str, Any]:
        """JSON Schema of what editors may write, for their editor's autocompletion."""

    @abstractmethod
    def export_schema(self) -> dict[str, Any]:
        """JSON Schema of the value in data/explainer.json."""

    def export_value(self, value: Any, plain: PlainText) -> Any:
        """The checked `value` (never None) as plain JSON."""
        return value

    def cells(self, column: str, value: Any, plain: PlainText) -> dict[str, str]:
        """The spreadsheet cells of `value` (None: empty cells that name the columns)."""
        return {column: _inert("" if value is None else str(value))}

    def translated(self) -> FieldType | None:
        """This type in a translation file: itself for words, None for what identifies, dates or links."""
        return self if self.translatable else None


class TextField(FieldType):
    """Plain text, shown exactly as typed (white space folded)."""

    description = "text"
    translatable = True
    max_length: int | None = None
    may_be_empty = False  # `alt: ""` says a picture is decorative; no other text may be empty

    def __init__(self, max_length: int | None = None, may_be_empty: bool = False):
        self.may_be_empty = may_be_empty
        if max_length:
            self.max_length = max_length
            self.description = f"text, at most {max_length} characters"

    def check(self, node: Node, name: str, check: Check) -> Any:
        return self.text(node, name, check)

    def text(self, node: Node, name: str, check: Check) -> str | None:
        """The node's text, white space folded, or None after reporting why it is not text."""
        if not isinstance(node.value, str):
            check.problem(node.at, f"'{name}' must be text, not a {_shape(node)}")
            return None
        text = " ".join(node.value.split())
        if not text and self.may_be_empty:
            return text
        if not text:
            check.problem(node.at, f"'{name}' is empty: give it a value or delete the line")
            return None
        if self.max_length and len(text) > self.max_length:
            check.problem(node.at, f"'{name}' is {len(text)} characters long; the limit is {self.max_length}")
            return None
        return text

    def json_schema(self) -> dict[str, Any]:
        # Unquoted 2024 or true are numbers and booleans to YAML 1.2 editors, but text to us.
        schema: dict[str, Any] = {"type": ["string", "number", "boolean"], "pattern": r"\S"}
        return schema | ({"maxLength": self.max_length} if self.max_length else {})

    def export_schema(self) -> dict[str, Any]:
        return {"type": "string"}


class RichTextField(TextField):
    """Inline Markdown with `[[kind/id]]` references; links must be http or https."""

    description = "*text*: inline Markdown, `[[kind/id]]` references"

    def check(self, node: Node, name: str, check: Check) -> rich_text.RichText | None:
        text = self.text(node, name, check)
        if text is None:
            return None
        parsed = rich_text.parse(text)
        for url in parsed.link_urls():
            if not is_web_url(url):
                check.problem(
                    node.at, f"link '{url}' in '{name}' is not allowed: links must start with https:// or http://"
                )
        for kind, target in parsed.references():
            if kind in KINDS and ID_PATTERN.fullmatch(target):
                check.references.append(Reference(kind, target, node.at, name))
            else:
                written = f"[[{kind}/{target}]]" if target else f"[[{kind}]]"
                check.problem(
                    node.at,
                    f"reference '{written}' in '{name}' must look like [[kind/id]], kind one of: {', '.join(KINDS)}",
                )
        return parsed

    def export_schema(self) -> dict[str, Any]:
        return {"$ref": "#/definitions/text"}

    def export_value(self, value: rich_text.RichText, plain: PlainText) -> Any:
        return {"markdown": value.source, "text": plain(value)}

    def cells(self, column: str, value: rich_text.RichText | None, plain: PlainText) -> dict[str, str]:
        words, markdown = (plain(value), value.source) if value else ("", "")
        return {column: _inert(words), f"{column}_markdown": _inert(markdown)}


class SourcedTextField(RichTextField):
    """Rich text that must name what it rests on: a source or an entity, as `[[kind/id]]`."""

    description = "*text* naming its source or entity with `[[kind/id]]`"

    def check(self, node: Node, name: str, check: Check) -> rich_text.RichText | None:
        parsed = super().check(node, name, check)
        if parsed is not None and not any(True for _ in parsed.references()):
            check.problem(
                node.at,
                f"an item of '{name}' names nothing it rests on: cite its source as [[sources/id]], "
                "or the incident, statement or actor it comes from as [[kind/id]]",
            )
            return None
        return parsed


class LanguageField(TextField):
    """A BCP 47 language code that Babel knows, for its month names and plural rules."""

    description = "language code (BCP 47), e.g. `en`, `ru`, `uk`, `ar` or `pt-BR`"
    translatable = False

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": LANGUAGE_CODE.pattern}

    def check(self, node: Node, name: str, check: Check) -> str | None:
        code = self.text(node, name, check)
        if code is None:
            return None
        if not known_language(code):
            check.problem(
                node.at, f"'{code}' in '{name}' is not a language code: write one such as 'en', 'ru' or 'pt-BR'"
            )
            return None
        return code


class ContactField(TextField):
    """Where readers report an error: a web address or an e-mail address."""

    translatable = False

    description = "`https://…` address or `mailto:` address"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^(https://[^\s/?#]+|mailto:[^\s@]+@[^\s@]+)"}

    def check(self, node: Node, name: str, check: Check) -> str | None:
        text = self.text(node, name, check)
        if text is not None and not (is_web_url(text) and text.startswith("https://") or _MAILTO.fullmatch(text)):
            check.problem(node.at, f"'{name}' is '{text}'; give an https:// address or mailto:someone@example.org")
            return None
        return text

    def export_schema(self) -> dict[str, Any]:
        return {"type": "string"}


class DateField(TextField):
    translatable = False
    description = "date: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`"

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["string", "integer"], "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}

    def check(self, node: Node, name: str, check: Check) -> PartialDate | None:
        text = self.text(node, name, check)
        if text is None:
            return None
        try:
            return parse_date(text)
        except ValueError as error:
            check.problem(node.at, str(error))
            return None

    def export_schema(self) -> dict[str, Any]:
        return {"$ref": "#/definitions/date"}

    def export_value(self, value: PartialDate, plain: PlainText) -> Any:
        return {"iso": value.iso(), "precision": value.precision}

    def cells(self, column: str, value: PartialDate | None, plain: PlainText) -> dict[str, str]:
        return {column: value.iso() if value else "", f"{column}_precision": value.precision if value else ""}


class ChoiceField(TextField):
    translatable = False

    def __init__(self, *options: str):
        self.options = options
        self.description = "one of " + ", ".join(options)

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(self.options)}

    def check(self, node: Node, name: str, check: Check) -> str | None:
        text = self.text(node, name, check)
        if text is not None and text not in self.options:
            check.problem(
                node.at,
                f"'{name}' is '{text}'; it must be one of: {', '.join(self.options)}{did_you_mean(text, self.options)}",
            )
            return None
        return text

    def export_schema(self) -> dict[str, Any]:
        return {"enum": list(self.options)}


class UrlField(TextField):
    translatable = False
    description = "web address, `https://…` or `http://…`"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^https?://[^\s/?#]+"}

    def check(self, node: Node, name: str, check: Check) -> str | None:
        text = self.text(node, name, check)
        if text is not None and not is_web_url(text):
            check.problem(node.at, f"'{name}' is '{text}'; it must be a web address starting with https:// or http://")
            return None
        return text

    def export_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": "^https?://"}


class RefField(TextField):
    """The id of another entity of one kind; resolved once every file is read."""

    translatable = False

    def __init__(self, kind: str):
        self.kind = kind
        self.description = f"id of a file in {kind}/ (its name without .yml)"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"}

    def check(self, node: Node, name: str, check: Check) -> str | None:
        text = self.text(node, name, check)
        if text is None:
            return None
        if not ID_PATTERN.fullmatch(text):
            check.problem(
                node.at,
                f"'{name}' is '{text}', which is not an id: ids are lowercase letters, digits and single hyphens",
            )
            return None
        check.references.append(Reference(self.kind, text, node.at, name))
        return text

    def export_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"}


class WholeNumberField(TextField):
    translatable = False
    description = "whole number, 0 or more"

    def json_schema(self) -> dict[str, Any]:
        return {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]{1,9}$"}]}

    def check(self, node: Node, name: str, check: Check) -> int | None:
        text = self.text(node, name, check)
        if text is not None and not re.fullmatch(r"[0-9]{1,9}", text):
            check.problem(node.at, f"'{name}' is '{text}'; it must be a whole number, 0 or more")
            return None
        return None if text is None else int(text)

    def export_schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": 0}

    def cells(self, column: str, value: int | None, plain: PlainText) -> dict[str, str]:
        return {column: "" if value is None else str(value)}


class NumberField(TextField):
    translatable = False

    def __init__(self, low: float, high: float):
        self.low, self.high = low, high
        self.description = f"number from {low:g} to {high:g}"

    def json_schema(self) -> dict[str, Any]:
        # Quoted numbers are text to JSON Schema: spell the range out as a pattern (−90…90).
        assert self.low == -self.high and self.high == int(self.high), "patterns cover symmetric whole limits"
        below = "|".join(str(whole) for whole in range(int(self.high)))
        text = rf"^[-+]?((?:{below})(\.[0-9]+)?|{int(self.high)}(\.0+)?)$"
        return {
            "anyOf": [
                {"type": "number", "minimum": self.low, "maximum": self.high},
                {"type": "string", "pattern": text},
            ]
        }

    def check(self, node: Node, name: str, check: Check) -> float | None:
        text = self.text(node, name, check)
        if text is None:
            return None
        if re.fullmatch(r"[-+]?[0-9]{1,3}(\.[0-9]+)?", text) and self.low <= float(text) <= self.high:
            return float(text)
        check.problem(node.at, f"'{name}' is '{text}'; it must be a number from {self.low:g} to {self.high:g}")
        return None

    def export_schema(self) -> dict[str, Any]:
        return {"type": "number", "minimum": self.low, "maximum": self.high}

    def cells(self, column: str, value: float | None, plain: PlainText) -> dict[str, str]:
        return {column: "" if value is None else str(value)}


class ListField(FieldType):
    def __init__(self, item: FieldType, at_least: int = 0):
        self.item, self.at_least = item, at_least
        self.description = f"list{' of at least ' + str(at_least) if at_least else ''}, each item: {item.description}"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "array", "items": self.item.json_schema(), "minItems": self.at_least}

    def check(self, node: Node, name: str, check: Check) -> list[Any] | None:
        if not isinstance(node.value, list):
            check.problem(node.at, f"'{name}' must be a list (lines starting with '- '), not a {_shape(node)}")
            return None
        if len(node.value) < self.at_least:
            check.problem(node.at, f"'{name}' needs at least {self.at_least} item{'s' if self.at_least > 1 else ''}")
        items = [check_value(self.item, item, name, check) for item in node.value]
        return [item for item in items if item is not None]

    def export_schema(self) -> dict[str, Any]:
        return {"type": "array", "items": self.item.export_schema(), "minItems": self.at_least}

    def export_value(self, value: list[Any], plain: PlainText) -> Any:
        return [self.item.export_value(item, plain) for item in value]

    def translated(self) -> FieldType | None:
        # A list of words is translated whole; a list of records (links, corrections) is not:
        # its items have no names a translation could point at.
        return self if self.item.translated() is self.item else None

    def cells(self, column: str, value: list[Any] | None, plain: PlainText) -> dict[str, str]:
        # Text never holds a line break (white space is folded), so one is a safe separator,
        # and the lines of the columns of a list of mappings (`links_title`, `links_url`) go together.
        items = [self.item.cells(column, item, plain) for item in value or []]
        return {name: "\n".join(item[name] for item in items) for name in self.item.cells(column, None, plain)}


@dataclass(frozen=True)
class Field:
    type: FieldType
    help: str
    required: bool = False
    verbatim: bool = False  # words kept as published (a source's headline): never translated

    def translated(self) -> Field | None:
        """This field in a translation file, always optional; None if it cannot be translated."""
        translated = None if self.verbatim else self.type.translated()
        return None if translated is None else Field(translated, self.help)


Rule = Callable[[dict[str, Any], dict[str, Position], Check], None]


class RecordField(FieldType):
    """A mapping with known keys: required ones must be there, unknown ones are errors."""

    def __init__(self, fields: dict[str, Field], rules: tuple[Rule, ...] = (), one_of: tuple[str, ...] = ()):
        self.fields = fields
        self.rules = rules
        self.one_of = one_of  # at least one of these keys must be given
        self.description = "mapping with keys " + ", ".join(fields)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {
                key: {"description": spec.help, **spec.type.json_schema()} for key, spec in self.fields.items()
            },
            "required": [key for key, spec in self.fields.items() if spec.required],
            "additionalProperties": False,
        }
        if self.one_of:
            schema["anyOf"] = [{"required": [key]} for key in self.one_of]
        return schema

    def check(self, node: Node, name: str, check: Check) -> dict[str, Any] | None:
        checked = self.check_with_lines(node, name, check, missing_at=node.at)
        return None if checked is None else checked[0]

    def check_with_lines(
        self, node: Node, name: str, check: Check, missing_at: Position
    ) -> tuple[dict[str, Any], dict[str, Position]] | None:
        """The checked values and the line of each; a missing key is reported at `missing_at`."""
        if not isinstance(node.value, dict):
            check.problem(node.at, f"'{name}' must be a mapping of keys to values, not a {_shape(node)}")
            return None
        values: dict[str, Any] = {}
        lines: dict[str, Position] = {}
        for key, value_node in node.value.items():
            if key not in self.fields:
                check.problem(value_node.key_at, f"unknown key '{key}'{did_you_mean(key, self.fields)}")
                continue
            lines[key] = value_node.at if value_node.value is not None else value_node.key_at
            spec = self.fields[key]
            if value_node.value is None and spec.required:
                check.problem(value_node.at, f"'{key}' has no value: fill it in ({spec.help})")
                continue
            value = check_value(spec.type, value_node, key, check)
            if value is not None:
                values[key] = value
        for key, spec in self.fields.items():
            if spec.required and key not in node.value:
                check.problem(missing_at, f"missing required key '{key}' ({spec.help})")
        if self.one_of and not any(key in node.value for key in self.one_of):
            keys = " or ".join(f"'{key}' ({self.fields[key].help})" for key in self.one_of)
            check.problem(missing_at, f"{name.removesuffix('s')} needs {keys}, or both")
        for rule in self.rules:
            rule(values, lines, check)
        return values, lines

    def export_schema(self) -> dict[str, Any]:
        return record_schema(self.field_schemas())

    def translated(self) -> RecordField | None:
        fields = {key: translated for key, spec in self.fields.items() if (translated := spec.translated())}
        return RecordField(fields) if fields else None

    def field_schemas(self) -> dict[str, tuple[dict[str, Any], str]]:
        """Each field's export schema and help; an optional field may also be null."""
        return {
            key: (
                spec.type.export_schema()
                if spec.required
                else {"anyOf": [spec.type.export_schema(), {"type": "null"}]},
                spec.help,
            )
            for key, spec in self.fields.items()
        }

    def export_value(self, value: dict[str, Any], plain: PlainText) -> Any:
        return {key: self.export_field(spec, value.get(key), plain) for key, spec in self.fields.items()}

    @staticmethod
    def export_field(spec: Field, value: Any, plain: PlainText) -> Any:
        """A field's value as plain JSON, null where the editor left it out."""
        return None if value is None else spec.type.export_value(value, plain)

    def cells(self, column: str, value: dict[str, Any] | None, plain: PlainText) -> dict[str, str]:
        cells: dict[str, str] = {}
        for key, spec in self.fields.items():
            cells.update(spec.type.cells(f"{column}_{key}", value.get(key) if value else None, plain))
        return cells


def record_schema(properties: dict[str, tuple[dict[str, Any], str]]) -> dict[str, Any]:
    """JSON Schema of an object with exactly these keys, each always present: {key: (schema, help)}."""
    return {
        "type": "object",
        "properties": {key: {"description": help, **schema} for key, (schema, help) in properties.items()},
        "required": list(properties),
        "additionalProperties": False,
    }


def check_value(type_: FieldType, node: Node, name: str, check: Check) -> Any:
    if node.value is None:
        check.problem(node.at, f"'{name}' has no value: give one or delete the line")
        return None
    return type_.check(node, name, check)


def known_language(code: str) -> bool:
    """Whether `code` is a BCP 47 code whose locale Babel has."""
    if not LANGUAGE_CODE.fullmatch(code):
        return False
    try:
        Locale.parse(code, sep="-")
    except (ValueError, UnknownLocaleError):
        return False
    return True


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(ch.isspace() for ch in url)


def _shape(node: Node) -> str:
    return "mapping" if isinstance(node.value, dict) else "list" if isinstance(node.value, list) else "single value"


def did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" — did you mean '{close[0]}'?" if close else ""


def _inert(text: str) -> str:
    """Text a spreadsheet shows rather than runs: a leading apostrophe before formula signs."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
