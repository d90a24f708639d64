"""The editors' workflow: hints and warnings, the JSON Schemas generated from the model,
`explainer new`, GitHub annotations, and a live `mkdocs serve` that survives a broken file."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jsonschema
import pytest

from conftest import REAL_CONTENT, ROOT, originals, write_story
from explainer.commands.cli import main
from explainer.commands.new import KIND_NAMES, ScaffoldError, new_entity
from explainer.content.lint import lint
from explainer.content.model import KINDS
from explainer.content.problems import ContentError, Problem
from explainer.content.reader import Node, read_yaml
from explainer.content.story import load_story
from explainer.data.editor_schemas import GUIDE, GUIDE_MARKERS, guide_with_reference, json_schema, schema_files

STORY = {
    "sources/paper.yml": """
        title: A report
        publisher: The Paper
        url: https://example.org/report
    """,
    "actors/ilham-aliyev.yml": """
        name: Ilham Aliyev
        kind: person
    """,
    "incidents/strike.yml": """
        title: A strike
        date: 2025-07
        summary: Something happened, says [[actors/ilham-aliyev]].
        sources: [paper]
    """,
    "statements/first.yml": """
        speaker: ilham-aliyev
        date: 2025-08-01
        quote: It was deliberate.
        about: [strike]
        sources: [paper]
    """,
}


def story(tmp_path: Path, **changes: str | None) -> Path:
    """The small valid story above in tmp_path/story, with files replaced (or left out with None)."""
    files = {path: text for path, text in STORY.items() if changes.get(_key(path), "") is not None}
    files.update(
        {path: text for path, text in ((_path(key), text) for key, text in changes.items()) if text is not None}
    )
    return write_story(tmp_path / "story", files)


def _key(path: str) -> str:
    return path.removesuffix(".yml").replace("/", "__").replace("-", "_")


def _path(key: str) -> str:
    return key.replace("__", "/").replace("_", "-") + ".yml"


def errors(folder: Path) -> list[Problem]:
    with pytest.raises(ContentError) as caught:
        load_story(folder)
    return caught.value.problems


# --- Errors that teach -------------------------------------------------------------------


def test_an_unknown_key_suggests_the_closest_one_at_its_line_and_column(tmp_path):
    folder = story(tmp_path, statements__first="speeker: ilham-aliyev\ndate: 2025-08-01\nquote: x\nsources: [paper]\n")
    [problem] = [p for p in errors(folder) if "speeker" in p.message]
    assert (problem.line, problem.column) == (1, 1)
    assert "unknown key 'speeker' — did you mean 'speaker'?" in problem.message


def test_an_unknown_id_suggests_the_closest_one(tmp_path):
    folder = story(tmp_path, statements__first="speaker: ilham-aliev\ndate: 2025-08-01\nquote: x\nsources: [paper]\n")
    [problem] = errors(folder)
    assert (problem.line, problem.column) == (1, 10)
    assert "unknown actor 'ilham-aliev'" in problem.message and "did you mean 'ilham-aliyev'?" in problem.message
    assert str(problem).endswith(f":1:10: {problem.message}")


def test_an_impossible_date_says_it_is_not_a_day_of_the_calendar(tmp_path):
    folder = story(tmp_path, statements__first="speaker: ilham-aliyev\ndate: 2025-02-30\nquote: x\nsources: [paper]\n")
    [problem] = errors(folder)
    assert (problem.line, problem.column, problem.message) == (2, 7, "date '2025-02-30' is not a day of the calendar")


def test_a_misspelt_choice_suggests_the_right_one(tmp_path):
    folder = story(tmp_path, actors__ilham_aliyev="name: Ilham Aliyev\nkind: persn\n")
    [problem] = errors(folder)
    assert "did you mean 'person'?" in problem.message


def test_problems_are_listed_by_file_line_and_column(tmp_path):
    folder = story(
        tmp_path,
        actors__ilham_aliyev="name: Ilham Aliyev\nkind: persn\nrole: [a, b]\n",
        incidents__strike="title: t\ndate: 2025-13\nsummary: s [[actors/nobody]]\nsources: [paper]\n",
    )
    problems = errors(folder)
    places = [(str(p.path), p.line, p.column) for p in problems]
    assert places == sorted(places) and len(problems) == 4


# --- Warnings ----------------------------------------------------------------------------


def test_the_small_story_and_the_real_story_have_no_warnings(tmp_path):
    assert lint(load_story(story(tmp_path))) == []
    assert lint(load_story(REAL_CONTENT)) == []


def test_an_actor_nobody_references_is_a_warning_at_its_name(tmp_path):
    folder = story(tmp_path, actors__nobody="kind: person\nname: Nobody Special\n")
    [warning] = lint(load_story(folder))
    assert (warning.path.name, warning.line, warning.severity) == ("nobody.yml", 2, "warning")
    assert str(warning).endswith(
        ":2:7: warning: no statement, incident or text mentions this actor: reference it or delete the file"
    )


def test_a_source_nobody_cites_is_a_warning(tmp_path):
    folder = story(tmp_path, sources__unused="title: Unused\npublisher: P\nurl: https://example.org/u\n")
    [warning] = lint(load_story(folder))
    assert (warning.path.name, warning.line) == ("unused.yml", 1) and "nothing cites this source" in warning.message


def test_a_statement_answering_a_later_one_is_a_warning_at_responds_to(tmp_path):
    folder = story(
        tmp_path,
        statements__answer=(
            "speaker: ilham-aliyev\ndate: 2025-07-30\nquote: No.\nresponds_to: [first]\nsources: [paper]\n"
        ),
    )
    [warning] = lint(load_story(folder))
    assert (warning.path.name, warning.line) == ("answer.yml", 4) and "dated later (1 August 2025)" in warning.message


def test_an_answer_in_the_same_month_as_a_day_is_not_a_warning(tmp_path):
    folder = story(
        tmp_path,
        statements__answer="speaker: ilham-aliyev\ndate: 2025-08\nquote: No.\nresponds_to: [first]\nsources: [paper]\n",
    )
    assert lint(load_story(folder)) == []


def test_validate_prints_warnings_and_exits_0_unless_strict(tmp_path, capsys):
    folder = story(tmp_path, actors__nobody="name: Nobody\nkind: person\n")
    assert main(["validate", str(folder)]) == 0
    captured = capsys.readouterr()
    assert re.search(r"nobody\.yml:1:7: warning: no statement", captured.err), captured.err
    assert main(["validate", "--strict", str(folder)]) == 1
    strict = capsys.readouterr().err
    assert "warning:" not in strict and "1 error and 0 warnings" in strict


def test_a_build_does_not_fail_on_warnings(tmp_path):
    from conftest import mkdocs_build

    folder = story(tmp_path, actors__nobody="name: Nobody\nkind: person\n")
    write_story(folder, {"pages/index.md": "# Home\n", "pages/about.md": "# About\n", "pages/data.md": "# Data\n"})
    build = mkdocs_build(folder, tmp_path / "site")
    assert build.result.returncode == 0, build.output
    assert "warning: no statement, incident or text mentions this actor" in build.output


def test_under_github_actions_validate_prints_annotations(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    folder = story(tmp_path, actors__ilham_aliyev="name: Ilham Aliyev\nkind: persn\n")
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    path = folder / "actors" / "ilham-aliyev.yml"
    assert f"::error file={path.as_posix()},line=2,col=7::'kind' is 'persn'" in out


# --- JSON Schema: generated from the model, committed, agreeing with the validator --------


def test_the_committed_schemas_are_the_ones_the_model_generates():
    for path, text in schema_files().items():
        assert path.is_file() and path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run `explainer schemas`"
        )


def test_the_editor_guide_reference_is_the_one_the_model_generates():
    guide = GUIDE.read_text(encoding="utf-8")
    assert all(marker in guide for marker in GUIDE_MARKERS)
    assert guide_with_reference(guide) == guide, "CONTRIBUTING.md's content model is stale: run `explainer schemas`"


def test_vscode_maps_each_content_folder_to_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = {Path(schema).name: globs for schema, globs in settings["yaml.schemas"].items()}
    for kind in KINDS:
        assert f"content/{kind}/*.yml" in mapped[f"{kind}.schema.json"]
        assert (ROOT / f"hooks/explainer/schemas/{kind}.schema.json").is_file()


def as_json(node: Node) -> object:
    """A node tree as the plain data JSON Schema sees (every scalar as the text typed)."""
    if isinstance(node.value, dict):
        return {key: as_json(value) for key, value in node.value.items()}
    if isinstance(node.value, list):
        return [as_json(item) for item in node.value]
    return node.value


def schema_errors(kind: str, path: Path) -> list[str]:
    node, problems = read_yaml(path)
    assert node is not None and not problems
    return [error.message for error in jsonschema.Draft7Validator(json_schema(kind)).iter_errors(as_json(node))]


@pytest.mark.parametrize("folder", [REAL_CONTENT, ROOT / "tests/fixtures/minimal"], ids=["real", "minimal"])
def test_every_valid_file_passes_its_json_schema(folder):
    load_story(folder)
    for kind in KINDS:
        for path in originals(folder / kind):
            assert schema_errors(kind, path) == [], path


BROKEN_BOTH_WAYS = {
    "unknown key": ("actors", "name: A\nkind: person\ncolour: red\n"),
    "missing key": ("actors", "name: A\n"),
    "bad choice": ("actors", "name: A\nkind: persn\n"),
    "bad id": ("actors", "name: A\nkind: person\nmember_of: Not An Id\n"),
    "list for text": ("actors", "name: [A, B]\nkind: person\n"),
    "text for list": ("actors", "name: A\nkind: person\naliases: B\n"),
    "bad url": ("sources", "title: T\npublisher: P\nurl: javascript:alert(1)\n"),
    "date shape": ("incidents", "title: T\ndate: 14 July 2025\nsummary: S\nsources: [paper]\n"),
    "no sources": ("incidents", "title: T\ndate: 2025\nsummary: S\nsources: []\n"),
    "latitude": ("incidents", "title: T\ndate: 2025\nsummary: S\nsources: [paper]\nlocation: {name: X, lat: 91}\n"),
    "casualties": ("incidents", "title: T\ndate: 2025\nsummary: S\nsources: [paper]\ncasualties: {killed: -1}\n"),
    "neither quote nor summary": ("statements", "speaker: ilham-aliyev\ndate: 2025\nsources: [paper]\n"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_BOTH_WAYS))
def test_json_schema_rejects_what_the_validator_rejects(tmp_path, case):
    kind, text = BROKEN_BOTH_WAYS[case]
    folder = story(tmp_path, **{f"{kind}__broken": text})
    assert any(p.path.name == "broken.yml" for p in errors(folder)), "the validator accepts it"
    assert schema_errors(kind, folder / kind / "broken.yml"), "the JSON Schema accepts it"


# --- explainer new ------------------------------------------------------------------------

FILLED = {
    "title": "A title",
    "summary": "What happened.",
    "definition": "What it means.",
    "term": "A term",
    "name": "A name",
    "kind": "person",
    "quote": "Words.",
    "publisher": "P",
    "url": "https://example.org/x",
}


def fill(path: Path, ids: dict[str, str]) -> None:
    """Give every key the scaffold left empty a plausible value; lists get a known id."""
    lines = path.read_text(encoding="utf-8").splitlines()
    filled, key = [], ""
    for line in lines:
        match = re.fullmatch(r"(\w+):(\s+#.*)?", line)
        if match:
            key = match.group(1)
            line = f"{key}: {json.dumps(FILLED[key])}" if key in FILLED else line
        elif line.strip() == "-":
            line = f"  - {ids[key]}"
        filled.append(line)
    path.write_text("\n".join(filled) + "\n", encoding="utf-8")


@pytest.mark.parametrize("kind_name", sorted(KIND_NAMES))
def test_every_new_file_validates_once_filled(tmp_path, kind_name):
    folder = story(tmp_path)
    path = new_entity(
        folder,
        kind_name,
        "brand-new",
        {"speaker": "ilham-aliyev"} if KIND_NAMES[kind_name] == "statements" else {},
        datetime.date(2026, 2, 14),
    )
    assert path == folder / KIND_NAMES[kind_name] / "brand-new.yml"
    text = path.read_text(encoding="utf-8")
    assert (
        text.startswith("# yaml-language-server: $schema=")
        and (path.parent / text.split("=", 1)[1].split("\n")[0]).resolve().is_file()
    )
    with pytest.raises(ContentError):  # empty required keys are reported until filled
        load_story(folder)
    fill(path, {"sources": "paper"})
    loaded = load_story(folder)
    entity = loaded.get(KIND_NAMES[kind_name], "brand-new")
    if entity.date:
        assert entity.date.iso() == "2026-02-14"


def test_new_refuses_a_bad_id_an_existing_file_and_an_unknown_key(tmp_path):
    folder = story(tmp_path)
    with pytest.raises(ScaffoldError, match="cannot be an id"):
        new_entity(folder, "actor", "Bad_Id", {}, datetime.date.today())
    with pytest.raises(ScaffoldError, match="already exists"):
        new_entity(folder, "actor", "ilham-aliyev", {}, datetime.date.today())
    with pytest.raises(ScaffoldError, match="no key 'speeker'"):
        new_entity(folder, "statement", "x", {"speeker": "a"}, datetime.date.today())
    assert sorted(p.name for p in (folder / "actors").iterdir()) == ["ilham-aliyev.yml"]


def run_explainer(*arguments: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "EXPLAINER_CONTENT"} | env
    return subprocess.run(
        [sys.executable, "-m", "explainer", *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=60,
    )


def test_new_writes_where_mkdocs_yml_or_explainer_content_says(tmp_path):
    (tmp_path / "stories" / "trial").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(
        "extra:\n  explainer:\n    content: !ENV [EXPLAINER_CONTENT, stories/trial]\nmarkdown_extensions:\n "
        " - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    )
    result = run_explainer("new", "statement", "aliyev-munich-2026", "--speaker", "ilham-aliyev", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "stories/trial/statements/aliyev-munich-2026.yml").read_text()
    assert "speaker: ilham-aliyev" in written and f"date: {datetime.date.today().isoformat()}" in written
    other = tmp_path / "elsewhere"
    result = run_explainer("new", "actor", "someone", cwd=tmp_path, EXPLAINER_CONTENT=str(other))
    assert result.returncode == 0 and (other / "actors/someone.yml").is_file()
    again = run_explainer("new", "actor", "someone", cwd=tmp_path, EXPLAINER_CONTENT=str(other))
    assert again.returncode == 1 and "already exists" in again.stderr and "Traceback" not in again.stderr


# --- Live preview -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(condition, seconds: float = 60) -> float:
    """Poll `condition` until it holds; return how long it took."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if condition():
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s")


