"""Read one YAML file strictly into nodes that remember their line.

Every scalar stays the text the editor typed (`NO` is "NO", `1.10` is "1.10"): the content
model, not YAML 1.1's guessing, decides what a value means. Every node keeps its line. We
refuse the parts of YAML that editors never need and attackers love: anchors, aliases, tags
and several documents. libyaml composes a file; one that may hold an anchor, alias or tag,
or that breaks a rule, is read event by event instead, which says where and how.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

try:
    from yaml import CSafeLoader as SafeLoader
    from yaml._yaml import CParser as _Parser
except ImportError:  # PyYAML built without libyaml: slower, same events and nodes
    from yaml import BaseLoader as _Parser  # type: ignore[assignment]
    from yaml import SafeLoader  # type: ignore[assignment]

from explainer.content.problems import Problem

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 16

# C0/C1 controls (tab and newlines are fine), Unicode line separators, bidirectional
# overrides and isolates, a byte-order mark after the start and non-characters: invisible,
# and able to make text lie about itself or about its line numbers.
_FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]"
)

Position = tuple[int, int]  # line and column, counted from 1
Value = str | list["Node"] | dict[str, "Node"] | None


@dataclass
class Node:
    """One YAML value and where it starts; `value` is None for an empty value (`key:`)."""

    value: Value
    line: int
    column: int = 1
    key_line: int = 0  # for a value in a mapping: where its key is
    key_column: int = 0

    @property
    def at(self) -> Position:
        return self.line, self.column

    @property
    def key_at(self) -> Position:
        return self.key_line, self.key_column


class _Refused(Exception):
    """Stops reading a file at a problem after which its structure cannot be trusted."""

    def __init__(self, event: yaml.Event, message: str):
        self.line, self.column = _position(event)
        self.message = message


def read_yaml(path: Path) -> tuple[Node | None, list[Problem]]:
    """Read `path` into a Node tree, or return the problems that prevent it."""
    return parse_yaml(path, path.read_bytes())


def parse_yaml(path: Path, data: bytes) -> tuple[Node | None, list[Problem]]:
    """The Node tree of `data`, the bytes of the file `path`, or the problems that prevent it."""
    if len(data) > MAX_FILE_BYTES:
        return None, [
            Problem(path, 1, f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES // 1024} KiB: split it up")
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, [Problem(path, line, "file is not valid UTF-8: save it as UTF-8")]
    text = text.removeprefix("\ufeff")
    problems = [
        Problem(
            path,
            text.count("\n", 0, match.start()) + 1,
            _forbidden(match.group()),
            match.start() - text.rfind("\n", 0, match.start()),
        )
        for match in _FORBIDDEN_CHARACTERS.finditer(text)
    ]
    if problems:
        return None, problems
    try:
        if not _MAY_MARK_NODES.search(text):
            try:
                return _compose_plain(text), []
            except _NeedsEvents:
                pass
        return _compose(yaml.parse(text, Loader=SafeLoader)), []
    except _Refused as refused:
        return None, [Problem(path, refused.line, refused.message, refused.column)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Problem(path, line, f"YAML syntax error: {error.problem or error.context}", column)]
    except yaml.YAMLError as error:
        return None, [Problem(path, 1, f"YAML error: {error}")]


# Anchors, aliases and tags all start with one of these. A file with none of them can be
# composed by libyaml itself, much faster than from its events in Python; the events
# explain what is wrong with any other.
_MAY_MARK_NODES = re.compile("[&*!]")


class _NeedsEvents(Exception):
    """The file breaks a rule: its events say which, and where, as for any other file."""


class _Composer(_Parser):
    """YAML's composer with no resolver: every value stays text."""

    def descend_resolver(self, parent: yaml.Node | None, index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: str | None, implicit: object) -> str:
        return ""


