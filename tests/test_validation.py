"""Validation of story content: every rule of the content contract, and how problems are reported.

Each test starts from a small valid story (one source, one actor, one glossary term, one
incident and one statement that reference each other), breaks one thing in one file, and
checks that `load_story` reports it as `path:line: message` at the right line with a message
that says what is wrong. Expected lines are computed from the text the test wrote, never
copied from the code's output.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from conftest import REAL_CONTENT, mkdocs_build, write_story
from explainer.content import reader
from explainer.content.dates import PartialDate
from explainer.content.model import KINDS
from explainer.content.problems import ContentError, Problem
from explainer.content.reader import MAX_DEPTH, MAX_FILE_BYTES
from explainer.content.story import load_story

# --- The valid story every test starts from ---------------------------------------------

SOURCE = "sources/news.yml"
ACTOR = "actors/minister.yml"
TERM = "glossary/note.yml"
INCIDENT = "incidents/blast.yml"
STATEMENT = "statements/remark.yml"

VALID = {
    SOURCE: """\
        title: Minister speaks on the blast
        publisher: Daily News
        url: https://news.example.com/minister
        published: 2025-07-20
        archive_url: https://archive.example.org/news
        language: en
        """,
    ACTOR: """\
        name: Jane Minister
        kind: person
        role: Foreign minister
        country: Freedonia
        aliases:
          - The Minister
        summary: Spoke after [[incidents/blast|the blast]].
        links:
          - title: Official page
            url: https://ministry.example.gov/jane
        """,
    TERM: """\
        term: Diplomatic note
        definition: A formal letter between states, as *reported* by [[sources/news]].
        category: diplomacy
        sources:
          - news
        """,
    INCIDENT: """\
        title: Blast near the embassy
        date: 2025-07-18
        summary: A blast was reported by [[actors/minister|the minister]] ([report](https://news.example.com/minister)).
        sources:
          - news
        actors:
          - minister
        terms:
          - note
        location:
          name: Kyiv
          lat: 50.45
          lon: 30.52
        casualties:
          killed: 0
          injured: 2
        status: reported
        tags:
          - embassy
        """,
    STATEMENT: """\
        speaker: minister
        date: 2025-07-19
        quote: We protest.
        context: Said a day after [[incidents/blast]].
        sources:
          - news
        about:
          - blast
        """,
}
VALID = {path: textwrap.dedent(text) for path, text in VALID.items()}

REQUIRED = {
    ACTOR: ["name", "kind"],
    SOURCE: ["title", "publisher", "url"],
    TERM: ["term", "definition"],
    INCIDENT: ["title", "date", "summary", "sources"],
    STATEMENT: ["speaker", "date", "sources"],
}


# --- Helpers ---------------------------------------------------------------------------------


def make_story(tmp_path: Path, files: dict[str, str | bytes | None] | None = None) -> Path:
    """The valid story in `tmp_path/story`, with `files` written over it (text or raw bytes; None leaves a file out)."""
    folder = tmp_path / "story"
    files = files or {}
    write_story(folder, {path: text for path, text in VALID.items() if path not in files})
    for relative, content in files.items():
        if content is None:
            continue
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def problems_in(folder: Path) -> list[Problem]:
    with pytest.raises(ContentError) as caught:
        load_story(folder)
    return caught.value.problems


def assert_problem(problems: list[Problem], path: Path, line: int, *words: str) -> Problem:
    """The problem at `path:line` whose message contains every one of `words`."""
    matching = [p for p in problems if p.path == path and p.line == line and all(w in p.message for w in words)]
    listing = "\n".join(str(p) for p in problems) or "(none)"
    assert matching, f"expected a problem at {path.name}:{line} mentioning {words}; got:\n{listing}"
    problem = matching[0]
    shown_paths = {path.as_posix(), Path(os.path.relpath(path)).as_posix()}
    assert problem.column >= 1
    assert str(problem) in {f"{shown}:{line}:{problem.column}: {problem.message}" for shown in shown_paths}, str(
        problem
    )
    return problem


def expect_problem(tmp_path: Path, relative: str, content: str | bytes, line: int, *words: str) -> Problem:
    """Write `content` over one file of the valid story and expect a problem at its `line`."""
    folder = make_story(tmp_path, {relative: content})
    return assert_problem(problems_in(folder), folder / relative, line, *words)


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first occurrence of `needle` in `text`."""
    assert needle in text, f"{needle!r} is not in the test's own text"
    return text[: text.index(needle)].count("\n") + 1


def replaced(text: str, old: str, new: str) -> str:
    assert old in text, f"{old!r} is not in the test's own text"
    return text.replace(old, new, 1)


def without(text: str, key: str, *, must_be_there: bool = True) -> str:
    """`text` without the top-level `key:` line and its indented lines."""
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith(f"{key}:"):
            skipping = True
        elif not (skipping and line.startswith(" ")):
            skipping = False
            kept.append(line)
    assert len(kept) < len(text.splitlines()) or not must_be_there, f"no key {key!r} in the test's own text"
    return "".join(kept)


# --- The starting point ----------------------------------------------------------------------


def test_the_valid_story_loads(tmp_path):
    story = load_story(make_story(tmp_path))
    assert {kind: sorted(entities) for kind, entities in story.entities.items()} == {
        "actors": ["minister"],
        "incidents": ["blast"],
        "statements": ["remark"],
        "glossary": ["note"],
        "sources": ["news"],
    }
    assert story.get("statements", "remark").fields["speaker"] == "minister"


def test_the_real_story_has_no_problems():
    story = load_story(REAL_CONTENT)
    assert all(story.entities[kind] for kind in KINDS)


# --- Keys: required, unknown, given twice ----------------------------------------------------


@pytest.mark.parametrize(("relative", "key"), [(relative, key) for relative, keys in REQUIRED.items() for key in keys])
def test_a_missing_required_key_is_reported_at_line_1(tmp_path, relative, key):
    expect_problem(tmp_path, relative, without(VALID[relative], key), 1, f"missing required key '{key}'")


@pytest.mark.parametrize(
    ("relative", "old", "new", "words"),
    [
        pytest.param(
            STATEMENT,
            "speaker: minister",
            "speeker: minister",
            ["unknown key 'speeker'", "did you mean 'speaker'"],
            id="top-level",
        ),
        pytest.param(
            INCIDENT,
            "  name: Kyiv\n",
            "  name: Kyiv\n  nmae: Kiev\n",
            ["unknown key 'nmae'", "did you mean 'name'"],
            id="location",
        ),
        pytest.param(
            INCIDENT,
            "  killed: 0\n",
            "  killed: 0\n  kiled: 1\n",
            ["unknown key 'kiled'", "did you mean 'killed'"],
            id="casualties",
        ),
        pytest.param(
            ACTOR,
            "  - title: Official page\n",
            "  - title: Official page\n    titel: Home\n",
            ["unknown key 'titel'", "did you mean 'title'"],
            id="links-item",
        ),
        pytest.param(SOURCE, "language: en", "colour: blue", ["unknown key 'colour'"], id="no-near-miss"),
    ],
)
def test_an_unknown_key_is_reported_at_its_line(tmp_path, relative, old, new, words):
    text = replaced(VALID[relative], old, new)
    bad_key = words[0].split("'")[1]
    expect_problem(tmp_path, relative, text, line_of(text, f"{bad_key}:"), *words)


@pytest.mark.parametrize(
    ("relative", "old", "parent", "missing"),
    [
        pytest.param(INCIDENT, "  name: Kyiv\n", "location:", "name", id="location-name"),
        pytest.param(ACTOR, "    url: https://ministry.example.gov/jane\n", "  - title:", "url", id="link-url"),
        pytest.param(ACTOR, "  - title: Official page\n    url", "  - url", "title", id="link-title"),
    ],
)
def test_a_missing_nested_key_is_reported_at_its_mapping(tmp_path, relative, old, parent, missing):
    text = replaced(VALID[relative], old, "  - url" if missing == "title" else "")
    line = line_of(text, parent)
    problems = problems_in(make_story(tmp_path, {relative: text}))
    found = [p for p in problems if f"missing required key '{missing}'" in p.message]
    # A block mapping starts at its first key, on the line after `location:`; either line is right.
    assert [p.line for p in found] in ([line], [line + 1]), "\n".join(map(str, problems))


STORY_WITH_UPDATES = """\
title: A test story
standfirst: A story written by a test.
updates:
  - date: 2025-07-18
    text: First published.
  - date: 2025-07-20
    text: The minister's remark added.
"""


@pytest.mark.parametrize(
    ("old", "new", "needle", "words"),
    [
        pytest.param(
            "  - date: 2025-07-20\n    text",
            "  - text",
            "  - text: The minister",
            ["missing required key 'date'"],
            id="no-date",
        ),
        pytest.param(
            "text: First published.",
            "text: [First, published]",
            "text: [First",
            ["'text' must be text"],
            id="text-not-text",
        ),
        pytest.param("date: 2025-07-18", "date: 2025-13-01", "date: 2025-13", ["no month 13"], id="bad-date"),
        pytest.param(
            "    text: First published.\n", "", "  - date: 2025-07-18", ["missing required key 'text'"], id="no-text"
        ),
    ],
)
def test_a_broken_update_is_reported_at_its_line(tmp_path, old, new, needle, words):
    text = replaced(STORY_WITH_UPDATES, old, new)
    expect_problem(tmp_path, "story.yml", text, line_of(text, needle), *words)


def test_updates_are_read_in_order(tmp_path):
    story = load_story(make_story(tmp_path, {"story.yml": STORY_WITH_UPDATES}))
    assert [(update["date"], update["text"]) for update in story.about.fields["updates"]] == [
        (PartialDate(2025, 7, 18), "First published."),
        (PartialDate(2025, 7, 20), "The minister's remark added."),
    ]


def test_a_key_given_twice_names_both_lines(tmp_path):
    text = VALID[ACTOR] + "name: Joe Minister\n"
    problem = expect_problem(tmp_path, ACTOR, text, line_of(text, "name: Joe"), "'name'", "twice")
    assert f"line {line_of(text, 'name: Jane')}" in problem.message


# --- Files: names, ids, documents ----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Jane.yml",
        "jane_minister.yml",
        "jane--minister.yml",
        "-jane.yml",
        "jane-.yaml",
        "jane minister.yml",
        "émile.yml",
    ],
)
def test_a_file_name_that_is_not_an_id_is_reported_at_line_1(tmp_path, name):
    folder = make_story(tmp_path, {f"actors/{name}": "name: Jane\nkind: person\n"})
    assert_problem(problems_in(folder), folder / "actors" / name, 1, f"'{name}'", "not a valid id")


