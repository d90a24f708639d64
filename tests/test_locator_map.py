"""The story map and the locators, read back as XML: where each place lands on the outlines, what it
links to and says, and that the markup stays safe, small and cheap as a raw HTML block in a page."""

from __future__ import annotations

import hashlib
import math
import random
import re
import time
import xml.etree.ElementTree as ET

import markdown
import pytest

from explainer.site import locator_map
from explainer.site.kept import Kept
from explainer.site.locator_map import WORLD_SVG, Place, locator, map_assets, story_map

KYIV = Place("Kyiv, Ukraine", 50.45, 30.52, "../incidents/embassy-strike/", "Kyiv, Ukraine: 3 incidents")
LVIV = Place("Lviv, Ukraine", 49.84, 24.03, "../incidents/lviv-strike/", "Lviv, Ukraine: 1 incident")
ODESA = Place("Odesa, Ukraine", 46.48, 30.72, "../incidents/port-strike/", "Odesa, Ukraine: 2 incidents")
BAKU = Place("Baku, Azerbaijan", 40.41, 49.87, "../incidents/ambassador-summoned/", "Baku, Azerbaijan: 1 incident")
STORY = [KYIV, LVIV, ODESA, BAKU]
LABEL = "Map: 4 places in Ukraine and Azerbaijan"
HOSTILE = "x\"><script>alert(1)</script> {{ page.title }} [[actors/x]] {% raw %} *a* '&amp;"
FONT = 13  # the maps' font size, in SVG units


def to_page(url: str) -> str:
    """An incident page's address for a site-relative URL: it sits two folders down."""
    return "../../" + url


def parse(html: str) -> ET.Element:
    """The map as XML: it is well-formed, character references and all."""
    return ET.fromstring(html)


def svg_of(root: ET.Element) -> ET.Element:
    svg = root.find("svg")
    assert svg is not None
    return svg


def view_box(root: ET.Element) -> tuple[float, float]:
    x, y, width, height = map(float, svg_of(root).get("viewBox", "").split())
    assert (x, y) == (0, 0)
    return width, height


def points(root: ET.Element) -> dict[str, ET.Element]:
    """Each place's link, by its tooltip."""
    links = svg_of(root).findall(".//a")
    return {link.findtext("title", ""): link for link in links}


def dot(link: ET.Element) -> tuple[float, float]:
    (circle,) = link.findall("circle")
    return float(circle.get("cx", "")), float(circle.get("cy", ""))