def _compose_plain(text: str) -> Node | None:
    """The Node tree of a file with no anchors, aliases or tags."""
    try:
        parser = _Composer(text)
        try:
            root = parser.get_single_node()
        finally:
            parser.dispose()
    except yaml.YAMLError:
        raise _NeedsEvents from None
    return None if root is None else _from_yaml_node(root, 0)


def _from_yaml_node(node: yaml.Node, depth: int) -> Node:
    if depth > MAX_DEPTH:
        raise _NeedsEvents
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        if node.style == '"' and _FORBIDDEN_CHARACTERS.search(node.value):  # an escape like "\u202e"
            raise _NeedsEvents
        return Node(None if node.value == "" and not node.style else node.value, line, column)
    if isinstance(node, yaml.SequenceNode):
        return Node([_from_yaml_node(item, depth + 1) for item in node.value], line, column)
    mapping: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = _from_yaml_node(key_node, depth + 1)
        if not isinstance(key.value, str) or key.value in mapping:
            raise _NeedsEvents
        value = _from_yaml_node(value_node, depth + 1)
        value.key_line, value.key_column = key.line, key.column
        mapping[key.value] = value
    return Node(mapping, line, column)


def _compose(events: Iterator[yaml.Event]) -> Node | None:
    documents: list[Node] = []
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            if documents:
                raise _Refused(event, "a second YAML document ('---') is not allowed: one entity per file")
            documents.append(_node(next(events), events, depth=0))
    return documents[0] if documents else None


def _node(event: yaml.Event, events: Iterator[yaml.Event], depth: int) -> Node:
    if depth > MAX_DEPTH:
        raise _Refused(event, f"values are nested more than {MAX_DEPTH} levels deep")
    if isinstance(event, yaml.AliasEvent):
        raise _Refused(event, f"alias '*{event.anchor}' is not allowed: write the value out in full")
    # Scalars and the starts of collections have both; the stubs declare them on each subclass.
    anchor, tag = getattr(event, "anchor", None), getattr(event, "tag", None)
    if anchor is not None:
        raise _Refused(event, f"anchor '&{anchor}' is not allowed: write the value out in full")
    if tag is not None:
        raise _Refused(event, f"tag '{tag}' is not allowed: remove it, values are read as text")
    if isinstance(event, yaml.ScalarEvent):
        escaped = event.style == '"' and _FORBIDDEN_CHARACTERS.search(event.value)  # an escape like "\u202e"
        if escaped:
            raise _Refused(event, _forbidden(escaped.group()))
        empty = event.value == "" and not event.style
        return Node(None if empty else event.value, *_position(event))
    if isinstance(event, yaml.SequenceStartEvent):
        items: list[Node] = []
        for item in events:
            if isinstance(item, yaml.SequenceEndEvent):
                return Node(items, *_position(event))
            items.append(_node(item, events, depth + 1))
    if isinstance(event, yaml.MappingStartEvent):
        return _mapping(event, events, depth)
    raise _Refused(event, "unexpected YAML structure")


def _mapping(start: yaml.MappingStartEvent, events: Iterator[yaml.Event], depth: int) -> Node:
    mapping: dict[str, Node] = {}
    for key_event in events:
        if isinstance(key_event, yaml.MappingEndEvent):
            return Node(mapping, *_position(start))
        key = _node(key_event, events, depth + 1)
        if not isinstance(key.value, str):
            raise _Refused(key_event, "a key must be a plain word such as 'title'")
        if key.value in mapping:
            first = mapping[key.value].key_line
            raise _Refused(key_event, f"key '{key.value}' is given twice (first on line {first}): keep one")
        value = _node(next(events), events, depth + 1)
        value.key_line, value.key_column = key.line, key.column
        mapping[key.value] = value
    raise _Refused(start, "unterminated mapping")


def _forbidden(character: str) -> str:
    return f"invisible or control character U+{ord(character):04X} is not allowed: delete it"


def _position(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    assert mark is not None, "the parser marks where every event starts"
    return mark.line + 1, mark.column + 1
