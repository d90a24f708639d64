"""A story large enough for workers (workers.py) builds on every core into exactly the site
that one core builds, and the pages the workers build are checked as any other."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, Build, files_of, mkdocs_build, on_one_core
from explainer.engine.background import cores
from explainer.engine.workers import PARALLEL_FROM

pytestmark = pytest.mark.skipif(cores() < 2, reason="the workers need two cores")

ENTITIES = 250  # a synthetic story of this many has more than PARALLEL_FROM pages in no nav
WORKERS = re.compile(r"explainer: (\d+) workers build (\d+) pages")


@pytest.fixture(scope="module")
def large_story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("workers") / "content"
    subprocess.run([sys.executable, "-m", "explainer", "synth", str(ENTITIES), str(folder)], check=True, timeout=120)
    return folder


def _built_by_workers(build: Build) -> int:
    assert build.result.returncode == 0, build.output
    found = WORKERS.search(build.output)
    assert found, f"the build used no workers:\n{build.output[-3000:]}"
    return int(found[2])


def test_the_workers_build_the_site_one_core_builds(large_story: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the same sitemap dates in both
    on_every_core = mkdocs_build(large_story, tmp_path / "every-core", "--verbose")
    assert _built_by_workers(on_every_core) >= PARALLEL_FROM
    on_one_core = mkdocs_build(large_story, tmp_path / "one-core", "--verbose", one_core=True)
    assert on_one_core.result.returncode == 0, on_one_core.output
    assert not WORKERS.search(on_one_core.output)
    many, one = files_of(on_every_core.site), files_of(on_one_core.site)
    assert many.keys() == one.keys(), sorted(many.keys() ^ one.keys())[:10]
    assert [path for path in many if many[path] != one[path]] == []
    assert len(many) > PARALLEL_FROM  # pages, embeds, cards: the comparison covers them all


def test_the_anchors_of_the_pages_the_workers_built_are_checked(large_story: Path, tmp_path: Path) -> None:
    """MkDocs checks a link to an anchor against the anchors a worker's page came back with,
    and the link check reads the page the worker wrote."""
    statement = sorted((large_story / "statements").glob("*.yml"))[-1].stem
    front = large_story / "pages" / "index.md"
    original = front.read_text(encoding="utf-8")
    front.write_text(f"{original}\nSee [this one](statements/{statement}.md#no-such-anchor).\n", encoding="utf-8")
    try:
        build = mkdocs_build(large_story, tmp_path / "site")  # MkDocs checks no anchors with --verbose
    finally:
        front.write_text(original, encoding="utf-8")
    assert build.result.returncode != 0
    assert f"the doc 'statements/{statement}.md' does not contain an anchor '#no-such-anchor'" in build.output
    assert (
        f"/: statements/{statement}/#no-such-anchor (no id 'no-such-anchor' in statements/{statement}/index.html)"
        in (build.output)
    )
    assert "Traceback" not in build.output


def test_export_markdown_of_a_large_story_writes_every_page(large_story: Path, tmp_path: Path) -> None:
    """It runs no nav event, so no worker forks: the pages meant for them are rendered as before."""
    exports = {}
    for name, one_core in (("every-core", False), ("one-core", True)):
        result = subprocess.run(
            [sys.executable, "-m", "explainer", "export-markdown", str(tmp_path / name)],
            capture_output=True,
            text=True,
            env={**os.environ, "EXPLAINER_CONTENT": str(large_story)},
            cwd=ROOT,
            timeout=300,
            preexec_fn=on_one_core if one_core else None,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        exports[name] = files_of(tmp_path / name / "docs")
    assert [path for path, text in exports["every-core"].items() if path.endswith(".md") and not text] == []
    assert exports["every-core"] == exports["one-core"]
