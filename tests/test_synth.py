"""The synthetic story behind the benchmark: valid, in the issue's mix, the same every time."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from explainer.commands.synth import MIX, counts, write_story
from explainer.content.model import KINDS
from explainer.content.story import load_story


def fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.yml")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def explainer(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "explainer", *arguments], capture_output=True, text=True, timeout=120)


def test_a_small_synthetic_story_validates_strictly_without_warnings(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    created = explainer("synth", "200", str(folder))
    assert created.returncode == 0, created.stderr
    checked = explainer("validate", "--strict", str(folder))
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""  # not even a warning


@pytest.mark.parametrize("size", [20, 200, 1000, 10_001])
def test_counts_follow_the_mix_and_add_up(size: int) -> None:
    planned = counts(size)
    assert sum(planned.values()) == size
    for kind, share in MIX.items():
        assert planned[kind] >= 1
        assert abs(planned[kind] - size * share) < len(MIX), (kind, planned)


def test_too_small_a_story_is_refused(tmp_path: Path) -> None:
    refused = explainer("synth", "5", str(tmp_path / "story"))
    assert refused.returncode == 1 and "at least" in refused.stderr


def test_a_folder_with_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    refused = explainer("synth", "100", str(tmp_path))
    assert refused.returncode == 1 and "not empty" in refused.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


def test_the_same_size_and_seed_give_the_same_files(tmp_path: Path) -> None:
    first, second, other = (write_story(300, tmp_path / name, seed) for name, seed in (("a", 7), ("b", 7), ("c", 8)))
    assert first == second == other
    assert fingerprint(tmp_path / "a") == fingerprint(tmp_path / "b")
    assert fingerprint(tmp_path / "a") != fingerprint(tmp_path / "c")


def test_the_story_has_what_a_long_running_story_has(tmp_path: Path) -> None:
    planned = write_story(500, tmp_path)
    story = load_story(tmp_path)
    assert {kind: len(story.entities[kind]) for kind in KINDS} == planned
    incidents, statements = story.all("incidents"), story.all("statements")
    dated = incidents + statements

    precisions = {
        precision: sum(entity.date.precision == precision for entity in dated) for precision in ("day", "month", "year")
    }
    assert precisions["day"] > len(dated) / 2 and precisions["month"] and precisions["year"], precisions
    assert len({entity.date.year for entity in dated}) >= 5

    summaries = [len(entity.fields["summary"].source.split()) for entity in incidents]
    assert min(summaries) >= 40 and max(summaries) <= 125  # 40 to 120, and the last reference

    texts = [text.source for kind in KINDS for entity in story.entities[kind].values() for text in entity.rich_texts()]
    for kind in ("actors", "incidents", "statements", "sources"):
        assert any(f"[[{kind}/" in text for text in texts), kind
    for field in ("about", "responds_to", "attributes_to"):
        assert sum(bool(statement.fields[field]) for statement in statements) > len(statements) / 5, field
    mentioned = [
        term
        for term in story.all("glossary")
        if story.referrers(term, "incidents", "text") + story.referrers(term, "statements", "text")
    ]
    assert len(mentioned) > len(story.all("glossary")) / 2

    # A few speakers say most things, as in a real story.
    by_speaker = sorted(
        (len(story.referrers(actor, "statements", "speaker")) for actor in story.all("actors")), reverse=True
    )
    assert by_speaker[0] > 4 * len(statements) / len(by_speaker)
    assert all(re.fullmatch(r"[a-z]+-[0-9]{5}", id) for kind in KINDS for id in story.entities[kind])
