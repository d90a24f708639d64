"""Shared helpers: write a story into a temporary folder and build it with real MkDocs."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL_CONTENT = ROOT / "content"
# The suite runs on MkDocs, or on ProperDocs with EXPLAINER_ENGINE=properdocs.
ENGINE = os.environ.get("EXPLAINER_ENGINE", "mkdocs")


@dataclass
class Build:
    result: subprocess.CompletedProcess[str]
    site: Path

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr

    def html(self, url: str) -> str:
        """The HTML served at a site-relative URL such as `incidents/x/`."""
        return (self.site / url.strip("/") / "index.html").read_text(encoding="utf-8")


# Every story needs a story.yml; tests about other files get this one.
DEFAULT_STORY_YML = """\
title: A test story
standfirst: A story written by a test.
"""


def own_language_pages(site: Path) -> list[Path]:
    """The index.html of every page in the story's own language: a built site's other
    languages are the folders with a search index of their own (test_languages reads them)."""
    others = {index.parent.parent for index in site.glob("*/search/search_index.json")}
    return sorted(page for page in site.rglob("index.html") if not others.intersection(page.parents))


def originals(folder: Path) -> list[Path]:
    """The YAML files of a kind's folder that are entities, not their translations (`x.ru.yml`)."""
    return sorted(path for path in folder.glob("*.yml") if path.name.count(".") == 1)


def write_story(folder: Path, files: dict[str, str | None]) -> Path:
    """Write `{"actors/x.yml": "name: X\\n..."}` under `folder`; text is dedented. A story.yml
    is written too unless `files` gives one (None: leave it out)."""
    files = {"story.yml": DEFAULT_STORY_YML, **files}
    for relative, text in files.items():
        if text is None:
            continue
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def mkdocs_build(content: Path, site: Path, *extra: str, one_core: bool = False) -> Build:
    """`mkdocs build --strict` (or ENGINE's) of the project with `content` as the story, into
    `site`; with `one_core`, on a single core, as a one-core machine builds it."""
    env = {**os.environ, "EXPLAINER_CONTENT": str(content), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", ENGINE, "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site), *extra],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        preexec_fn=on_one_core if one_core else None,
    )
    return Build(result, site)


def on_one_core() -> None:
    """Keep this process (a child, before it runs its command) to one core, as on a one-core machine."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its path relative to it: two trees compare byte for byte."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


def project(folder: Path, *, cards: bool = True) -> Path:
    """A mkdocs.yml like the project's, written in `folder`: its caches (`.cache/`) are then
    `folder`'s own. `cards=False` turns the share cards off."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: site_src", f"docs_dir: {ROOT / 'site_src'}")
    config = config.replace("custom_dir: site_src/overrides", f"custom_dir: {ROOT / 'site_src' / 'overrides'}")
    config = config.replace("  - hooks/explainer_hooks.py", f"  - {ROOT / 'hooks' / 'explainer_hooks.py'}")
    if not cards:
        config = config.replace(
            "    content: !ENV [EXPLAINER_CONTENT, content]\n",
            "    content: !ENV [EXPLAINER_CONTENT, content]\n    share_cards: false\n",
        )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder / "mkdocs.yml"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = mkdocs_build(REAL_CONTENT, tmp_path_factory.mktemp("real") / "site")
    assert build.result.returncode == 0, build.output
    return build
