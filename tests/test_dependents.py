"""What a preview does again after an edit: read again only the files that changed
(load_story with the previous story), and render again only the pages that may show what
changed (pages.dependents, pages.rerender). Both must give exactly what reading and
rendering everything gives. No MkDocs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explainer.commands.synth import write_story
from explainer.content.problems import ContentError
from explainer.content.story import load_story
from explainer.site.render import RenderedPage, dependents, render_site, rerender

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal"

# A term's words: any text may mention it now.
TERM_WORDS_EDIT = ("glossary/drone.yml", "  - drones", "  - drones\n  - navy")
EDITS = [  # (file, text in it, replacement): one entity of each kind, fields shown in many places
    ("statements/berg-accusation.yml", "struck our harbour", "hit our harbour"),
    ("statements/berg-accusation.yml", 'date: "2024-03-21"', 'date: "2025-01-02"'),
    ("statements/berg-accusation.yml", "attributes_to:\n  - northland", "attributes_to:\n  - northland\n  - southland"),
    ("actors/anna-berg.yml", "name: Anna Berg", "name: Anna Berg-Lund"),
    ("actors/anna-berg.yml", "role: Foreign Minister of Southland", "role: Deputy Prime Minister"),
    ("incidents/port-attack.yml", "title: Port attack at Eastport", "title: Harbour raid at Eastport"),
    ("glossary/drone.yml", "flown remotely", "piloted from afar"),
    ("sources/harbour-gazette.yml", "title: Drones hit Eastport harbour", "title: Drones struck Eastport harbour"),
    # A text that now mentions a glossary term: the term's page lists it as a use.
    ("incidents/blockade.yml", "blocked the bay.", "blocked the bay with a drone overhead."),
    TERM_WORDS_EDIT,
]


def rendered(folder: Path) -> dict[str, RenderedPage]:
    return {page.src_uri: page for page in render_site(load_story(folder), noting=True)}


def kept_from(previous: list[RenderedPage], pages: list[RenderedPage]) -> list[RenderedPage]:
    """The pages that are the very objects of `previous`: not rendered again."""
    old = {id(page) for page in previous}
    return [page for page in pages if id(page) in old]


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
    showing = dependents(list(before.values())).get((kind, id), set()) | dependents(list(after.values())).get(
        (kind, id), set()
    )
    assert changed, "the edit changes no page: it tests nothing"
    assert changed <= showing, sorted(changed - showing)
    assert len(showing) < len(before), "every page depends on it: the map says nothing"


def test_a_page_shows_what_it_links_and_lists_and_no_more(tmp_path: Path) -> None:
    pages = rendered(copied(tmp_path, "story"))
    shown = dependents(list(pages.values()))
    statement = shown[("statements", "berg-accusation")]
    assert {
        "statements/berg-accusation.md",
        "actors/anna-berg.md",
        "incidents/port-attack.md",
        "timeline.md",
        "who-said-what.md",
    } <= statement
    assert "glossary/aussenministerium.md" not in statement


def test_the_entry_page_of_a_split_listing_depends_on_what_its_parts_count(tmp_path: Path) -> None:
    write_story(1_200, tmp_path)  # a long story: the timeline is split by year
    pages = rendered(tmp_path)
    story = load_story(tmp_path)
    incident = story.all("incidents")[0]
    assert "timeline.md" in dependents(list(pages.values()))[("incidents", incident.id)]


@pytest.mark.parametrize(("file", "old", "new"), EDITS, ids=[f"{file}:{new[:20]}" for file, _, new in EDITS])
def test_a_partial_render_after_an_edit_gives_every_page_as_a_full_render_does(
    tmp_path: Path, file: str, old: str, new: str
) -> None:
    before = load_story(copied(tmp_path, "before"))
    previous = render_site(before, noting=True)
    after = load_story(edited(tmp_path, file, old, new))
    partial = rerender(after, before, previous)
    full = render_site(after, noting=True)
    assert [(page.src_uri, page.markdown, page.shows) for page in partial] == [
        (page.src_uri, page.markdown, page.shows) for page in full
    ]
    kept = len(kept_from(previous, partial))
    if (file, old, new) == TERM_WORDS_EDIT:
        assert kept == 0, "a term's new words may be in any page: all are rendered"
    else:
        assert 0 < kept < len(previous), f"{kept} of {len(previous)} pages kept: the partial render is not partial"


def test_a_partial_render_renders_everything_when_an_entity_comes_or_goes(tmp_path: Path) -> None:
    before = load_story(copied(tmp_path, "before"))
    previous = render_site(before, noting=True)
    folder = copied(tmp_path, "after")
    (folder / "statements" / "southland-review.yml").unlink()
    after = load_story(folder)
    partial = rerender(after, before, previous)
    assert not kept_from(previous, partial)
    assert [page.markdown for page in partial] == [page.markdown for page in render_site(after, noting=True)]


def test_a_story_read_again_reuses_what_did_not_change_and_reads_what_did(tmp_path: Path) -> None:
    folder = copied(tmp_path, "story")
    before = load_story(folder)
    statement = folder / "statements" / "berg-accusation.yml"
    statement.write_text(
        statement.read_text(encoding="utf-8").replace("struck our harbour", "hit our harbour"), encoding="utf-8"
    )
    again = load_story(folder, before)
    fresh = load_story(folder)
    for kind, entities in fresh.entities.items():
        assert {id: (entity.fields, entity.name, entity.references) for id, entity in entities.items()} == {
            id: (entity.fields, entity.name, entity.references) for id, entity in again.entities[kind].items()
        }, kind
    assert "hit our harbour" in again.get("statements", "berg-accusation").fields["quote"]
    assert again.get("actors", "anna-berg") is not before.get("actors", "anna-berg"), (
        "the stories must not share entities"
    )
    assert again.get("actors", "anna-berg").fields is before.get("actors", "anna-berg").fields, (
        "an unchanged file was read again"
    )
    assert again.get("statements", "berg-accusation").fields is not before.get("statements", "berg-accusation").fields

    statement.write_text("speaker: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"berg-accusation.yml:\d+:\d+: YAML syntax error"):
        load_story(folder, again)