def test_the_same_id_as_yml_and_yaml_names_both_files(tmp_path):
    folder = make_story(tmp_path, {"actors/minister.yaml": VALID[ACTOR]})
    problems = problems_in(folder)
    for path in (folder / "actors/minister.yml", folder / "actors/minister.yaml"):
        assert_problem(problems, path, 1, "'minister'", "minister.yml", "minister.yaml")


def test_yaml_suffix_is_accepted(tmp_path):
    folder = make_story(tmp_path, {ACTOR: None, "actors/minister.yaml": VALID[ACTOR]})
    assert load_story(folder).get("actors", "minister").path.name == "minister.yaml"


def test_a_folder_that_is_not_a_kind_is_reported(tmp_path):
    folder = make_story(tmp_path, {"actor/jane.yml": "name: Jane\nkind: person\n"})
    assert_problem(problems_in(folder), folder / "actor", 1, "'actor'", "did you mean 'actors'")


@pytest.mark.parametrize(
    "content", ["", "\n\n", "# only a comment\n", "   \n"], ids=["no-bytes", "blank-lines", "comment", "spaces"]
)
def test_an_empty_file_is_reported_at_line_1(tmp_path, content):
    expect_problem(tmp_path, ACTOR, content, 1, "empty")


def test_a_file_with_only_a_document_marker_is_empty_at_line_1(tmp_path):
    expect_problem(tmp_path, ACTOR, "---\n", 1, "empty")


