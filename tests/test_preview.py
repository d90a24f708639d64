"""`mkdocs serve --dirty`: after an edit, MkDocs converts and writes only the generated pages
whose Markdown the edit changed. Two real builds in one process, as serve does them."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


def dirty_build(content: Path, site: Path) -> None:
    os.environ["EXPLAINER_CONTENT"] = str(content)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
    finally:
        config.plugins.on_shutdown()


def html_times(site: Path) -> dict[str, int]:
    return {path.relative_to(site).as_posix(): path.stat().st_mtime_ns for path in site.rglob("index.html")}


def test_a_dirty_rebuild_writes_only_the_pages_an_edit_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLAINER_CONTENT", "")
    content = shutil.copytree(MINIMAL, tmp_path / "content")
    site = tmp_path / "site"
    dirty_build(content, site)
    before = html_times(site)

    statement = content / "statements" / "navy-denial.yml"
    statement.write_text(re.sub(r"(?m)^stance: .*$", "stance: An edited stance", statement.read_text(encoding="utf-8")), encoding="utf-8")
    dirty_build(content, site)
    after = html_times(site)

    rewritten = {page for page, time in after.items() if time != before.get(page)}
    assert "statements/navy-denial/index.html" in rewritten
    assert "An edited stance" in (site / "statements/navy-denial/index.html").read_text(encoding="utf-8")
    untouched = {"actors/southland/index.html", "glossary/drone/index.html", "incidents/blockade/index.html"}
    assert untouched <= set(before) and not rewritten & untouched, rewritten
    assert len(rewritten) < len(after) / 2, f"{len(rewritten)} of {len(after)} pages rewritten"
