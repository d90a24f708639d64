"""No lock-in: the suite runs on the engine it is asked for, and `explainer export-markdown`
gives a folder that an engine without our hooks builds into the same pages."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ENGINE, REAL_CONTENT, ROOT, Build, write_story
from explainer.commands.export_markdown import plain_config
from html_reading import Element, meta, parse, read


def edit_button(element: Element) -> bool:
    """The "Edit this page" button is the one thing an export cannot keep: it points at the YAML file."""
    return element.tag == "a" and element.attrs.get("rel") == "edit"


def term_link(element: Element) -> bool:
    """Nor the glossary links of hand-written pages: a hook adds them to the page's HTML."""
    return element.tag == "a" and element.attrs.get("class") == "explainer-term"


def export(content: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EXPLAINER_CONTENT": str(content)}
    return subprocess.run(
        [sys.executable, "-m", "explainer", "export-markdown", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def pages(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html")}


def article(page: Path) -> str:
    """A page's content, without its edit button, glossary links and the blank lines the theme leaves for it."""
    found = read(page).find("article")
    assert found is not None, page
    return " ".join(found.markup(drop=edit_button, unwrap=term_link).split())


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "out"
    result = export(REAL_CONTENT, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def plain_site(exported: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("plain") / "site"
    result = subprocess.run(
        [sys.executable, "-m", ENGINE, "build", "--strict", "-f", str(exported / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        cwd=exported,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_the_suite_builds_with_the_engine_it_was_asked_for(real_site: Build):
    generator = meta(parse(real_site.html("")))["generator"][0]
    assert ("ProperDocs" in generator) == (ENGINE == "properdocs"), generator


def test_the_exported_config_has_no_hooks_and_no_story_folder(exported: Path):
    config = yaml.safe_load((exported / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "hooks" not in config and "watch" not in config
    assert "explainer" not in config.get("extra", {})
    assert config["docs_dir"] == "docs"


def test_the_export_holds_generated_and_hand_written_pages_but_not_the_theme_overrides(exported: Path):
    docs = exported / "docs"
    assert (docs / "timeline.md").is_file() and (docs / "incidents" / "embassy-strike-2025-08.md").is_file()
    # The About page as written, then the credits of the story's pictures, as the build shows it.
    about, written = (
        (docs / "about.md").read_text(encoding="utf-8"),
        (ROOT / "site_src" / "about.md").read_text(encoding="utf-8"),
    )
    pictured = [
        data["image"]
        for path in sorted(REAL_CONTENT.rglob("*.yml"))
        if path.name.count(".") == 1  # an original, not a translation
        if (data := yaml.safe_load(path.read_text(encoding="utf-8"))).get("image")
    ]
    assert pictured and about.startswith(written) and about[len(written) :].lstrip().startswith("## Pictures")
    assert all(" ".join(image["credit"].split()) in html.unescape(about) for image in pictured)
    assert (docs / "assets" / "explainer.css").is_file()
    assert not (docs / "overrides").exists()


def test_a_plain_build_of_the_export_has_the_same_pages_as_the_hooked_build(real_site: Build, plain_site: Path):
    assert pages(plain_site) == pages(real_site.site)
    assert len(pages(plain_site)) > 40


def test_a_plain_build_of_the_export_shows_the_same_content_on_every_page(real_site: Build, plain_site: Path):
    different = [
        page for page in sorted(pages(real_site.site)) if article(real_site.site / page) != article(plain_site / page)
    ]
    assert different == []


def test_export_refuses_a_folder_that_is_not_empty(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = export(REAL_CONTENT, out)
    assert result.returncode == 1
    assert "not an empty folder" in result.stderr
    assert [path.name for path in out.iterdir()] == ["notes.txt"]


def test_export_of_a_broken_story_lists_the_problems_without_a_traceback(tmp_path: Path):
    story = write_story(tmp_path / "story", {"actors/x.yml": "name: X\nkind: planet\n"})
    result = export(story, tmp_path / "out")
    assert result.returncode == 1
    assert "x.yml:2" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "mkdocs.yml").exists()


def test_plain_config_keeps_everything_but_what_the_hooks_need():
    config = {
        "site_name": "S",
        "docs_dir": "site_src",
        "hooks": ["hooks/explainer_hooks.py"],
        "watch": ["content"],
        "theme": {"name": "material", "custom_dir": "site_src/overrides", "language": "en"},
        "extra": {"explainer": {"content": "content"}, "analytics": {"provider": "x"}},
        "nav": [{"Home": "index.md"}],
    }
    assert plain_config(config, has_overrides=True) == {
        "site_name": "S",
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "en", "custom_dir": "overrides"},
        "nav": [{"Home": "index.md"}],
        "extra": {"analytics": {"provider": "x"}},
    }
    assert "extra" not in plain_config({"extra": {"explainer": {}}}, has_overrides=False)
    assert plain_config({"theme": {"name": "material", "custom_dir": "o"}}, has_overrides=False)["theme"] == {
        "name": "material"
    }


def test_every_language_is_exported_and_the_command_says_what_only_the_hooks_give(tmp_path: Path):
    out = tmp_path / "out"
    result = export(REAL_CONTENT, out)
    assert result.returncode == 0, result.stderr
    assert "ru in docs/ru/" in result.stdout and "uk in docs/uk/" in result.stdout
    assert "without hreflang links or a switcher" in result.stdout
    russian = yaml.safe_load((REAL_CONTENT / "incidents" / "embassy-strike-2025-07.ru.yml").read_text(encoding="utf-8"))
    page = (out / "docs" / "ru" / "incidents" / "embassy-strike-2025-07.md").read_text(encoding="utf-8")
    assert russian["title"] in page
    assert (out / "docs" / "uk" / "about.md").is_file()