@pytest.mark.parametrize(
    ("content", "shape"),
    [
        ("- name: Jane\n- kind: person\n", "list"),
        ("Jane Minister\n", "single value"),
    ],
    ids=["list", "scalar"],
)
def test_a_document_that_is_not_a_mapping_is_reported(tmp_path, content, shape):
    expect_problem(tmp_path, ACTOR, content, 1, "mapping", shape)


@pytest.mark.parametrize("separator", ["---", "--- # another one"])
def test_a_second_yaml_document_is_reported_at_its_start(tmp_path, separator):
    text = VALID[ACTOR] + f"{separator}\nname: Joe\nkind: person\n"
    expect_problem(tmp_path, ACTOR, text, line_of(text, "---"), "second YAML document")


# --- YAML features editors never need -------------------------------------------------------


def test_an_anchor_is_reported_at_its_line(tmp_path):
    text = replaced(VALID[ACTOR], "role: Foreign minister", "role: &job Foreign minister")
    expect_problem(tmp_path, ACTOR, text, line_of(text, "&job"), "anchor '&job'")


def test_an_alias_is_reported_at_its_line(tmp_path):
    text = replaced(VALID[ACTOR], "country: Freedonia", "country: *home")
    expect_problem(tmp_path, ACTOR, text, line_of(text, "*home"), "alias '*home'")


def test_an_anchored_mapping_and_a_merge_key_are_refused(tmp_path):
    text = VALID[INCIDENT].replace("location:\n", "location: &place\n") + "<<: *place\n"
    expect_problem(tmp_path, INCIDENT, text, line_of(text, "&place"), "anchor '&place'")


@pytest.mark.parametrize(
    "tagged",
    ["!!python/object:os.system echo", "!!str 2024", "!!binary aGVsbG8=", "!custom value", "!!python/name:os.system"],
)
def test_a_tag_is_reported_at_its_line(tmp_path, tagged):
    text = replaced(VALID[ACTOR], "role: Foreign minister", f"role: {tagged}")
    expect_problem(tmp_path, ACTOR, text, line_of(text, "role:"), "tag")


def test_a_tag_on_the_document_is_refused(tmp_path):
    text = "--- !!python/object:builtins.dict\n" + VALID[ACTOR]
    expect_problem(tmp_path, ACTOR, text, 1, "tag")


def test_a_key_that_is_not_a_word_is_reported(tmp_path):
    text = VALID[ACTOR] + "? [role, country]\n: Foreign minister\n"
    expect_problem(tmp_path, ACTOR, text, line_of(text, "? ["), "key")


def test_a_yaml_syntax_error_is_reported_at_its_line(tmp_path):
    text = replaced(VALID[ACTOR], "role: Foreign minister", 'role: "Foreign minister')
    problems = problems_in(make_story(tmp_path, {ACTOR: text}))
    assert [p.path.name for p in problems] == ["minister.yml"]
    assert "YAML" in problems[0].message and problems[0].line >= line_of(text, "role:")


