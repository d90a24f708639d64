"""The content model: which kinds of entity exist, their fields, and what each field accepts.

This module is the single statement of the rules. Validation walks it; the editor guide and
the scaffolding of new files read their descriptions from it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from explainer.content import rich_text as inline
from explainer.content.dates import PartialDate, covers, parse_date
from explainer.content.problems import Problem
from explainer.content.reader import Node, Position

KINDS = ("actors", "incidents", "statements", "glossary", "sources")
MAX_TERM_LENGTH = 80
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


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


class FieldType:
    """Turns a node into a checked value, or reports why it cannot and returns None; and
    describes itself for the editor guide and as JSON Schema for editors' autocompletion."""

    description = ""

    def check(self, node: Node, name: str, check: Check) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError


class Text(FieldType):
    """Plain text, shown exactly as typed (white space folded)."""

    description = "text"
    max_length: int | None = None

    def __init__(self, max_length: int | None = None):
        if max_length:
            self.max_length = max_length
            self.description = f"text, at most {max_length} characters"

    def check(self, node: Node, name: str, check: Check) -> str | None:
        if not isinstance(node.value, str):
            check.problem(node.at, f"'{name}' must be text, not a {_shape(node)}")
            return None
        text = " ".join(node.value.split())
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


class RichText(Text):
    """Inline Markdown with `[[kind/id]]` references; links must be http or https."""

    description = "*text*: inline Markdown, `[[kind/id]]` references"

    def check(self, node: Node, name: str, check: Check) -> inline.RichText | None:
        text = super().check(node, name, check)
        if text is None:
            return None
        parsed = inline.parse(text)
        for url in parsed.link_urls():
            if not is_web_url(url):
                check.problem(node.at, f"link '{url}' in '{name}' is not allowed: links must start with https:// or http://")
        for kind, target in parsed.references():
            if kind in KINDS and ID_PATTERN.fullmatch(target):
                check.references.append(Reference(kind, target, node.at, name))
            else:
                written = f"[[{kind}/{target}]]" if target else f"[[{kind}]]"
                check.problem(node.at, f"reference '{written}' in '{name}' must look like [[kind/id]], kind one of: {', '.join(KINDS)}")
        return parsed


class Date(Text):
    description = "date: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`"

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["string", "integer"], "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}

    def check(self, node: Node, name: str, check: Check) -> PartialDate | None:
        text = super().check(node, name, check)
        if text is None:
            return None
        try:
            return parse_date(text)
        except ValueError as error:
            check.problem(node.at, str(error))
            return None


class Choice(Text):
    def __init__(self, *options: str):
        self.options = options
        self.description = "one of " + ", ".join(options)

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(self.options)}

    def check(self, node: Node, name: str, check: Check) -> str | None:
        text = super().check(node, name, check)
        if text is not None and text not in self.options:
            check.problem(node.at, f"'{name}' is '{text}'; it must be one of: {', '.join(self.options)}{did_you_mean(text, self.options)}")
            return None
        return text


class Url(Text):
    description = "web address, `https://…` or `http://…`"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^https?://[^\s/?#]+"}

    def check(self, node: Node, name: str, check: Check) -> str | None:
        text = super().check(node, name, check)
        if text is not None and not is_web_url(text):
            check.problem(node.at, f"'{name}' is '{text}'; it must be a web address starting with https:// or http://")
            return None
        return text


class Ref(Text):
    """The id of another entity of one kind; resolved once every file is read."""

    def __init__(self, kind: str):
        self.kind = kind
        self.description = f"id of a file in {kind}/ (its name without .yml)"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"}

    def check(self, node: Node, name: str, check: Check) -> str | None:
        text = super().check(node, name, check)
        if text is None:
            return None
        if not ID_PATTERN.fullmatch(text):
            check.problem(node.at, f"'{name}' is '{text}', which is not an id: ids are lowercase letters, digits and single hyphens")
            return None
        check.references.append(Reference(self.kind, text, node.at, name))
        return text


class WholeNumber(Text):
    description = "whole number, 0 or more"

    def json_schema(self) -> dict[str, Any]:
        return {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]{1,9}$"}]}

    def check(self, node: Node, name: str, check: Check) -> int | None:
        text = super().check(node, name, check)
        if text is not None and not re.fullmatch(r"[0-9]{1,9}", text):
            check.problem(node.at, f"'{name}' is '{text}'; it must be a whole number, 0 or more")
            return None
        return None if text is None else int(text)


