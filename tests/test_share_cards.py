"""Share cards: every entity page and front page, in each language, names a 1200 × 630 PNG
as its `og:image`; cards are drawn again only when what they show changes; Arabic is
shaped and set right to left.

The sites are built by real MkDocs from a mkdocs.yml like the project's, in a temporary
folder, so that each test has a card cache of its own. Expected words come from the YAML,
read with PyYAML.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from built_stories import FIXTURES
from conftest import ENGINE, REAL_CONTENT, Build, originals, project
from explainer.site import share_cards
from explainer.site.share_cards import REGULAR, draw_line, wrap
from html_reading import parse

DRAWN = re.compile(r"share cards: drew (\d+) of (\d+)")
LANGUAGES = {"real": ["", "ru/", "uk/"]}
DETAIL_KINDS = ("incidents", "statements", "actors", "glossary")


def build(config: Path, content: Path, site: Path) -> tuple[Build, int]:
    """`mkdocs build --strict` of `content`; and how many cards it says it drew."""
    result = subprocess.run(
        [sys.executable, "-m", ENGINE, "build", "--strict", "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        env={**os.environ, "EXPLAINER_CONTENT": str(content), "NO_MKDOCS_2_WARNING": "1"},
        cwd=config.parent,
        timeout=300,
    )
    built = Build(result, site)
    assert result.returncode == 0, built.output
    drawn = DRAWN.search(built.output)
    assert drawn, built.output
    return built, int(drawn.group(1))


def card_tags(html: str) -> dict[str, str]:
    """The share card's tags of a page: Open Graph's by `property`, Twitter's by `name`."""
    found = {}
    for tag in parse(html).find_all("meta"):
        property, name = tag.attrs.get("property") or "", tag.attrs.get("name") or ""
        if property.startswith("og:image"):
            found[property] = tag.attrs.get("content") or ""
        if name.startswith("twitter:"):
            found[name] = tag.attrs.get("content") or ""
        assert not property.startswith("twitter:"), "Twitter reads `name`, not `property`"
    return found


def card_file(built: Build, url: str) -> Path:
    """The card a page at `url` names, as a file of the built site."""
    image = card_tags(built.html(url))["og:image"]
    return (built.site / url / image).resolve()


def entity_urls(content: Path) -> list[str]:
    return [f"{kind}/{path.stem}/" for kind in DETAIL_KINDS for path in originals(content / kind)]


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, int, Path]:
    folder = tmp_path_factory.mktemp("cards-real")
    config = project(folder)
    built, drawn = build(config, REAL_CONTENT, folder / "site")
    return built, drawn, config


def test_every_entity_page_and_the_front_page_have_a_card_in_each_language(real) -> None:
    built, drawn, _ = real
    urls = ["", *entity_urls(REAL_CONTENT)]
    pages = [prefix + url for prefix in LANGUAGES["real"] for url in urls]
    assert drawn == len(pages)  # a cold cache: every card drawn, one per page
    for url in pages:
        tags = card_tags(built.html(url))
        assert tags["og:image:width"] == "1200" and tags["og:image:height"] == "630", url
        assert tags["og:image:type"] == "image/png", url
        assert tags["twitter:card"] == "summary_large_image", url
        assert tags["og:image:alt"], url
        with Image.open(card_file(built, url)) as card:
            assert card.format == "PNG" and card.size == (1200, 630), url


def test_a_card_is_in_its_pages_language(real) -> None:
    built, _, _ = real
    for path in originals(REAL_CONTENT / "incidents"):
        russian = yaml.safe_load(path.with_suffix(".ru.yml").read_text(encoding="utf-8"))
        english = yaml.safe_load(path.read_text(encoding="utf-8"))
        url = f"incidents/{path.stem}/"
        assert card_file(built, "ru/" + url) != card_file(built, url)
        assert card_file(built, "ru/" + url).read_bytes() != card_file(built, url).read_bytes()
        assert card_tags(built.html("ru/" + url))["og:image:alt"].startswith(" ".join(russian["title"].split()))
        assert card_tags(built.html(url))["og:image:alt"].startswith(" ".join(english["title"].split()))


def test_a_rebuild_with_nothing_changed_draws_no_card(real, tmp_path: Path) -> None:
    built, _, config = real
    cache = config.parent / ".cache" / "cards"
    before = {path: path.stat().st_mtime_ns for path in cache.iterdir()}
    again, drawn = build(config, REAL_CONTENT, tmp_path / "site")
    assert drawn == 0
    assert {path: path.stat().st_mtime_ns for path in cache.iterdir()} == before
    assert card_file(again, "ru/").read_bytes() == card_file(built, "ru/").read_bytes()


