"""Which generated pages show which entity (RenderedPage.shows, pages.dependents): after an
edit, the pages whose Markdown changes must all be among the dependents of the edited entity,
so that a preview could render and rebuild only those. Rendering only, no MkDocs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explainer.pages import RenderedPage, dependents, render_site
from explainer.story import load_story
from explainer.synth import write_story

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal"

EDITS = [  # (file, text in it, replacement): one entity of each kind, fields shown in many places
    ("statements/berg-accusation.yml", "struck our harbour", "hit our harbour"),
    ("statements/berg-accusation.yml", 'date: "2024-03-21"', 'date: "2025-01-02"'),
    ("statements/berg-accusation.yml", "attributes_to:\n  - northland", "attributes_to:\n  - northland\n  - southland"),
    ("actors/anna-berg.yml", "name: Anna Berg", "name: Anna Berg-Lund"),
    ("actors/anna-berg.yml", "role: Foreign Minister of Southland", "role: Deputy Prime Minister"),
    ("incidents/port-attack.yml", "title: Port attack at Eastport", "title: Harbour raid at Eastport"),
    ("glossary/drone.yml", "flown remotely", "piloted from afar"),
    ("sources/harbour-gazette.yml", "title: Drones hit Eastport harbour", "title: Drones struck Eastport harbour"),
]


def rendered(folder: Path) -> dict[str, RenderedPage]:
    return {page.src_uri: page for page in render_site(load_story(folder), noting=True)}


def copied(tmp_path: Path, name: str) -> Path:
    """The minimal story outside the repository, where no page says when git last changed it."""
    return shutil.copytree(MINIMAL, tmp_path / name)


def edited(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = copied(tmp_path, "after")
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text, (file, old)
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("file", "old", "new"), EDITS, ids=[f"{file}:{new[:20]}" for file, _, new in EDITS])
def test_every_page_an_edit_changes_is_a_dependent_of_the_entity(tmp_path: Path, file: str, old: str, new: str) -> None:
    before = rendered(copied(tmp_path, "before"))
    after = rendered(edited(tmp_path, file, old, new))
    assert before.keys() == after.keys()
    changed = {uri for uri in before if before[uri].markdown != after[uri].markdown}
    kind, id = file.removesuffix(".yml").split("/")
    showing = dependents(list(before.values())).get((kind, id), set()) | dependents(list(after.values())).get((kind, id), set())
    assert changed, "the edit changes no page: it tests nothing"
    assert changed <= showing, sorted(changed - showing)
    assert len(showing) < len(before), "every page depends on it: the map says nothing"


def test_a_page_shows_what_it_links_and_lists_and_no_more(tmp_path: Path) -> None:
    pages = rendered(copied(tmp_path, "story"))
    shown = dependents(list(pages.values()))
    statement = shown[("statements", "berg-accusation")]
    assert {"statements/berg-accusation.md", "actors/anna-berg.md", "incidents/port-attack.md", "timeline.md", "who-said-what.md"} <= statement
    assert "glossary/aussenministerium.md" not in statement


def test_the_entry_page_of_a_split_listing_depends_on_what_its_parts_count(tmp_path: Path) -> None:
    write_story(1_200, tmp_path)  # a long story: the timeline is split by year
    pages = rendered(tmp_path)
    story = load_story(tmp_path)
    incident = story.all("incidents")[0]
    assert "timeline.md" in dependents(list(pages.values()))[("incidents", incident.id)]