class Number(Text):
    def __init__(self, low: float, high: float):
        self.low, self.high = low, high
        self.description = f"number from {low:g} to {high:g}"

    def json_schema(self) -> dict[str, Any]:
        # Quoted numbers are text to JSON Schema: spell the range out as a pattern (−90…90).
        assert self.low == -self.high and self.high == int(self.high), "patterns cover symmetric whole limits"
        below = "|".join(str(whole) for whole in range(int(self.high)))
        text = rf"^[-+]?((?:{below})(\.[0-9]+)?|{int(self.high)}(\.0+)?)$"
        return {"anyOf": [{"type": "number", "minimum": self.low, "maximum": self.high}, {"type": "string", "pattern": text}]}

    def check(self, node: Node, name: str, check: Check) -> float | None:
        text = super().check(node, name, check)
        if text is None:
            return None
        if re.fullmatch(r"[-+]?[0-9]{1,3}(\.[0-9]+)?", text) and self.low <= float(text) <= self.high:
            return float(text)
        check.problem(node.at, f"'{name}' is '{text}'; it must be a number from {self.low:g} to {self.high:g}")
        return None


class ListOf(FieldType):
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
        items = [_check_value(self.item, item, name, check) for item in node.value]
        return [item for item in items if item is not None]


@dataclass(frozen=True)
class Field:
    type: FieldType
    help: str
    required: bool = False


class Record(FieldType):
    """A mapping with known keys: required ones must be there, unknown ones are errors."""

    def __init__(
        self,
        fields: dict[str, Field],
        rules: tuple[Callable[[dict[str, Any], dict[str, Position], Check], None], ...] = (),
        one_of: tuple[str, ...] = (),
    ):
        self.fields = fields
        self.rules = rules
        self.one_of = one_of  # at least one of these keys must be given
        self.description = "mapping with keys " + ", ".join(fields)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {key: {"description": spec.help, **spec.type.json_schema()} for key, spec in self.fields.items()},
            "required": [key for key, spec in self.fields.items() if spec.required],
            "additionalProperties": False,
        }
        if self.one_of:
            schema["anyOf"] = [{"required": [key]} for key in self.one_of]
        return schema

    def check(self, node: Node, name: str, check: Check) -> dict[str, Any] | None:
        checked = self.check_with_lines(node, name, check, missing_at=node.at)
        return None if checked is None else checked[0]

    def check_with_lines(self, node: Node, name: str, check: Check, missing_at: Position) -> tuple[dict[str, Any], dict[str, Position]] | None:
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
            value = _check_value(spec.type, value_node, key, check)
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


def _check_value(type_: FieldType, node: Node, name: str, check: Check) -> Any:
    if node.value is None:
        check.problem(node.at, f"'{name}' has no value: give one or delete the line")
        return None
    return type_.check(node, name, check)


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(ch.isspace() for ch in url)


def _shape(node: Node) -> str:
    return {dict: "mapping", list: "list"}.get(type(node.value), "single value")


def did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" — did you mean '{close[0]}'?" if close else ""


# Rules that span several fields of one entity. They run even when another field has a
# problem, so that one run reports everything; `values` holds only the fields that checked.


def _end_not_before_start(values: dict[str, Any], lines: dict[str, Position], check: Check) -> None:
    start, end = values.get("date"), values.get("end_date")
    if start and end and not covers(start, end):
        check.problem(lines["end_date"], f"end_date {end.iso()} is before date {start.iso()}")


def _ids(kind: str) -> ListOf:
    return ListOf(Ref(kind))


LOCATION = Record({
    "name": Field(Text(), "place name, e.g. 'Kyiv, Ukraine'", required=True),
    "lat": Field(Number(-90, 90), "latitude in decimal degrees, −90 to 90"),
    "lon": Field(Number(-180, 180), "longitude in decimal degrees, −180 to 180"),
})
CASUALTIES = Record({
    "killed": Field(WholeNumber(), "number of people killed"),
    "injured": Field(WholeNumber(), "number of people injured"),
})
LINK = Record({
    "title": Field(Text(), "what the link leads to", required=True),
    "url": Field(Url(), "https:// address", required=True),
})
# Any entity may say what was corrected in it after publication: readers see it on its
# page and on the corrections page.
CORRECTIONS = Field(ListOf(Record({
    "date": Field(Date(), "when the correction was made", required=True),
    "text": Field(Text(), "what was wrong and what it says now", required=True),
})), "corrections made after publication: list of {date, text}")