def test_serve_rebuilds_on_save_and_keeps_the_last_good_site_when_a_file_breaks(tmp_path):
    content = shutil.copytree(REAL_CONTENT, tmp_path / "content")
    incident = content / "incidents" / "ambassador-summoned.yml"
    port = free_port()
    url = f"http://127.0.0.1:{port}/incidents/ambassador-summoned/"
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(ROOT / "mkdocs.yml")],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "EXPLAINER_CONTENT": str(content), "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        wait_for(lambda: "<h1>" in fetch(url))
        original = incident.read_text(encoding="utf-8")
        incident.write_text(re.sub(r"(?m)^title: .*$", "title: Edited while serving", original), encoding="utf-8")
        wait_for(lambda: "Edited while serving" in fetch(url))

        incident.write_text(original.replace("title:", "title: [unclosed\nsummary2:", 1), encoding="utf-8")
        wait_for(lambda: "ambassador-summoned.yml:" in (tmp_path / "serve.log").read_text())
        assert "Edited while serving" in fetch(url), "the last good page is no longer served"
        assert server.poll() is None, "the server stopped"

        incident.write_text(re.sub(r"(?m)^title: .*$", "title: Fixed again", original), encoding="utf-8")
        wait_for(lambda: "Fixed again" in fetch(url))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "YAML syntax error" in output and "Still showing the last version without errors" in output
    assert "Traceback" not in output