def test_a_file_libyaml_composes_reads_as_its_events_do():
    """Most files are composed by libyaml; the events, which explain every refusal, must
    give the same tree, lines and columns, for the real story and for tricky layouts."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(REAL_CONTENT.rglob("*.yml"))]
    texts += [
        'name: "x"\nempty:\nquoted: ""\nlist: [a, "", {k: v}]\nblock: |\n  one\n  two\nfolded: >-\n  a\n  b\n',
        "- a\n- - b\n  - c\n- k: v\n  j:\n",
        "%YAML 1.2\n---\nkey: value\n...\n",
        "",
        "# only a comment\n",
    ]
    plain = [text for text in texts if not reader._MAY_MARK_NODES.search(text)]
    assert len(plain) > len(texts) / 2
    for text in plain:
        assert reader._compose_plain(text) == reader._compose(yaml.parse(text, Loader=reader.SafeLoader)), text


# --- Values read as typed ----------------------------------------------------------------


def test_yaml_1_1_lookalikes_stay_the_text_the_editor_typed(tmp_path):
    actor = "name: NO\nkind: person\nrole: yes\ncountry: on\naliases:\n  - 0755\n  - 1e3\n  - null\n  - ~\n"
    source = replaced(VALID[SOURCE], "title: Minister speaks on the blast", "title: 2024")
    statement = replaced(VALID[STATEMENT], "quote: We protest.", "quote: 1.10\nvenue: 1:30\nstance: off")
    story = load_story(make_story(tmp_path, {ACTOR: actor, SOURCE: source, STATEMENT: statement}))
    jane = story.get("actors", "minister").fields
    assert (jane["name"], jane["role"], jane["country"], jane["aliases"]) == (
        "NO",
        "yes",
        "on",
        ["0755", "1e3", "null", "~"],
    )
    assert story.get("sources", "news").fields["title"] == "2024"
    remark = story.get("statements", "remark").fields
    assert (remark["quote"], remark["venue"], remark["stance"]) == ("1.10", "1:30", "off")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2025-07-18", PartialDate(2025, 7, 18)),
        ('"2025-07-18"', PartialDate(2025, 7, 18)),
        ("'2025-07'", PartialDate(2025, 7)),
        ("2025-07", PartialDate(2025, 7)),
        ("2025", PartialDate(2025)),
        ("2024-02-29", PartialDate(2024, 2, 29)),
    ],
)
def test_dates_are_read_quoted_or_not(tmp_path, typed, expected):
    text = replaced(VALID[INCIDENT], "date: 2025-07-18", f"date: {typed}")
    story = load_story(make_story(tmp_path, {INCIDENT: text}))
    assert story.get("incidents", "blast").date == expected


def test_a_byte_order_mark_at_the_start_is_accepted(tmp_path):
    story = load_story(make_story(tmp_path, {ACTOR: "\ufeff" + VALID[ACTOR]}))
    assert story.get("actors", "minister").fields["name"] == "Jane Minister"


# --- Dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    ["2025-02-30", "2025-13", "2025-1-5", "2025-00", "0000", "25-07-18", "2025/07/18", "July 2025", "2025-07-18T10:00"],
)
def test_an_impossible_date_is_reported_at_its_line(tmp_path, bad):
    text = replaced(VALID[INCIDENT], "date: 2025-07-18", f"date: {bad}")
    expect_problem(tmp_path, INCIDENT, text, line_of(text, "date:"), f"'{bad}'")


@pytest.mark.parametrize(
    ("relative", "old"),
    [
        (STATEMENT, "date: 2025-07-19"),
        (SOURCE, "published: 2025-07-20"),
    ],
)
def test_impossible_dates_are_reported_in_every_date_field(tmp_path, relative, old):
    key = old.split(":")[0]
    text = replaced(VALID[relative], old, f"{key}: 2025-02-30")
    expect_problem(tmp_path, relative, text, line_of(text, f"{key}:"), "'2025-02-30'")


def test_a_date_must_use_ascii_digits(tmp_path):
    text = replaced(VALID[INCIDENT], "date: 2025-07-18", "date: ٢٠٢٥-٠٧-١٨")
    expect_problem(tmp_path, INCIDENT, text, line_of(text, "date:"), "not a date")


@pytest.mark.parametrize("end", ["2025-07-17", "2025-06", "2024"])
def test_an_end_date_before_the_date_is_reported_at_the_end_date(tmp_path, end):
    text = VALID[INCIDENT] + f"end_date: {end}\n"
    expect_problem(tmp_path, INCIDENT, text, line_of(text, "end_date:"), "end_date", "before")


@pytest.mark.parametrize("end", ["2025-07-18", "2025-07", "2025", "2025-07-19"])
def test_an_end_date_on_or_after_the_date_is_accepted(tmp_path, end):
    story = load_story(make_story(tmp_path, {INCIDENT: VALID[INCIDENT] + f"end_date: {end}\n"}))
    assert story.get("incidents", "blast").fields["end_date"].iso() == end


# --- Numbers and choices -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "old", "bad"),
    [
        ("lat", "lat: 50.45", "90.5"),
        ("lat", "lat: 50.45", "-91"),
        ("lon", "lon: 30.52", "180.1"),
        ("lon", "lon: 30.52", "-181"),
        ("lat", "lat: 50.45", "north"),
        ("lat", "lat: 50.45", "1e1"),
        ("lon", "lon: 30.52", ".nan"),
    ],
)
def test_a_coordinate_out_of_range_is_reported_at_its_line(tmp_path, key, old, bad):
    text = replaced(VALID[INCIDENT], old, f"{key}: {bad}")
    expect_problem(tmp_path, INCIDENT, text, line_of(text, f"{key}: {bad}"), f"'{key}'", f"'{bad}'")


@pytest.mark.parametrize(("lat", "lon"), [("90", "180"), ("-90", "-180"), ("0", "0.000001")])
def test_coordinates_at_the_limits_are_accepted(tmp_path, lat, lon):
    text = replaced(replaced(VALID[INCIDENT], "lat: 50.45", f"lat: {lat}"), "lon: 30.52", f"lon: {lon}")
    location = load_story(make_story(tmp_path, {INCIDENT: text})).get("incidents", "blast").fields["location"]
    assert (location["lat"], location["lon"]) == (float(lat), float(lon))


@pytest.mark.parametrize("bad", ["-1", "1.5", "ten", "1,000", "+3"])
@pytest.mark.parametrize("key", ["killed", "injured"])
def test_casualties_must_be_whole_numbers(tmp_path, key, bad):
    old = "killed: 0" if key == "killed" else "injured: 2"
    text = replaced(VALID[INCIDENT], old, f"{key}: {bad}")
    expect_problem(tmp_path, INCIDENT, text, line_of(text, f"{key}: {bad}"), f"'{key}'", "whole number")


@pytest.mark.parametrize(
    ("relative", "old", "key", "bad", "hint"),
    [
        (ACTOR, "kind: person", "kind", "persn", "did you mean 'person'"),
        (ACTOR, "kind: person", "kind", "politician", "one of"),
        (INCIDENT, "status: reported", "status", "confirmd", "did you mean 'confirmed'"),
        (INCIDENT, "status: reported", "status", "rumoured", "one of"),
    ],
)
def test_a_value_outside_a_choice_is_reported(tmp_path, relative, old, key, bad, hint):
    text = replaced(VALID[relative], old, f"{key}: {bad}")
    expect_problem(tmp_path, relative, text, line_of(text, f"{key}:"), f"'{bad}'", hint)


# --- Web addresses ----------------------------------------------------------------------


BAD_URLS = [
    "javascript:alert(1)",
    "data:text/html,hello",
    "ftp://files.example.com/x",
    "//news.example.com/x",
    "https://",
    "mailto:desk@example.com",
    "news.example.com/x",
    "http:///path",
]


@pytest.mark.parametrize("bad", BAD_URLS)
@pytest.mark.parametrize(
    ("relative", "old"),
    [
        (SOURCE, "url: https://news.example.com/minister"),
        (SOURCE, "archive_url: https://archive.example.org/news"),
        (ACTOR, "url: https://ministry.example.gov/jane"),
    ],
    ids=["source-url", "archive_url", "link-url"],
)
def test_a_url_field_takes_only_web_addresses(tmp_path, relative, old, bad):
    key = old.split(":")[0]
    text = replaced(VALID[relative], old, f"{key}: '{bad}'")
    expect_problem(tmp_path, relative, text, line_of(text, f"{key}: '{bad}'"), f"'{key}'", f"'{bad}'", "https://")


@pytest.mark.parametrize("bad", BAD_URLS + ["JavaScript:alert(1)", "<javascript:alert(1)>", ""])
def test_a_link_in_text_takes_only_web_addresses(tmp_path, bad):
    text = replaced(
        VALID[ACTOR],
        "summary: Spoke after [[incidents/blast|the blast]].",
        f"summary: 'See [here]({bad}) and *[there]({bad})*.'",
    )
    expect_problem(tmp_path, ACTOR, text, line_of(text, "summary:"), "link", f"'{bad}'", "'summary'")


@pytest.mark.parametrize(
    ("relative", "key"),
    [
        (ACTOR, "summary"),
        (TERM, "definition"),
        (INCIDENT, "summary"),
        (INCIDENT, "damage"),
        (STATEMENT, "summary"),
        (STATEMENT, "context"),
    ],
)
def test_every_text_field_checks_its_links(tmp_path, relative, key):
    text = without(VALID[relative], key, must_be_there=False) + f"{key}: 'Read [this](javascript:alert(1)).'\n"
    expect_problem(tmp_path, relative, text, line_of(text, f"{key}:"), "link", "'javascript:alert(1)'", f"'{key}'")


def test_a_link_in_plain_text_is_left_as_text(tmp_path):
    text = replaced(VALID[STATEMENT], "quote: We protest.", "quote: 'We protest [loudly](javascript:alert(1)).'")
    story = load_story(make_story(tmp_path, {STATEMENT: text}))
    assert story.get("statements", "remark").fields["quote"] == "We protest [loudly](javascript:alert(1))."


# --- References --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "old", "new", "needle", "words"),
    [
        pytest.param(
            STATEMENT,
            "speaker: minister",
            "speaker: nobody",
            "nobody",
            ["unknown actor 'nobody'", "'speaker'"],
            id="speaker",
        ),
        pytest.param(
            STATEMENT, "  - blast", "  - nothing", "nothing", ["unknown incident 'nothing'", "'about'"], id="about"
        ),
        pytest.param(
            STATEMENT,
            "about:",
            "responds_to:\n  - other\nabout:",
            "other",
            ["unknown statement 'other'", "'responds_to'"],
            id="responds_to",
        ),
        pytest.param(
            STATEMENT,
            "about:",
            "attributes_to:\n  - nobody\nabout:",
            "nobody",
            ["unknown actor 'nobody'", "'attributes_to'"],
            id="attributes_to",
        ),
        pytest.param(
            STATEMENT,
            "  - news",
            "  - gazette",
            "gazette",
            ["unknown source 'gazette'", "'sources'"],
            id="statement-sources",
        ),
        pytest.param(
            INCIDENT,
            "  - news",
            "  - gazette",
            "gazette",
            ["unknown source 'gazette'", "'sources'"],
            id="incident-sources",
        ),
        pytest.param(
            INCIDENT,
            "  - minister",
            "  - nobody",
            "nobody",
            ["unknown actor 'nobody'", "'actors'"],
            id="incident-actors",
        ),
        pytest.param(INCIDENT, "  - note", "  - nothing", "nothing", ["'nothing'", "'terms'"], id="incident-terms"),
        pytest.param(
            ACTOR,
            "country: Freedonia",
            "member_of: nobody",
            "nobody",
            ["unknown actor 'nobody'", "'member_of'"],
            id="member_of",
        ),
        pytest.param(
            TERM, "  - news", "  - gazette", "gazette", ["unknown source 'gazette'", "'sources'"], id="glossary-sources"
        ),
    ],
)
def test_a_reference_field_that_does_not_resolve_is_reported_at_its_line(tmp_path, relative, old, new, needle, words):
    text = replaced(VALID[relative], old, new)
    expect_problem(tmp_path, relative, text, line_of(text, needle), *words)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("speaker: minister", "speaker: ministr", ["'ministr'", "did you mean 'minister'"]),
        ("  - blast", "  - blats", ["'blats'", "did you mean 'blast'"]),
    ],
)
def test_a_near_miss_in_a_reference_field_suggests_the_id(tmp_path, old, new, words):
    text = replaced(VALID[STATEMENT], old, new)
    expect_problem(tmp_path, STATEMENT, text, line_of(text, new.strip()), *words)


def test_a_reference_field_that_is_not_an_id_is_reported(tmp_path):
    text = replaced(VALID[STATEMENT], "speaker: minister", "speaker: Jane Minister")
    expect_problem(tmp_path, STATEMENT, text, line_of(text, "speaker:"), "'speaker'", "not an id")


@pytest.mark.parametrize("kind", KINDS)
def test_a_reference_in_text_that_does_not_resolve_is_reported(tmp_path, kind):
    text = replaced(VALID[ACTOR], "[[incidents/blast|the blast]]", f"[[{kind}/nobody]]")
    expect_problem(
        tmp_path, ACTOR, text, line_of(text, "summary:"), "unknown", "'nobody'", "'summary'", f"{kind}/nobody"
    )


@pytest.mark.parametrize(
    ("written", "suggestion"),
    [
        ("[[incidents/blats|the blast]]", "blast"),
        ("[[actors/ministr]]", "minister"),
    ],
)
def test_a_near_miss_in_text_suggests_the_id(tmp_path, written, suggestion):
    text = replaced(VALID[ACTOR], "[[incidents/blast|the blast]]", written)
    expect_problem(tmp_path, ACTOR, text, line_of(text, "summary:"), f"did you mean '{suggestion}'")


@pytest.mark.parametrize(
    "written",
    [
        "[[nobody]]",
        "[[people/x]]",
        "[[actors/Jane]]",
        "[[actors/]]",
        "[[]]",
        "[[actors/jane minister]]",
        "[[incident/blast]]",
    ],
)
def test_a_malformed_reference_in_text_is_reported(tmp_path, written):
    text = replaced(VALID[ACTOR], "[[incidents/blast|the blast]]", written)
    expect_problem(tmp_path, ACTOR, text, line_of(text, "summary:"), "[[kind/id]]", "'summary'")


def test_references_with_labels_and_spaces_resolve(tmp_path):
    text = replaced(
        VALID[ACTOR],
        "[[incidents/blast|the blast]]",
        "[[ incidents/blast ]], [[statements/remark|her words]] and [[glossary/note]]",
    )
    story = load_story(make_story(tmp_path, {ACTOR: text}))
    assert story.get("actors", "minister").fields["summary"].source.startswith("Spoke after [[ incidents/blast ]]")


# --- Statements ---------------------------------------------------------------------------


def test_a_statement_without_quote_or_summary_is_reported_at_line_1(tmp_path):
    expect_problem(tmp_path, STATEMENT, without(VALID[STATEMENT], "quote"), 1, "'quote'", "'summary'")


def test_a_statement_with_only_a_summary_is_accepted(tmp_path):
    text = replaced(VALID[STATEMENT], "quote: We protest.", "summary: She *protested*.")
    story = load_story(make_story(tmp_path, {STATEMENT: text}))
    assert str(story.get("statements", "remark").fields["summary"]) == "She *protested*."


def test_a_source_list_needs_at_least_one_item(tmp_path):
    text = replaced(VALID[INCIDENT], "sources:\n  - news\n", "sources: []\n")
    expect_problem(tmp_path, INCIDENT, text, line_of(text, "sources:"), "'sources'", "at least 1")


# --- Shapes and empty values --------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "key", "value", "words"),
    [
        pytest.param(ACTOR, "name", "[Jane, Minister]", ["'name'", "text", "list"], id="list-for-text"),
        pytest.param(ACTOR, "role", "{title: minister}", ["'role'", "text", "mapping"], id="mapping-for-text"),
        pytest.param(ACTOR, "aliases", "The Minister", ["'aliases'", "list"], id="text-for-list"),
        pytest.param(INCIDENT, "sources", "news", ["'sources'", "list"], id="id-for-id-list"),
        pytest.param(INCIDENT, "location", "Kyiv", ["'location'", "mapping"], id="text-for-mapping"),
        pytest.param(ACTOR, "links", "[https://ministry.example.gov/jane]", ["'links'", "mapping"], id="text-for-link"),
    ],
)
def test_a_value_of_the_wrong_shape_is_reported_at_its_line(tmp_path, relative, key, value, words):
    text = without(VALID[relative], key) + f"{key}: {value}\n"
    expect_problem(tmp_path, relative, text, line_of(text, f"{key}: {value}"), *words)


@pytest.mark.parametrize(
    ("relative", "old", "new", "key"),
    [
        (ACTOR, "role: Foreign minister", "role:", "role"),
        (ACTOR, "  - The Minister", "  -", "aliases"),
        (ACTOR, "    url: https://ministry.example.gov/jane", "    url:", "url"),
        (INCIDENT, "title: Blast near the embassy", "title:", "title"),
        (INCIDENT, "  killed: 0", "  killed:", "killed"),
    ],
)
def test_an_empty_value_is_reported_at_its_line(tmp_path, relative, old, new, key):
    text = replaced(VALID[relative], old, new)
    expect_problem(tmp_path, relative, text, line_of(text, new + "\n"), f"'{key}'", "no value")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("role: Foreign minister", 'role: ""'),
        ("name: Jane Minister", "name: '   '"),
    ],
)
def test_a_quoted_empty_value_is_reported_at_its_line(tmp_path, old, new):
    text = replaced(VALID[ACTOR], old, new)
    expect_problem(tmp_path, ACTOR, text, line_of(text, new), f"'{new.split(':')[0]}'")


# --- Hardening: bytes and characters ------------------------------------------------------


def test_invalid_utf8_is_reported_at_the_line_of_the_bad_byte(tmp_path):
    data = replaced(VALID[ACTOR], "country: Freedonia", "country: Freed\udcffnia").encode("utf-8", "surrogateescape")
    line = data[: data.index(b"\xff")].count(b"\n") + 1
    expect_problem(tmp_path, ACTOR, data, line, "UTF-8")


def test_a_latin1_file_is_reported(tmp_path):
    data = replaced(VALID[ACTOR], "Foreign minister", "Ministre des affaires étrangères").encode("latin-1")
    expect_problem(tmp_path, ACTOR, data, line_of(VALID[ACTOR], "role:"), "UTF-8")


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x1b", "\x7f", "\x85", "\x9b"])
def test_a_control_character_is_reported_at_its_line(tmp_path, char):
    text = replaced(VALID[ACTOR], "Foreign minister", f"Foreign{char}minister")
    expect_problem(tmp_path, ACTOR, text, line_of(text, "role:"), f"U+{ord(char):04X}")


@pytest.mark.parametrize(
    "char", [chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))], ids=lambda c: f"U+{ord(c):04X}"
)
def test_a_bidi_override_is_reported_at_its_line(tmp_path, char):
    text = replaced(VALID[INCIDENT], "title: Blast", f"title: {char}Blast")
    expect_problem(tmp_path, INCIDENT, text, line_of(text, "title:"), f"U+{ord(char):04X}")


def test_a_byte_order_mark_after_the_start_is_reported_at_its_line(tmp_path):
    text = replaced(VALID[ACTOR], "country: Freedonia", "country: \ufeffFreedonia")
    expect_problem(tmp_path, ACTOR, text, line_of(text, "country:"), "U+FEFF")


def test_tabs_and_windows_line_endings_are_accepted(tmp_path):
    text = replaced(VALID[STATEMENT], "quote: We protest.", "quote: We\tprotest.").replace("\n", "\r\n")
    story = load_story(make_story(tmp_path, {STATEMENT: text}))
    assert story.get("statements", "remark").fields["quote"] == "We protest."


def test_problems_after_windows_line_endings_keep_their_line(tmp_path):
    text = replaced(VALID[ACTOR], "kind: person", "kind: persn")
    expect_problem(tmp_path, ACTOR, text.replace("\n", "\r\n"), line_of(text, "kind:"), "'persn'")


@pytest.mark.parametrize(("escape", "code"), [("\\u202E", "202E"), ("\\x07", "0007"), ("\\0", "0000"), ("\\e", "001B")])
def test_an_escaped_control_or_bidi_character_is_reported_at_its_line(tmp_path, escape, code):
    text = replaced(VALID[ACTOR], "role: Foreign minister", f'role: "Foreign{escape}minister"')
    expect_problem(tmp_path, ACTOR, text, line_of(text, "role:"), code)


@pytest.mark.parametrize("char", ["\uffff", "\ufffe"])
def test_a_character_yaml_refuses_is_reported_at_its_line(tmp_path, char):
    text = replaced(VALID[ACTOR], "country: Freedonia", f"country: Freed{char}nia")
    expect_problem(tmp_path, ACTOR, text, line_of(text, "country:"))


def test_a_line_separator_character_is_not_reported_past_its_line(tmp_path):
    text = replaced(VALID[ACTOR], "country: Freedonia", "country: Freed\u2028nia")
    line = line_of(text, "country:")
    try:
        story = load_story(make_story(tmp_path, {ACTOR: text}))
    except ContentError as error:
        assert [p.line for p in error.problems] == [line], "\n".join(map(str, error.problems))
    else:
        assert "Freed" in story.get("actors", "minister").fields["country"]


def test_a_file_over_256_kib_is_reported_at_line_1(tmp_path):
    padding = "#" * (MAX_FILE_BYTES - len(VALID[ACTOR].encode()) + 1) + "\n"
    text = VALID[ACTOR] + padding
    assert len(text.encode()) > MAX_FILE_BYTES
    expect_problem(tmp_path, ACTOR, text, 1, "KiB", "limit")


def test_a_file_of_exactly_256_kib_is_read(tmp_path):
    text = VALID[ACTOR] + "#" * (MAX_FILE_BYTES - len(VALID[ACTOR].encode()) - 1) + "\n"
    assert len(text.encode()) == MAX_FILE_BYTES
    assert load_story(make_story(tmp_path, {ACTOR: text})).get("actors", "minister").fields["name"] == "Jane Minister"


def test_nesting_past_the_limit_is_reported_at_its_line(tmp_path):
    depth = MAX_DEPTH + 5
    nested = "".join("  " * level + "-\n" for level in range(1, depth)) + "  " * depth + "- x\n"
    text = without(VALID[ACTOR], "aliases") + "aliases:\n" + nested
    problems = problems_in(make_story(tmp_path, {ACTOR: text}))
    found = [p for p in problems if "nested" in p.message]
    # The problem is on one of the nested lines: which one depends on how levels are counted.
    assert len(found) == 1 and line_of(text, "aliases:") < found[0].line <= text.count("\n"), "\n".join(
        map(str, problems)
    )
    assert str(MAX_DEPTH) in found[0].message


def test_very_deep_flow_nesting_is_reported_without_a_crash(tmp_path):
    text = without(VALID[ACTOR], "aliases") + "aliases: " + "[" * 100_000 + "]" * 100_000 + "\n"
    expect_problem(tmp_path, ACTOR, text, line_of(text, "aliases: ["))


# --- Every problem, in order --------------------------------------------------------------


def test_several_problems_in_several_files_are_all_reported_sorted(tmp_path):
    actor = replaced(VALID[ACTOR], "kind: person", "kind: persn") + "colour: blue\n"
    incident = replaced(
        replaced(VALID[INCIDENT], "date: 2025-07-18", "date: 2025-02-30"), "status: reported", "status: rumoured"
    )
    source = replaced(VALID[SOURCE], "url: https://news.example.com/minister", "url: javascript:alert(1)")
    statement = without(VALID[STATEMENT], "speaker")
    folder = make_story(
        tmp_path,
        {ACTOR: actor, INCIDENT: incident, SOURCE: source, STATEMENT: statement, "glossary/Note.yml": VALID[TERM]},
    )
    with pytest.raises(ContentError) as caught:
        load_story(folder)
    problems = caught.value.problems
    expected = [
        (ACTOR, line_of(actor, "kind:"), "'persn'"),
        (ACTOR, line_of(actor, "colour:"), "'colour'"),
        (INCIDENT, line_of(incident, "date:"), "'2025-02-30'"),
        (INCIDENT, line_of(incident, "status:"), "'rumoured'"),
        (SOURCE, line_of(source, "url:"), "javascript:"),
        (STATEMENT, 1, "'speaker'"),
        ("glossary/Note.yml", 1, "'Note.yml'"),
    ]
    for relative, line, word in expected:
        assert_problem(problems, folder / relative, line, word)
    places = [(p.path, p.line) for p in problems]
    assert places == sorted(places)
    assert len({p.path for p in problems}) == 5
    shown = str(caught.value).splitlines()
    assert shown[:-1] == [str(p) for p in problems]
    assert shown[-1].startswith(f"{len(problems)} errors")


@pytest.mark.parametrize(
    ("relative", "changes", "wanted"),
    [
        pytest.param(
            STATEMENT,
            [("date: 2025-07-19", "date: 2025-02-30"), ("speaker: minister", "speaker: nobody")],
            [("date:", "'2025-02-30'"), ("speaker:", "'nobody'")],
            id="bad-date-and-unknown-speaker",
        ),
        pytest.param(
            STATEMENT,
            [("date: 2025-07-19", "date: 2025-02-30"), ("quote: We protest.\n", "")],
            [("date:", "'2025-02-30'"), (None, "'quote'")],
            id="bad-date-and-no-quote",
        ),
        pytest.param(
            INCIDENT,
            [("status: reported", "status: rumoured\nend_date: 2025-07-01")],
            [("status:", "'rumoured'"), ("end_date:", "before")],
            id="bad-status-and-end-before-date",
        ),
    ],
)
def test_every_problem_of_one_file_is_reported_in_one_run(tmp_path, relative, changes, wanted):
    text = VALID[relative]
    for old, new in changes:
        text = replaced(text, old, new)
    problems = problems_in(make_story(tmp_path, {relative: text}))
    for needle, word in wanted:
        assert_problem(problems, tmp_path / "story" / relative, line_of(text, needle) if needle else 1, word)


# --- The `explainer validate` command ------------------------------------------------------


def run_validate(*arguments: str, cwd: Path, content: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "EXPLAINER_CONTENT"}
    if content is not None:
        env["EXPLAINER_CONTENT"] = str(content)
    return subprocess.run(
        [sys.executable, "-m", "explainer", "validate", *arguments],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def broken_story(tmp_path: Path) -> tuple[Path, list[str]]:
    """A story with two problems in two files, and their `path:line:` prefixes relative to tmp_path."""
    actor = replaced(VALID[ACTOR], "kind: person", "kind: persn")
    statement = replaced(VALID[STATEMENT], "speaker: minister", "speeker: minister")
    folder = make_story(tmp_path, {ACTOR: actor, STATEMENT: statement})
    prefixes = [f"story/{ACTOR}:{line_of(actor, 'kind:')}:", f"story/{STATEMENT}:{line_of(statement, 'speeker:')}:"]
    return folder, prefixes


def test_validate_lists_the_problems_and_exits_1(tmp_path):
    folder, prefixes = broken_story(tmp_path)
    result = run_validate("story", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith(prefixes[0])] == [
        f"{prefixes[0]}{p.column}: {p.message}" for p in problems_in(folder) if p.path == folder / ACTOR
    ]
    assert any(line.startswith(prefixes[1]) and "unknown key 'speeker'" in line for line in lines)
    assert "Traceback" not in result.stderr


def test_validate_prints_the_same_list_as_the_loader(tmp_path, monkeypatch):
    broken_story(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run_validate("story", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == str(ContentError(problems_in(Path("story"))))


def test_validate_exits_0_on_a_valid_story(tmp_path):
    make_story(tmp_path)
    result = run_validate("story", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr


def test_validate_exits_0_on_the_real_story(tmp_path):
    result = run_validate(str(REAL_CONTENT), cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr


def test_validate_reads_the_folder_from_explainer_content(tmp_path):
    folder, prefixes = broken_story(tmp_path)
    broken = run_validate(cwd=tmp_path, content=folder)
    assert broken.returncode == 1
    assert any(prefixes[0].split("story/")[1] in line and "'persn'" in line for line in broken.stderr.splitlines()), (
        broken.stderr
    )
    valid = run_validate(cwd=tmp_path, content=make_story(tmp_path / "good"))
    assert (valid.returncode, valid.stderr) == (0, ""), valid.stdout + valid.stderr


def test_validate_reports_a_missing_folder_without_a_traceback(tmp_path):
    result = run_validate("no-such-folder", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("no-such-folder:1:1: ") and "Traceback" not in result.stderr


# --- `mkdocs build` on broken content ------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() if path.is_file() else None
        for path in sorted(folder.rglob("*"))
    }


@pytest.mark.parametrize(
    ("relative", "content", "needle", "word"),
    [
        pytest.param(ACTOR, replaced(VALID[ACTOR], "kind: person", "kind: persn"), "kind:", "'persn'", id="bad-choice"),
        pytest.param(
            ACTOR,
            replaced(VALID[ACTOR], "role: Foreign minister", "role: !!python/object:os.system echo"),
            "role:",
            "tag",
            id="tag",
        ),
        pytest.param(
            STATEMENT,
            replaced(VALID[STATEMENT], "speaker: minister", "speaker: nobody"),
            "speaker:",
            "'nobody'",
            id="unresolved",
        ),
    ],
)
def test_mkdocs_build_stops_on_broken_content_and_keeps_the_old_site(tmp_path, relative, content, needle, word):
    folder = make_story(tmp_path, {relative: content})
    site = tmp_path / "site"
    (site / "old").mkdir(parents=True)
    (site / "index.html").write_text("<p>the last good build</p>", encoding="utf-8")
    (site / "old" / "marker.txt").write_text("keep me", encoding="utf-8")
    before = snapshot(site)

    build = mkdocs_build(folder, site)

    assert build.result.returncode != 0
    problem_line = f"{relative}:{line_of(content, needle)}:"
    assert any(problem_line in line and word in line for line in build.output.splitlines()), build.output
    assert "Traceback" not in build.output
    assert snapshot(site) == before
