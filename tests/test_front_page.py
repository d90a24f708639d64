"""The story itself (story.yml), its generated front page, its pictures and its map, built with
real MkDocs from fixture YAML into temporary folders."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from PIL import Image

from conftest import REAL_CONTENT, ROOT, Build, mkdocs_build, originals, write_story
from explainer.content.problems import ContentError
from explainer.content.story import load_story
from explainer.site.listings import PlaceIncidents
from explainer.site.views import MAP_LINKED_PLACES, PageView
from html_reading import article, page, parse, resolve

FIXTURES = ROOT / "tests" / "fixtures"
FRONT_SECTIONS = ["at-a-glance", "overview", "dispute", "open-questions", "explore"]


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_story(folder)
    return [str(problem) for problem in caught.value.problems]


def explainer(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("EXPLAINER_CONTENT", None)
    return subprocess.run(
        [sys.executable, "-m", "explainer", *arguments], capture_output=True, text=True, cwd=cwd, env=env
    )


# --- story.yml is content, checked like every file ------------------------------------------


def test_a_story_without_story_yml_names_its_folder_and_the_command(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "trial", {"story.yml": None, "actors/x.yml": "name: X\nkind: person\n"})
    [problem] = problems_of(folder)
    assert problem.startswith(f"{(folder / 'story.yml').as_posix()}:1:1: ")
    assert f"the content folder {folder.as_posix()} has no story.yml" in problem
    assert f"explainer new story {folder.as_posix()}" in problem


def test_story_yml_errors_name_the_line_and_suggest_the_key(tmp_path: Path) -> None:
    story_yml = """\
        title: A story
        standfrist: A typo.
        key_facts:
          - A fact that rests on nothing.
        newsroom:
          name: Desk
          corrections: ftp://example.org/
        """
    folder = write_story(tmp_path / "story", {"story.yml": story_yml})
    problems = problems_of(folder)
    path = (folder / "story.yml").as_posix()
    assert any(
        p.startswith(f"{path}:2:1: unknown key 'standfrist'") and "did you mean 'standfirst'?" in p for p in problems
    )
    assert any(p.startswith(f"{path}:1:1: missing required key 'standfirst'") for p in problems), problems
    assert any(p.startswith(f"{path}:4:") and "names nothing it rests on" in p for p in problems), problems
    assert any(p.startswith(f"{path}:7:") and "'corrections' is 'ftp://example.org/'" in p for p in problems), problems


def test_a_key_fact_must_rest_on_an_entity_that_exists(tmp_path: Path) -> None:
    story_yml = "title: T\nstandfirst: S.\nkey_facts:\n  - It rests on [[incidents/nowhere]].\n"
    folder = write_story(tmp_path / "story", {"story.yml": story_yml})
    [problem] = problems_of(folder)
    assert problem.startswith(f"{(folder / 'story.yml').as_posix()}:4:5: unknown incident 'nowhere' in 'key_facts'")


# --- The front page -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = mkdocs_build(FIXTURES / "minimal", tmp_path_factory.mktemp("minimal") / "site")
    assert build.result.returncode == 0, build.output
    return build


def test_the_story_title_names_the_site(minimal: Build) -> None:
    title = yaml.safe_load((FIXTURES / "minimal" / "story.yml").read_text(encoding="utf-8"))["title"]
    root = page(minimal, "incidents/port-attack/")
    assert title in root.find("title").text()
    og = {element.attrs.get("property"): element.attrs.get("content") for element in root.find_all("meta")}
    assert og["og:site_name"] == title
    assert title in root.find("header").text()
    timeline = yaml.safe_load((minimal.site / "data" / "timeline.json").read_text(encoding="utf-8"))
    assert timeline["title"]["text"]["headline"] == title


def test_the_front_page_reads_in_the_order_of_the_issue(minimal: Build) -> None:
    about = yaml.safe_load((FIXTURES / "minimal" / "story.yml").read_text(encoding="utf-8"))
    body = article(page(minimal, ""))
    assert body.find("h1").text().strip() == about["title"]
    assert " ".join(about["standfirst"].split()) in " ".join(body.text().split())
    ids = [heading.attrs.get("id") for heading in body.find_all("h2")]
    assert [id for id in ids if id in FRONT_SECTIONS] == FRONT_SECTIONS, ids
    byline = body.find("p", cls="explainer-front__byline").text()
    assert about["byline"] in byline and "Published 15 April 2024" in byline
    glance = body.find("ul", cls="explainer-glance")
    assert len(glance.find_all("li")) == len(about["key_facts"])
    assert body.find("svg", role="img") is not None, "no timeline overview"


def test_the_dispute_puts_each_side_apart(minimal: Build) -> None:
    """Each side holds someone else responsible; the site states none of them itself."""
    body = article(page(minimal, ""))
    sides = body.find_all("section", cls="explainer-dispute__side")
    blamed = [side.find("p", cls="explainer-dispute__blame").text() for side in sides]
    assert len(sides) >= 2 and len(set(blamed)) == len(blamed), blamed
    assert all(side.find_all("a") for side in sides)


def test_the_first_story_names_no_entity_on_a_hand_written_page(real_site: Build) -> None:
    """The front page is generated: site_src holds no page that only fits the first story."""
    assert not (ROOT / "site_src" / "index.md").exists()
    body = article(page(real_site, ""))
    assert body.find("section", cls="explainer-dispute__side") is not None


def test_a_new_story_builds_with_its_own_title_and_nothing_of_the_first(tmp_path: Path) -> None:
    folder = tmp_path / "trial"
    made = explainer("new", "story", str(folder))
    assert made.returncode == 0, made.stderr
    assert {path.name for path in folder.iterdir()} >= {
        "story.yml",
        "actors",
        "incidents",
        "statements",
        "glossary",
        "sources",
        "media",
    }
    unfilled = explainer("validate", str(folder))
    assert unfilled.returncode == 1 and "'title' has no value" in unfilled.stderr
    text = (folder / "story.yml").read_text(encoding="utf-8")
    text = text.replace("title:  #", "title: A trial  #").replace("standfirst:  #", "standfirst: To try it.  #")
    (folder / "story.yml").write_text(text, encoding="utf-8")
    build = mkdocs_build(folder, tmp_path / "site")
    assert build.result.returncode == 0, build.output
    first = yaml.safe_load((REAL_CONTENT / "story.yml").read_text(encoding="utf-8"))["title"]
    for html in (tmp_path / "site").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert first not in text and "Aliyev" not in text and "Azerbaijan" not in text, html
    assert "A trial" in parse((tmp_path / "site" / "index.html").read_text(encoding="utf-8")).find("title").text()
    assert not (tmp_path / "site" / "map").exists(), "a story without coordinates has no map"
    assert "map/" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


# --- The map --------------------------------------------------------------------------------


def test_the_map_lists_every_located_incident(real_site: Build) -> None:
    located = {
        path.stem: data
        for path in originals(REAL_CONTENT / "incidents")
        if (data := yaml.safe_load(path.read_text(encoding="utf-8"))).get("location", {}).get("lat") is not None
    }
    body = article(page(real_site, "map/"))
    assert body.find("svg", role="img") is not None
    targets = {resolve("map/", a.attrs["href"]) for a in body.find_all("a") if "href" in a.attrs}
    listed = {target.split("/")[1] for target in targets if target and target.startswith("incidents/")}
    assert set(located) <= listed, (set(located), listed)
    incident = next(iter(located))
    locator = article(page(real_site, f"incidents/{incident}/")).find("div", cls="explainer-map--locator")
    assert locator is not None and locator.find("use") is not None
    assert (real_site.site / "assets" / "map" / "world.svg").is_file()


# --- Pictures -------------------------------------------------------------------------------


def a_photo(path: Path, width: int, height: int) -> None:
    """A JPEG carrying EXIF with GPS and a camera serial, as a phone's photo would."""
    image = Image.new("RGB", (width, height), (120, 140, 160))
    exif = Image.Exif()
    exif[0x0131] = "PhoneCamera 1.0"  # Software
    exif.get_ifd(0x8825)[2] = (50.0, 27.0, 0.0)  # GPSLatitude
    exif.get_ifd(0x8769)[0xA431] = "SERIAL-123456"  # BodySerialNumber
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", exif=exif)