def rings(data: str) -> list[list[tuple[float, float]]]:
    """The rings of path data made of `M x y`, relative `l` steps and `z`, as absolute points."""
    found: list[list[tuple[float, float]]] = []
    for move, steps in re.findall(r"M([^l]+)l([^z]*)z", data):
        x, y = map(float, re.findall(r"-?(?:\d+\.?\d*|\.\d+)", move))
        ring = [(x, y)]
        numbers = [float(n) for n in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", steps)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            ring.append((x, y))
        found.append(ring)
    assert found, "no rings in the path"
    return found


def inside(point: tuple[float, float], shape: list[list[tuple[float, float]]]) -> bool:
    """Even-odd, as the maps fill their outlines."""
    x, y = point
    crossings = 0
    for ring in shape:
        for (ax, ay), (bx, by) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                crossings += 1
    return crossings % 2 == 1


def country(root: ET.Element, name: str) -> list[list[tuple[float, float]]]:
    path = svg_of(root).find(f".//path[@data-name='{name}']")
    assert path is not None, f"{name} is not on the map"
    return rings(path.get("d", ""))


def countries(root: ET.Element) -> set[str]:
    return {path.get("data-name", "") for path in svg_of(root).iter("path")}


def labels(root: ET.Element) -> list[ET.Element]:
    return list(svg_of(root).iter("text"))


def least_width(text: str) -> float:
    """Less than any common font's width for `text`: a label placed with room for it must have this."""
    return 0.45 * FONT * len(text)


# --- Both maps -----------------------------------------------------------------------------------


@pytest.mark.parametrize("draw", [lambda: story_map(STORY, LABEL), lambda: locator(KYIV, LABEL, to_page)])
def test_each_map_is_one_named_image_in_a_block(draw):
    html = draw()
    root = parse(html)
    assert html.startswith('<div class="explainer-map') and root.tag == "div"
    svg = svg_of(root)
    assert svg.get("role") == "img" and svg.get("aria-label") == LABEL
    assert svg[0].tag == "title" and svg[0].text == LABEL
    assert all(link.get("tabindex") == "-1" for link in svg.iter("a"))


def test_each_place_is_one_dot_linked_to_its_entry_and_labelled_with_its_name():
    root = parse(story_map(STORY, LABEL))
    by_title = points(root)
    assert sorted(by_title) == sorted(place.title for place in STORY)
    for place in STORY:
        link = by_title[place.title]
        assert link.get("href") == place.href
        assert len(link.findall("circle")) == 1
        assert [text.text for text in link.findall("text")] == [place.name]


def test_the_locator_links_and_labels_its_place_like_the_story_map():
    ((title, link),) = points(parse(locator(KYIV, LABEL, to_page))).items()
    assert title == KYIV.title and link.get("href") == KYIV.href
    assert [text.text for text in link.findall("text")] == [KYIV.name]


# --- The story map's projection -------------------------------------------------------------------


def test_kyiv_is_inside_ukraine_and_east_of_lviv():
    root = parse(story_map(STORY, LABEL))
    by_title = points(root)
    kyiv, lviv, baku = (dot(by_title[place.title]) for place in (KYIV, LVIV, BAKU))
    assert inside(kyiv, country(root, "Ukraine")) and inside(lviv, country(root, "Ukraine"))
    assert not inside(kyiv, country(root, "Belarus")) and not inside(baku, country(root, "Ukraine"))
    assert inside(baku, country(root, "Azerbaijan"))
    assert kyiv[0] > lviv[0] and baku[0] > kyiv[0] and baku[1] > kyiv[1]  # east is right, south is down


def test_a_single_place_still_shows_the_countries_around_it():
    same_place = Place("Kyiv, the embassy", KYIV.lat, KYIV.lon, "../incidents/other/", "The embassy: 1 incident")
    for places in ([KYIV], [KYIV, same_place]):
        root = parse(story_map(places, "Map: Kyiv"))
        assert {"Ukraine", "Belarus", "Poland", "Russia", "Moldova"} <= countries(root) and len(countries(root)) < 20
        width, height = view_box(root)
        x, y = dot(points(root)[KYIV.title])
        assert abs(x - width / 2) < 1 and abs(y - height / 2) < 1


def test_places_far_apart_both_fit_with_room_around_them():
    root = parse(story_map([KYIV, BAKU], LABEL))
    width, height = view_box(root)
    for place in (KYIV, BAKU):
        x, y = dot(points(root)[place.title])
        assert width / 8 < x < width * 7 / 8 and height / 8 < y < height * 7 / 8, place.name


def test_places_across_the_world_give_a_world_view():
    world = [KYIV, Place("Lima", -12.05, -77.04, "a/", "Lima"), Place("Sydney", -33.87, 151.21, "b/", "Sydney")]
    root = parse(story_map([*world, Place("Ottawa", 45.42, -75.7, "c/", "Ottawa")], LABEL))
    assert len(countries(root)) > 150
    assert {"Peru", "Australia", "Canada", "Ukraine"} <= countries(root)


def test_places_on_both_sides_of_the_antimeridian_stay_together():
    viti_levu = Place("Viti Levu, Fiji", -17.8, 178.0, "a/", "Viti Levu")
    upolu = Place("Upolu, Samoa", -13.92, -171.75, "b/", "Upolu")
    root = parse(story_map([viti_levu, upolu], LABEL))
    width, _ = view_box(root)
    (fiji_x, _), (samoa_x, _) = dot(points(root)["Viti Levu"]), dot(points(root)["Upolu"])
    assert 0 < fiji_x < samoa_x < width  # Samoa, east of the line, is to the right
    assert len(countries(root)) < 15  # a region, not the world
    assert inside(dot(points(root)["Viti Levu"]), country(root, "Fiji"))
    assert inside(dot(points(root)["Upolu"]), country(root, "Samoa"))


def test_coasts_by_the_antimeridian_do_not_cross_the_map():
    anadyr, nome = Place("Anadyr", 64.73, 177.5, "a/", "Anadyr"), Place("Nome", 64.5, -165.4, "b/", "Nome")
    root = parse(story_map([anadyr, nome], LABEL))
    width, _ = view_box(root)
    assert {"Russia", "United States of America"} <= countries(root)
    for path in svg_of(root).iter("path"):
        for ring in rings(path.get("d", "")):
            assert all(abs(bx - ax) < width / 4 for (ax, _), (bx, _) in zip(ring, ring[1:], strict=False))
    for ring in world_land():
        assert all(
            abs(bx - ax) < 90 * locator_map.WORLD_UNITS for (ax, _), (bx, _) in zip(ring, ring[1:], strict=False)
        )


def test_outlines_are_cut_to_the_frame():
    root = parse(story_map([KYIV], "Map: Kyiv"))
    width, height = view_box(root)
    for path in svg_of(root).iter("path"):
        for x, y in (point for ring in rings(path.get("d", "")) for point in ring):
            assert -3 <= x <= width + 3 and -3 <= y <= height + 3


# --- Labels -----------------------------------------------------------------------------------------


def test_labels_stay_inside_the_frame():
    east = Place("A place with a long name at the eastern edge", 40.4, 49.9, "a/", "east")
    root = parse(story_map([KYIV, LVIV, east], LABEL))
    width, height = view_box(root)
    for text in labels(root):
        x, y = float(text.get("x", "")), float(text.get("y", ""))
        room = width - x if text.get("text-anchor") == "start" else x
        assert room >= least_width(text.text or "") and FONT * 0.8 <= y <= height
    (label,) = points(root)["east"].findall("text")
    assert label.get("text-anchor") == "end"  # no room to its right


def test_labels_of_places_close_together_do_not_overlap():
    cluster = [
        Place(f"District {n}", 50.45 + 0.05 * (n % 3), 30.52 + 0.07 * (n // 3), f"{n}/", f"d{n}") for n in range(6)
    ]
    root = parse(story_map(cluster, LABEL))
    boxes = []
    for text in labels(root):
        x, y, width = float(text.get("x", "")), float(text.get("y", "")), least_width(text.text or "")
        left = x if text.get("text-anchor") == "start" else x - width
        boxes.append((left, y - 0.7 * FONT, left + width, y))
    assert len(boxes) >= 4  # most of them find a place
    for index, (left, top, right, bottom) in enumerate(boxes):
        for other in boxes[index + 1 :]:
            assert right <= other[0] or other[2] <= left or bottom <= other[1] or other[3] <= top


def test_a_crowded_map_draws_every_place_and_leaves_labels_out_rather_than_overlap_them():
    rng = random.Random(7)
    many = [Place(f"Town {n}", rng.uniform(-60, 60), rng.uniform(-150, 150), f"{n}/", f"t{n}") for n in range(2000)]
    root = parse(story_map(many, LABEL))
    assert len(points(root)) == 2000 and 0 < len(labels(root)) < 2000


def test_right_to_left_labels_sit_on_the_other_side_of_the_same_map():
    room_either_side = [KYIV, ODESA]
    left_to_right = parse(story_map(room_either_side, LABEL))
    right_to_left = parse(story_map(room_either_side, LABEL, rtl=True))
    for root, anchor, side in ((left_to_right, "start", 1), (right_to_left, "end", -1)):
        for link in points(root).values():
            (text,) = link.findall("text")
            assert text.get("text-anchor") == anchor and (float(text.get("x", "")) - dot(link)[0]) * side > 0
    assert [dot(link) for link in points(left_to_right).values()] == [
        dot(link) for link in points(right_to_left).values()
    ]
    paths = [[path.get("d") for path in svg_of(root).iter("path")] for root in (left_to_right, right_to_left)]
    assert paths[0] == paths[1]  # the geography is not mirrored
    assert svg_of(right_to_left).get("direction") == "ltr"  # so that the anchors mean what they say
    (link,) = points(parse(locator(KYIV, LABEL, to_page, rtl=True))).values()
    assert link.find("text").get("text-anchor") == "end"


def test_a_name_too_long_for_the_locator_is_cut_short_and_kept_whole_in_its_tooltip():
    long = Place("Kramatorsk, Donetsk Oblast, Ukraine, near the front line", 48.72, 37.56, "a/", "Kramatorsk")
    (link,) = points(parse(locator(long, LABEL, to_page))).values()
    text = link.find("text").text or ""
    assert text.endswith("…") and long.name.startswith(text[:-1])


# --- Safe as a raw HTML block ----------------------------------------------------------------------


@pytest.mark.parametrize("draw", [story_map, lambda places, label: locator(places[0], label, to_page)])
def test_the_callers_text_is_only_ever_escaped(draw):
    hostile = Place(HOSTILE, 50.45, 30.52, "../x/" + HOSTILE.replace(" ", ""), HOSTILE)
    html = draw([hostile], HOSTILE)
    for syntax in ("<script", "{{", "{%", "[[", "*a*", "&amp;", 'x"'):
        assert syntax not in html
    root = parse(html)
    ((title, link),) = points(root).items()
    assert title == HOSTILE and link.get("href") == hostile.href
    assert svg_of(root).get("aria-label") == HOSTILE and svg_of(root).findtext("title") == HOSTILE
    label = link.findtext("text", "")
    assert label == HOSTILE or (label.endswith("…") and HOSTILE.startswith(label[:-1]))
    assert not root.findall(".//script")


def test_a_line_break_in_the_callers_text_cannot_end_the_html_block():
    place = Place("one\n\ntwo", 50.45, 30.52, "a/", "three\r\n\r\nfour")
    for html in (story_map([place], "map\n\n"), locator(place, "map\u2028\u2028", to_page)):
        assert "\n" not in html and "\r" not in html and "\u2028" not in html
        ((title, link),) = points(parse(html)).items()
        assert title == "three four" and link.find("text").text == "one two"


@pytest.mark.parametrize("draw", [lambda: story_map(STORY, LABEL), lambda: locator(KYIV, LABEL, to_page)])
def test_markdown_leaves_the_map_as_it_is(draw):
    html = draw()
    page = markdown.markdown(f"Before.\n\n{html}\n\nAfter.", extensions=["attr_list", "toc"])
    assert html in page


def test_nothing_needs_an_inline_style_a_script_or_another_host():
    for html in (story_map(STORY, LABEL), locator(KYIV, LABEL, to_page)):
        assert not re.search(r"\sstyle=|<style|<script|<image|<foreignObject|\son[a-z]+=|https?:|xlink|url\(", html)
    world = map_assets()[WORLD_SVG].decode()
    assert not re.search(r"<script|\son[a-z]+=|href|url\(|<image", world)


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " JavaScript:x",
        "java\tscript:x",
        "https://elsewhere.example/",
        "//elsewhere.example/",
        "/\\elsewhere.example/",
    ],
)
def test_a_link_that_leaves_the_page_is_refused(href):
    place = Place("Kyiv", 50.45, 30.52, href, "Kyiv")
    with pytest.raises(ValueError, match="relative to its page"):
        story_map([place], LABEL)
    with pytest.raises(ValueError, match="relative to its page"):
        locator(place, LABEL, to_page)
    with pytest.raises(ValueError, match="relative to its page"):
        locator(KYIV, LABEL, lambda url: href)


@pytest.mark.parametrize("lat, lon", [(91, 0), (0, -181), (math.nan, 0), (0, math.inf)])
def test_a_place_off_the_globe_is_refused(lat, lon):
    with pytest.raises(ValueError, match="latitude"):
        story_map([Place("nowhere", lat, lon, "a/", "nowhere")], LABEL)


def test_no_places_no_map():
    with pytest.raises(ValueError, match="at least one place"):
        story_map([], LABEL)


# --- Small, rounded, the same every time -----------------------------------------------------------


def test_the_story_map_is_small_even_as_a_world_view():
    rng = random.Random(3)
    world = [
        Place(
            f"Place {n}",
            rng.uniform(-50, 60),
            rng.uniform(-150, 150),
            f"../incidents/place-{n}/",
            f"Place {n}: 2 incidents",
        )
        for n in range(60)
    ]
    for places in (STORY, [KYIV], world):
        assert len(story_map(places, LABEL).encode()) < 100_000


def test_coordinates_are_rounded_to_a_tenth():
    html = story_map(STORY, LABEL) + locator(KYIV, LABEL, to_page)
    for value in re.findall(r'\s(?:c?[xy]|d|viewBox|width|height)="([^"]*)"', html):
        assert not re.search(r"\.\d\d", value), value


def test_the_same_places_draw_the_same_bytes():
    assert story_map(STORY, LABEL) == story_map(list(STORY), LABEL)
    assert locator(KYIV, LABEL, to_page) == locator(KYIV, LABEL, to_page)
    assert locator_map._world_svg() == locator_map._world_svg()


def test_the_maps_are_drawn_once_into_the_cache(tmp_path, monkeypatch):
    drawings = Kept()
    drawings.keep_in(tmp_path)
    monkeypatch.setattr(locator_map, "DRAWN_MAPS", drawings)
    drawn = map_assets()
    kept = story_map(STORY, LABEL)
    assert sorted(path.name.split("-")[0] for path in tmp_path.iterdir()) == ["outlines", "world"]

    def draw_again(*arguments):
        raise AssertionError("a cached map was drawn again")

    next_build = Kept()
    next_build.keep_in(tmp_path)
    monkeypatch.setattr(locator_map, "DRAWN_MAPS", next_build)
    monkeypatch.setattr(locator_map, "_world_svg", draw_again)
    monkeypatch.setattr(locator_map, "_draw_outlines", draw_again)
    assert map_assets() == drawn
    assert story_map(STORY, LABEL) == kept


# --- The locator: a crop of the shared outlines ------------------------------------------------------


def world_land() -> list[list[tuple[float, float]]]:
    world = ET.fromstring(map_assets()[WORLD_SVG])
    (land,) = [path for path in world.iter("{http://www.w3.org/2000/svg}path") if path.get("id") == "land"]
    return rings(land.get("d", ""))


def in_world(html: str) -> tuple[float, float]:
    """The locator's dot in world.svg's units: its `<use>` transform undone."""
    root = parse(html)
    use = svg_of(root).find("use")
    assert use is not None
    scale, _, _, _, shift_x, shift_y = map(float, re.findall(r"-?[\d.]+", use.get("transform", "")))
    x, y = dot(next(iter(points(root).values())))
    return (x - shift_x) / scale, (y - shift_y) / scale


def test_the_locator_shows_the_shared_outlines_around_its_place():
    html = locator(KYIV, LABEL, to_page)
    root = parse(html)
    uses = svg_of(root).findall("use")
    assert [use.get("href") for use in uses] == ["../../assets/map/world.svg#land"]
    assert dot(points(root)[KYIV.title]) == (120, 90)  # in the middle of the frame
    land = world_land()
    assert inside(in_world(html), land)
    black_sea = Place("Black Sea", 43.2, 34.0, "a/", "sea")
    assert not inside(in_world(locator(black_sea, LABEL, to_page)), land)


def test_a_locator_by_the_antimeridian_shows_both_sides():
    suva = Place("Suva, Fiji", -18.14, 178.44, "a/", "Suva")
    uses = svg_of(parse(locator(suva, LABEL, to_page))).findall("use")
    assert [use.get("x") for use in uses] == [None, str(360 * locator_map.WORLD_UNITS)]
    assert len(svg_of(parse(locator(KYIV, LABEL, to_page))).findall("use")) == 1


def kilometres(a: Place, b: Place) -> float:
    """Great-circle distance."""
    (lat1, lon1), (lat2, lon2) = (math.radians(a.lat), math.radians(a.lon)), (math.radians(b.lat), math.radians(b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def test_both_maps_show_distances_alike_north_south_and_east_west():
    """Odesa is south of Kyiv and Lviv west of it, at much the same distance: a map that squashed
    one direction (degrees of latitude and longitude drawn alike) would show them far apart."""
    expected = kilometres(KYIV, ODESA) / kilometres(KYIV, LVIV)
    by_title = points(parse(story_map(STORY, LABEL)))
    kyiv, odesa, lviv = (dot(by_title[place.title]) for place in (KYIV, ODESA, LVIV))
    assert math.dist(kyiv, odesa) / math.dist(kyiv, lviv) == pytest.approx(expected, rel=0.1)
    kyiv, odesa, lviv = (in_world(locator(place, LABEL, to_page)) for place in (KYIV, ODESA, LVIV))
    assert math.dist(kyiv, odesa) / math.dist(kyiv, lviv) == pytest.approx(expected, rel=0.1)


def test_the_locator_is_cheap_and_small():
    rng = random.Random(11)
    located = [
        Place(
            f"{rng.random():.6f}, Somewhere",
            rng.uniform(-60, 60),
            rng.uniform(-150, 150),
            f"../../incidents/incident-{n:05d}/",
            f"Incident {n}",
        )
        for n in range(2000)
    ]
    locator(located[0], LABEL, to_page)
    start = time.perf_counter()
    drawn = [locator(place, f"Map: where incident {n} happened", to_page) for n, place in enumerate(located)]
    assert time.perf_counter() - start < 2.0  # a loose bound: it takes a small fraction of that
    assert max(len(html.encode()) for html in drawn) < 1500


def test_the_shared_outlines_are_one_file_published_once():
    assets = map_assets()
    assert list(assets) == [WORLD_SVG]
    world = ET.fromstring(assets[WORLD_SVG])
    assert world.tag == "{http://www.w3.org/2000/svg}svg" and world.get("viewBox")
    assert len(assets[WORLD_SVG]) < 250_000


def test_the_outlines_are_natural_earths_as_world_atlas_ships_them_with_their_licences():
    folder = locator_map.TOPOLOGY.parent
    readme = (folder / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(locator_map.TOPOLOGY.read_bytes()).hexdigest()
    assert digest in readme  # unchanged since it was taken from the package
    assert "Michael Bostock" in (folder / "LICENSE-world-atlas").read_text(encoding="utf-8")
    assert "public domain" in (folder / "LICENSE-natural-earth").read_text(encoding="utf-8")