SCHEMAS: dict[str, Record] = {
    "actors": Record({
        "name": Field(Text(), "the name readers know", required=True),
        "kind": Field(Choice("person", "state", "institution", "company", "organization", "media"), "what sort of actor", required=True),
        "role": Field(Text(), "job or function, e.g. 'President of Azerbaijan'"),
        "country": Field(Text(), "country the actor belongs to"),
        "member_of": Field(Ref("actors"), "id of the actor this one belongs to"),
        "aliases": Field(ListOf(Text()), "other names"),
        "summary": Field(RichText(), "who they are, in a sentence or two"),
        "links": Field(ListOf(LINK), "official pages: list of {title, url}"),
        "corrections": CORRECTIONS,
    }),
    "sources": Record({
        "title": Field(Text(), "headline or document title", required=True),
        "publisher": Field(Text(), "who published it", required=True),
        "url": Field(Url(), "https:// address of the source", required=True),
        "published": Field(Date(), "publication date"),
        "author": Field(Text(), "author or authors"),
        "archive_url": Field(Url(), "https:// address of an archived copy"),
        "language": Field(Text(), "language code, e.g. 'en'"),
        "corrections": CORRECTIONS,
    }),
    "glossary": Record({
        # Terms are matched in every text of the story: a short word or phrase, not a sentence.
        "term": Field(Text(max_length=MAX_TERM_LENGTH), "the term as readers meet it", required=True),
        "definition": Field(RichText(), "what it means, in a sentence or two", required=True),
        "aliases": Field(ListOf(Text(max_length=MAX_TERM_LENGTH)), "other spellings and forms that should link here"),
        "category": Field(Text(), "a group such as 'weapons' or 'diplomacy'"),
        "sources": Field(_ids("sources"), "ids of sources for the definition"),
        "corrections": CORRECTIONS,
    }),
    "incidents": Record({
        "title": Field(Text(), "short neutral headline", required=True),
        "date": Field(Date(), "when it happened: YYYY-MM-DD, YYYY-MM or YYYY", required=True),
        "summary": Field(RichText(), "what happened, every claim attributed", required=True),
        "sources": Field(ListOf(Ref("sources"), at_least=1), "ids of the sources", required=True),
        "end_date": Field(Date(), "last day, for an incident that lasted"),
        "location": Field(LOCATION, "{name, lat, lon}"),
        "actors": Field(_ids("actors"), "ids of the actors involved"),
        "terms": Field(_ids("glossary"), "ids of glossary terms that explain it"),
        "damage": Field(RichText(), "damage reported, attributed"),
        "casualties": Field(CASUALTIES, "{killed, injured}"),
        "status": Field(Choice("confirmed", "reported", "disputed"), "how established the facts are"),
        "tags": Field(ListOf(Text()), "keywords"),
        "corrections": CORRECTIONS,
    }, rules=(_end_not_before_start,)),
    "statements": Record({
        "speaker": Field(Ref("actors"), "id of the actor who said it", required=True),
        "date": Field(Date(), "when it was said", required=True),
        "sources": Field(ListOf(Ref("sources"), at_least=1), "ids of the sources", required=True),
        "quote": Field(Text(), "the words said, verbatim"),
        "summary": Field(RichText(), "a paraphrase of what was said"),
        "venue": Field(Text(), "where it was said"),
        "context": Field(RichText(), "what prompted it, and what is unclear"),
        "about": Field(_ids("incidents"), "ids of the incidents it is about"),
        "responds_to": Field(_ids("statements"), "ids of the statements it answers"),
        "attributes_to": Field(_ids("actors"), "ids of the actors the speaker holds responsible"),
        "stance": Field(Text(), "the claim in one short line"),
        "corrections": CORRECTIONS,
    }, one_of=("quote", "summary")),
}