def test_a_changed_title_redraws_that_card_only(tmp_path: Path) -> None:
    content = shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    config = project(tmp_path / "project")
    first, _ = build(config, content, tmp_path / "first")
    incident = content / "incidents" / "blockade.yml"
    yaml_text = incident.read_text(encoding="utf-8")
    title = yaml.safe_load(yaml_text)["title"]
    incident.write_text(yaml_text.replace(title, "A new title for the blockade"), encoding="utf-8")
    second, drawn = build(config, content, tmp_path / "second")
    # A statement without a quote shows its summary, where `[[incidents/blockade]]` reads as the title.
    naming = [
        f"statements/{path.stem}/"
        for path in originals(content / "statements")
        if "quote" not in (statement := yaml.safe_load(path.read_text(encoding="utf-8")))
        and "[[incidents/blockade]]" in " ".join(statement["summary"].split())
    ]
    assert naming  # the fixture has one: the test must see a card redrawn for its words
    assert drawn == 1 + len(naming)
    changed = [
        url
        for url in ["", *entity_urls(content)]
        if card_file(first, url).read_bytes() != card_file(second, url).read_bytes()
    ]
    assert changed == ["incidents/blockade/", *naming]
    assert card_tags(second.html("incidents/blockade/"))["og:image:alt"].startswith("A new title for the blockade")