@pytest.fixture(scope="module")
def pictured(tmp_path_factory: pytest.TempPathFactory) -> Build:
    folder = shutil.copytree(FIXTURES / "minimal", tmp_path_factory.mktemp("pictured") / "story")
    a_photo(folder / "media" / "harbour.jpg", 1600, 900)
    a_photo(folder / "media" / "berg.jpg", 600, 600)
    with (folder / "story.yml").open("a", encoding="utf-8") as story_yml:
        story_yml.write(
            "image:\n  file: harbour.jpg\n  alt: The harbour at dawn, cranes idle\n  credit: Test Desk\n"
            "  license: CC BY 4.0\n  caption: The port the story is about.\n"
        )
    with (folder / "actors" / "anna-berg.yml").open("a", encoding="utf-8") as actor:
        actor.write("image:\n  file: berg.jpg\n  alt: Anna Berg at a press conference\n  credit: Test Desk\n")
    build = mkdocs_build(folder, tmp_path_factory.mktemp("pictured") / "site")
    assert build.result.returncode == 0, build.output
    return build


def test_the_hero_is_a_responsive_picture_that_loads_first(pictured: Build) -> None:
    body = article(page(pictured, ""))
    figure = body.find("figure", cls="explainer-figure")
    image, source = figure.find("img"), figure.find("source")
    assert source.attrs["type"] == "image/webp" and "480w" in source.attrs["srcset"]
    assert image.attrs["fetchpriority"] == "high" and "loading" not in image.attrs
    assert image.attrs["alt"] == "The harbour at dawn, cranes idle"
    file = pictured.site / image.attrs["src"]
    with Image.open(file) as opened:
        assert opened.size == (int(image.attrs["width"]), int(image.attrs["height"]))
    assert "Credit: Test Desk" in figure.find("figcaption").text()


