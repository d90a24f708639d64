"""`mkdocs serve --dirty`: after an edit, MkDocs converts and writes only the generated pages
whose Markdown the edit changed. Two real builds in one process, as serve does them."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


@contextlib.contextmanager
def serving(content: Path, site: Path) -> Iterator[Callable[[], None]]:
    """A `mkdocs serve --dirty` session: started once, then a rebuild for each call of what it
    yields, each with the config loaded again (as serve does), and shut down once at the end."""
    os.environ["EXPLAINER_CONTENT"] = str(content)
    configs = [load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))]
    configs[0].plugins.on_startup(command="serve", dirty=True)

    def rebuild() -> None:
        config = configs.pop() if configs else load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
        build(config, dirty=True)
        configs.append(config)

    try:
        yield rebuild
    finally:
        configs[-1].plugins.on_shutdown()


def html_times(site: Path) -> dict[str, int]:
    return {path.relative_to(site).as_posix(): path.stat().st_mtime_ns for path in site.rglob("index.html")}


def test_a_dirty_rebuild_writes_only_the_pages_an_edit_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLAINER_CONTENT", "")
    content = shutil.copytree(MINIMAL, tmp_path / "content")
    site = tmp_path / "site"
    with serving(content, site) as rebuild:
        rebuild()
        before = html_times(site)

        statement = content / "statements" / "navy-denial.yml"
        statement.write_text(
            re.sub(r"(?m)^stance: .*$", "stance: An edited stance", statement.read_text(encoding="utf-8")),
            encoding="utf-8",
        )
        rebuild()
        after = html_times(site)

    rewritten = {page for page, time in after.items() if time != before.get(page)}
    assert "statements/navy-denial/index.html" in rewritten
    assert "An edited stance" in (site / "statements/navy-denial/index.html").read_text(encoding="utf-8")
    untouched = {"actors/southland/index.html", "glossary/drone/index.html", "incidents/blockade/index.html"}
    assert untouched <= set(before) and not rewritten & untouched, rewritten
    assert len(rewritten) < len(after) / 2, f"{len(rewritten)} of {len(after)} pages rewritten"


def test_an_edit_to_a_translation_rewrites_its_pages_in_that_language(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLAINER_CONTENT", "")
    content = shutil.copytree(ROOT / "tests" / "fixtures" / "arabic", tmp_path / "content")
    site = tmp_path / "site"
    with serving(content, site) as rebuild:
        rebuild()
        before = html_times(site)
        translation = content / "statements" / "navy-denial.ar.yml"
        text = translation.read_text(encoding="utf-8")
        translation.write_text(re.sub(r"(?m)^stance: .*$", "stance: موقف معدّل", text), encoding="utf-8")
        rebuild()
        after = html_times(site)

    rewritten = {page for page, time in after.items() if time != before.get(page)}
    assert "ar/statements/navy-denial/index.html" in rewritten
    assert "موقف معدّل" in (site / "ar/statements/navy-denial/index.html").read_text(encoding="utf-8")
    untouched = {"ar/glossary/drone/index.html", "ar/incidents/blockade/index.html", "actors/southland/index.html"}
    assert untouched <= set(before) and not rewritten & untouched, rewritten
    assert len(rewritten) < len(after) / 2, f"{len(rewritten)} of {len(after)} pages rewritten"