def test_hostile_text_in_a_title_is_text_in_the_alt(tmp_path: Path) -> None:
    content = shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    hostile = '<script>alert(1)</script> {{ 7 * 7 }} {% raw %} &amp; "quoted" zero\u200bwidth'
    incident = content / "incidents" / "blockade.yml"
    yaml_text = incident.read_text(encoding="utf-8")
    title = yaml.safe_load(yaml_text)["title"]
    incident.write_text(yaml_text.replace(title, yaml.safe_dump(hostile, allow_unicode=True).split("\n")[0]))
    assert yaml.safe_load(incident.read_text(encoding="utf-8"))["title"] == hostile
    built, _ = build(project(tmp_path / "project"), content, tmp_path / "site")
    html = built.html("incidents/blockade/")
    assert card_tags(html)["og:image:alt"].startswith(hostile)  # read once as HTML: the title as typed
    (tag,) = re.findall(r'<meta property="og:image:alt"[^>]*>', html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tag and "&amp;amp;" in tag and "{{ 7 * 7 }}" in tag
    assert card_file(built, "incidents/blockade/").is_file()


def test_cards_can_be_turned_off(tmp_path: Path) -> None:
    config = project(tmp_path / "project", cards=False)
    result = subprocess.run(
        [sys.executable, "-m", ENGINE, "build", "--strict", "-f", str(config), "-d", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        env={**os.environ, "EXPLAINER_CONTENT": str(FIXTURES / "minimal"), "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / "cards").exists()
    assert card_tags((tmp_path / "site" / "index.html").read_text(encoding="utf-8")) == {}
    assert not (tmp_path / "project" / ".cache" / "cards").exists()


def test_arabic_cards_are_set_right_to_left(tmp_path: Path) -> None:
    config = project(tmp_path / "project")
    built, _ = build(config, FIXTURES / "arabic", tmp_path / "site")
    for url in ["", *entity_urls(FIXTURES / "arabic")]:
        for prefix in ("", "ar/"):
            assert card_file(built, prefix + url).is_file(), prefix + url
    arabic, english = (_headline_ink(card_file(built, prefix + "incidents/port-attack/")) for prefix in ("ar/", ""))
    column_end = 1200 - 64 - 14  # the margin and the band at the edge where Arabic lines start
    assert abs(arabic[2] - column_end) <= 8 and arabic[0] > 64 + 14 + 40  # right-aligned, ragged left
    assert abs(english[0] - (64 + 14)) <= 8  # a letter's side bearing apart; English starts at the left


def _headline_ink(card: Path) -> tuple[int, int, int, int]:
    """Where the dark ink of a card's headline is (its rows: between the kicker and the foot)."""
    with Image.open(card) as image:
        band = image.convert("L").crop((0, 150, 1200, 420))
    box = band.point(lambda value: 255 if value < 60 else 0).getbbox()
    assert box is not None
    return box


# Letters that join only the letter before them; every other Arabic letter here joins both sides.
RIGHT_JOINING = frozenset("اأإآدذرزوؤة")


def presentation_forms(text: str) -> str:
    """`text` as Arabic Presentation Forms-B, each letter in the form its neighbours give it,
    in visual order (right to left read as left to right): what shaping should draw."""
    forms = []
    for index, letter in enumerate(text):
        if letter == " ":
            forms.append(letter)
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        joins_before = before != " " and before not in RIGHT_JOINING
        joins_after = after != " " and letter not in RIGHT_JOINING
        form = {(True, True): "MEDIAL", (True, False): "FINAL", (False, True): "INITIAL"}.get(
            (joins_before, joins_after), "ISOLATED"
        )
        forms.append(unicodedata.lookup(f"{unicodedata.name(letter)} {form} FORM"))
    return "".join(reversed(forms))


def _line(text: str, layout: ImageFont.Layout, *, ours: bool) -> Image.Image:
    image = Image.new("L", (720, 120), 0)
    drawing = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(REGULAR), 48, layout_engine=layout)
    if ours:
        draw_line(drawing, (700, 20), text, font, 255, "rtl", "ar")
    else:
        drawing.text((700, 20), text, font=font, fill=255, anchor="ra")
    return image


def _difference(one: Image.Image, other: Image.Image, ink: Image.Image) -> float:
    """How much two drawings differ, as a share of the ink of `ink`."""
    return sum(ImageChops.difference(one, other).histogram()[value] * value for value in range(256)) / sum(
        ink.histogram()[value] * value for value in range(256)
    )


@pytest.mark.parametrize("phrase", ["مرحبا", "الهجوم على الميناء"])
def test_arabic_is_shaped_as_its_presentation_forms_read(phrase: str) -> None:
    """Our drawing of the logical string against the joined forms in visual order drawn
    without shaping: the same picture, up to a few pixels where HarfBuzz places a letter a
    fraction of a pixel apart; the logical string drawn without shaping is another one."""
    assert features.check("raqm")
    shaped = _line(phrase, ImageFont.Layout.RAQM, ours=True)
    reference = _line(presentation_forms(phrase), ImageFont.Layout.BASIC, ours=False)
    unshaped = _line(phrase, ImageFont.Layout.BASIC, ours=False)
    assert reference.getbbox() and presentation_forms(phrase) != phrase
    assert _difference(shaped, reference, reference) < 0.15
    assert _difference(unshaped, reference, reference) > 1.0
    if phrase == "مرحبا":  # one word of letters whose forms DejaVu Sans draws alike in both ways
        assert ImageChops.difference(shaped, reference).getbbox() is None


def test_long_text_is_wrapped_and_cut_with_an_ellipsis() -> None:
    font = ImageFont.truetype(str(REGULAR), 40, layout_engine=ImageFont.Layout.RAQM)
    text = " ".join(["embassy"] * 60) + " Donaudampfschifffahrtsgesellschaftskapitän" * 3
    lines = wrap(text, font, 500, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 500 for line in lines)
    long_word = wrap("Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen", font, 300, 2)
    assert len(long_word) == 2 and all(font.getlength(line) <= 300 for line in long_word)
    assert wrap("Short title", font, 500, 3) == ["Short title"]


@pytest.mark.parametrize("text", ["x" * 2_000_000, "\u0301" * 2_000_000, "a" + "\u0301" * 5_000])
def test_a_text_of_millions_of_characters_is_cut_too(text: str) -> None:
    """Pillow refuses to measure a million characters, and accents take no room of their own."""
    font = ImageFont.truetype(str(REGULAR), 40, layout_engine=ImageFont.Layout.RAQM)
    lines = wrap(text, font, 500, 3)
    assert lines and len(lines) <= 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 500 for line in lines)


def test_hidden_characters_are_not_drawn() -> None:
    assert share_cards.drawable("a\u202eb\u200bc\u2066d\nnext\tline") == "abcd next line"


def test_without_raqm_a_card_is_not_drawn_unshaped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(features, "check", lambda feature: feature != "raqm")
    with pytest.raises(share_cards.MissingShaping, match="libfribidi0"):
        share_cards.require_shaping()
    card = share_cards.Card("ar", "rtl", "قصة", "عنوان", "", "", "", "", "", None)
    with pytest.raises(share_cards.MissingShaping):
        share_cards.draw(card)