def test_published_pictures_carry_no_metadata_and_media_is_not_published(pictured: Build) -> None:
    published = sorted((pictured.site / "media").glob("*"))
    assert published and all(path.suffix in (".webp", ".jpg") for path in published)
    assert (
        not (pictured.site / "media" / "harbour.jpg").exists() and not (pictured.site / "media" / "berg.jpg").exists()
    )
    for path in published:
        data = path.read_bytes()
        assert b"Exif" not in data and b"SERIAL-123456" not in data and b"PhoneCamera" not in data, path
        with Image.open(io.BytesIO(data)) as opened:
            assert not opened.getexif() and "icc_profile" not in opened.info, path


def test_actor_cards_show_portraits_and_about_lists_every_credit(pictured: Build) -> None:
    cards = article(page(pictured, "actors/")).find_all("li", cls="explainer-card")
    assert any(card.find("img") is not None and "Anna Berg" in card.text() for card in cards)
    credits = article(page(pictured, "about/")).find("ul", cls="explainer-credits").text()
    assert "The harbour at dawn" in credits and "Anna Berg at a press conference" in credits and "CC BY 4.0" in credits


def test_a_missing_or_narrow_picture_is_an_error_at_its_line(tmp_path: Path) -> None:
    folder = write_story(
        tmp_path / "story",
        {
            "story.yml": "title: T\nstandfirst: S.\nimage:\n  file: hero.jpg\n  alt: A hero\n  credit: Me\n",
            "actors/x.yml": "name: X\nkind: person\nimage:\n  file: nowhere.png\n  alt: X\n  credit: Me\n",
        },
    )
    a_photo(folder / "media" / "hero.jpg", 800, 450)
    problems = problems_of(folder)
    story_yml, actor = (folder / "story.yml").as_posix(), (folder / "actors" / "x.yml").as_posix()
    assert any(p.startswith(f"{story_yml}:4:") and "800 pixels wide" in p and "at least 1200" in p for p in problems), (
        problems
    )
    assert any(p.startswith(f"{actor}:4:") and "'nowhere.png' is not in media/" in p for p in problems), problems


def test_a_map_of_many_places_leaves_the_links_to_its_list() -> None:
    """Each point is a link on the map of a few places; past MAP_LINKED_PLACES the list below
    the map links them, so that a point's link does not double the size of a large map."""
    story = load_story(FIXTURES / "minimal")
    incident = story.all("incidents")[0]

    def places(count: int) -> list[PlaceIncidents]:
        return [PlaceIncidents(f"Place {n}", n / 100, n / 50, f"place-{n}", (incident,)) for n in range(count)]

    few, many = (str(PageView(story, "map/").story_map(places(count))) for count in (3, MAP_LINKED_PLACES + 1))
    assert 'class="explainer-links"' in few and few.count("<a ") == 3
    assert "explainer-links" not in many and "<a " not in many and 'role="img"' in many
