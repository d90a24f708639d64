"""Static SVG maps of where incidents happened: one of the whole story, and a small locator per incident.

The country outlines are Natural Earth's, as the `world-atlas` package ships them (see
geodata/README.md); nothing is fetched from another host and there are no tiles. Each map is
a raw HTML block for a Markdown page: it starts with a block-level tag and holds no line
break, so no blank line can end the block early. The page's content security policy allows
no `style` attribute, no `<style>` element and no script, so the markup carries classes and
presentation attributes only, and its colours come from locator-map.css. Every text and
attribute value from the caller is escaped with `rich_text.escape`.

The story map draws its outlines inline, in a projection fitted to the story's places. A
locator sits on every incident page, thousands of them in a long story, so it draws none: it
shows a crop of one outline file that the build publishes once (`map_assets`), through
`<use href>`, which costs each page a few hundred bytes and next to no time to write.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explainer.content.rich_text import escape
from explainer.site.kept import Kept
from explainer.site.urls import relative_to_page

TOPOLOGY = Path(__file__).with_name("geodata") / "countries-50m.json"
WORLD_SVG = "assets/map/world.svg"  # site-relative: where the build publishes the locators' outlines

Point = tuple[float, float]  # (x, y), or (lon, lat) in degrees before projection
Address = Callable[[str], str]  # a site-relative URL as the page being written can link to it


@dataclass(frozen=True)
class Place:
    """A point on a map. `href` is already relative to the page the map lands on; `title` is
    plain text for the point's tooltip, such as the place's name and how much happened there."""

    name: str
    lat: float
    lon: float
    href: str
    title: str


# --- The outlines: TopoJSON decoded once ------------------------------------------------------


@dataclass(frozen=True)
class _Ring:
    arcs: tuple[int, ...]  # TopoJSON arc indexes; `~i` is arc `i` walked backwards
    bbox: tuple[float, float, float, float]  # west, south, east, north in degrees


@dataclass(frozen=True)
class _Country:
    name: str
    rings: tuple[_Ring, ...]  # outer rings and holes alike: maps fill them even-odd


@dataclass(frozen=True)
class _Topology:
    arcs: tuple[tuple[Point, ...], ...]  # (lon, lat): each border once, shared by the countries on both sides
    countries: tuple[_Country, ...]


@functools.cache
def _topology() -> _Topology:
    data = json.loads(TOPOLOGY.read_text(encoding="utf-8"))
    arcs = tuple(_decode_arc(arc, data["transform"]) for arc in data["arcs"])
    return _Topology(arcs, tuple(_country(geometry, arcs) for geometry in data["objects"]["countries"]["geometries"]))


def _decode_arc(arc: list[list[int]], transform: dict[str, list[float]]) -> tuple[Point, ...]:
    """An arc's positions in degrees: TopoJSON stores them on an integer grid, each as its
    step from the one before. Natural Earth writes some points on the antimeridian as -180 in
    a coast otherwise near +180 (Chukotka, Fiji): each such point is moved by a full turn next
    to its neighbour, or the coast would cross the whole map and back."""
    (scale_x, scale_y), (origin_x, origin_y) = transform["scale"], transform["translate"]
    x = y = 0
    points: list[Point] = []
    for step_x, step_y in arc:
        x += step_x
        y += step_y
        lon = x * scale_x + origin_x
        if points and abs(lon - points[-1][0]) > 180:
            lon += 360 if lon < points[-1][0] else -360
        points.append((lon, y * scale_y + origin_y))
    return tuple(points)


def _country(geometry: dict[str, Any], arcs: tuple[tuple[Point, ...], ...]) -> _Country:
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    rings = []
    for ring in (ring for polygon in polygons for ring in polygon):
        points = _ring_points(ring, lambda index: arcs[index])
        lons, lats = [lon for lon, _ in points], [lat for _, lat in points]
        rings.append(_Ring(tuple(ring), (min(lons), min(lats), max(lons), max(lats))))
    return _Country(geometry["properties"]["name"], tuple(rings))


def _ring_points(ring: Iterable[int], arc: Callable[[int], Sequence[Point]]) -> list[Point]:
    """A ring's points from its arcs: each arc starts where the one before ends, so that point is
    taken once; the last point repeats the first."""
    points: list[Point] = []
    for index in ring:
        steps = arc(index) if index >= 0 else arc(~index)[::-1]
        points.extend(steps[1:] if points else steps)
    return points


def _simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker: the points a line needs to stay within `tolerance` of the original.
    Simplifying each shared arc (not each ring) keeps neighbouring countries' borders identical,
    with no gap or overlap between them."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    spans = [(0, len(points) - 1)]
    while spans:
        first, last = spans.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        farthest, distance = first, tolerance
        for index in range(first + 1, last):
            px, py = points[index]
            off = abs(dx * (py - ay) - dy * (px - ax)) / length if length else math.hypot(px - ax, py - ay)
            if off > distance:
                farthest, distance = index, off
        if farthest != first:
            keep[farthest] = True
            spans += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


# --- SVG numbers and path data ------------------------------------------------------------------

_MIN_AREA = 2.0  # square SVG units, in which either map's unit is about a pixel, or less


def _fixed(value: int, digits: int) -> str:
    """`value`, counted in units of the last of `digits` decimals, as the shortest SVG number:
    no trailing zeros, no leading zero before the point."""
    sign, (whole, part) = "-" if value < 0 else "", divmod(abs(value), 10**digits)
    if not part:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{part:0{digits}d}".rstrip("0")


def _num(value: float) -> str:
    return _fixed(round(value * 10), 1)


def _path(rings: Iterable[Sequence[Point]], digits: int) -> str:
    """Path data, each ring a move and then relative lines, whose steps are short numbers.
    Each point is rounded before the steps are taken, so rounding errors do not add up. Rings
    smaller than a pixel or two are left out: islands too small to see, and slivers the frame
    cut off a country."""
    factor = 10**digits
    least = 2 * _MIN_AREA * factor**2
    parts = []
    for ring in rings:
        grid = [(round(x * factor), round(y * factor)) for x, y in ring]
        if grid[-1] == grid[0]:
            grid.pop()
        if abs(_area(grid)) < least:
            continue
        steps = [(bx - ax, by - ay) for (ax, ay), (bx, by) in itertools.pairwise(grid) if (ax, ay) != (bx, by)]
        numbers = " ".join(f"{_fixed(dx, digits)} {_fixed(dy, digits)}" for dx, dy in steps).replace(" -", "-")
        parts.append(f"M{_fixed(grid[0][0], digits)} {_fixed(grid[0][1], digits)}l{numbers}z")
    return "".join(parts)


def _area(points: Sequence[tuple[int, int]]) -> int:
    """Twice the signed area (shoelace), exact on the integer grid."""
    return sum(ax * by - bx * ay for (ax, ay), (bx, by) in zip(points, [*points[1:], *points[:1]], strict=True))


def _text(value: str) -> str:
    """A caller's text, escaped and on one line: a blank line would end the page's raw HTML block."""
    return escape(_one_line(value))


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _relative_url(url: str) -> str:
    """`url`, if it is relative to the page: escaping keeps markup out of a URL, not a scheme,
    and a map asks no other host for anything."""
    if not relative_to_page(url):
        raise ValueError(f"a map links only to URLs relative to its page, not {url!r}")
    return url


def _check(place: Place) -> None:
    if not (math.isfinite(place.lat) and math.isfinite(place.lon) and abs(place.lat) <= 90 and abs(place.lon) <= 180):
        raise ValueError(f"{place.name!r}: latitude must be within -90 to 90 and longitude within -180 to 180")
    _relative_url(place.href)


def _svg_open(width: float, height: float, label: str, extra_class: str) -> str:
    """The map's wrapper, `<svg>` start tag, `<title>` and sea. A screen reader announces the map
    as one image, by `label`: the page's list of places is the version to read. `direction` is
    pinned so that `text-anchor` puts each label on the side it was placed on, whatever the
    page's own direction; a label in a right-to-left script still reads right to left."""
    size = f'viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" height="{_num(height)}"'
    return (
        f'<div class="explainer-map{extra_class}"><svg {size} role="img" aria-label="{_text(label)}" direction="ltr">'
        f"<title>{_text(label)}</title>"
        f'<rect class="explainer-map__sea" width="{_num(width)}" height="{_num(height)}"/>'
    )


# --- Labels ---------------------------------------------------------------------------------------

FONT_SIZE = 13.0  # SVG units: the locator is drawn at one unit a CSS pixel
DOT_RADIUS = 4.0
_GAP = 3.0  # between a dot and its label
_EDGE = 4.0  # labels keep this far from the frame's edge
_NUDGES = (0.0, -1.2, 1.2, -2.4, 2.4)  # a label's shifts up and down, in font sizes, tried in turn


@dataclass(frozen=True)
class _Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: _Box) -> bool:
        across = self.left < other.right and other.left < self.right
        return across and self.top < other.bottom and other.top < self.bottom


class _Grid:
    """Boxes filed by the cells they cover, so that checking a label against thousands of others
    looks only at its neighbours."""

    CELL = 48.0

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[_Box]] = {}

    def _cells_of(self, box: _Box) -> Iterator[tuple[int, int]]:
        for column in range(math.floor(box.left / self.CELL), math.floor(box.right / self.CELL) + 1):
            for row in range(math.floor(box.top / self.CELL), math.floor(box.bottom / self.CELL) + 1):
                yield column, row

    def add(self, box: _Box) -> None:
        for cell in self._cells_of(box):
            self._cells.setdefault(cell, []).append(box)

    def hits(self, box: _Box) -> bool:
        return any(box.overlaps(other) for cell in self._cells_of(box) for other in self._cells.get(cell, ()))


@dataclass(frozen=True)
class _Label:
    text: str
    x: float
    y: float  # the baseline
    anchor: str  # `text-anchor`, in the SVG's pinned left-to-right direction


def _char_width(char: str) -> float:
    """A character's advance in font sizes, on the generous side of common sans-serif fonts, so
    that a label we think fits does fit."""
    if unicodedata.combining(char):
        return 0.0
    if unicodedata.east_asian_width(char) in "WF":
        return 1.0
    if char in " .,:;'!|()[]ijlrtfI-":
        return 0.32
    if char.isupper() or char in "mw@%&":
        return 0.72
    return 0.58


def _text_width(text: str) -> float:
    return sum(_char_width(char) for char in text) * FONT_SIZE


def _fitted(text: str, room: float) -> str:
    """`text`, cut short with an ellipsis if it is wider than `room`; "" if not even a few
    letters fit. The point's tooltip and the page's list keep the whole name."""
    if _text_width(text) <= room:
        return text
    room -= _text_width("…")
    widths = itertools.accumulate(_char_width(char) * FONT_SIZE for char in text)
    kept = text[: sum(1 for _ in itertools.takewhile(lambda width: width <= room, widths))].rstrip()
    return kept + "…" if len(kept) >= 3 else ""


def _place_labels(points: Sequence[tuple[str, Point]], width: float, height: float, rtl: bool) -> list[_Label | None]:
    """A label beside each point: at the dot's height first, on the side text starts from
    (right, or left in a right-to-left page), then the other side, then nudged up and down,
    until it is inside the frame and clear of every other label and dot. A label with no such
    spot may cover a dot, but never another label: with none left it is left out, and its
    point keeps its tooltip."""
    dots, labels = _Grid(), _Grid()
    for _, (x, y) in points:
        dots.add(_Box(x - DOT_RADIUS, y - DOT_RADIUS, x + DOT_RADIUS, y + DOT_RADIUS))
    placed: list[_Label | None] = []
    for name, point in points:
        options = [(label, box) for label, box in _candidates(name, point, width, height, rtl) if not labels.hits(box)]
        best = next((option for option in options if not dots.hits(option[1])), options[0] if options else None)
        if best is not None:
            labels.add(best[1])
        placed.append(best[0] if best else None)
    return placed


def _candidates(name: str, point: Point, width: float, height: float, rtl: bool) -> Iterator[tuple[_Label, _Box]]:
    x, y = point
    offset = DOT_RADIUS + _GAP
    room = {"start": width - _EDGE - (x + offset), "end": x - offset - _EDGE}  # to the right, to the left
    text = _fitted(name, max(room.values()))
    if not text:
        return
    text_width = _text_width(text)
    for nudge in _NUDGES:
        for anchor in ("end", "start") if rtl else ("start", "end"):
            if text_width > room[anchor]:
                continue
            baseline = y + FONT_SIZE * (0.35 + nudge)
            left = x + offset if anchor == "start" else x - offset - text_width
            box = _Box(left, baseline - 0.8 * FONT_SIZE, left + text_width, baseline + 0.25 * FONT_SIZE)
            if box.top >= _EDGE and box.bottom <= height - _EDGE:
                yield _Label(text, x + offset if anchor == "start" else x - offset, baseline, anchor), box


def _places(places: Sequence[Place], points: Sequence[Point], width: float, height: float, rtl: bool) -> str:
    """Each place as a link holding its tooltip, its dot and its label. The links leave the tab
    order: the page's list of places has the same links, and a keyboard user need not step
    through them twice."""
    names = [_one_line(place.name) for place in places]
    labels = _place_labels(list(zip(names, points, strict=True)), width, height, rtl)
    parts = [f'<g class="explainer-map__places" font-size="{_num(FONT_SIZE)}">']
    for place, (x, y), label in zip(places, points, labels, strict=True):
        parts.append(
            f'<a href="{escape(place.href)}" tabindex="-1"><title>{_text(place.title)}</title>'
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(DOT_RADIUS)}"/>{_label_markup(label)}</a>'
        )
    parts.append("</g>")
    return "".join(parts)


def _label_markup(label: _Label | None) -> str:
    if label is None:
        return ""
    position = f'x="{_num(label.x)}" y="{_num(label.y)}" text-anchor="{label.anchor}"'
    return f"<text {position}>{escape(label.text)}</text>"


# --- The story map: outlines inline, fitted to the places -----------------------------------------

MAP_WIDTH = 560.0  # SVG units; CSS scales the map to the width of its column
MIN_SPAN = 10.0  # degrees: a lone place, or a close cluster, still shows the countries around it
_MARGIN = 0.2  # of the places' extent, on each side, so that dots and labels are not at the edge
_MIN_MARGIN = 2.0  # degrees
_ASPECT = (0.5, 0.8)  # least and most height for the width: neither a sliver nor a tower
_WORLD = (-58.0, 84.0)  # a world view's latitudes: every inhabited coast, without Antarctica
_TOLERANCE = 0.5  # SVG units an outline may stray from Natural Earth's, under a pixel
_BLEED = 2.0  # SVG units outlines run past the frame, so that no stroke shows along its edge


@dataclass(frozen=True)
class _Frame:
    """An equirectangular projection and the part of it a map shows. Degrees of longitude are
    shortened by the cosine of the map's middle latitude, so a regional map keeps its shapes."""

    lon0: float  # the central meridian
    stretch: float  # x per degree of longitude, against y per degree of latitude
    west: float  # the left edge, in stretched degrees east of lon0
    north: float  # the top edge's latitude
    scale: float  # SVG units per degree of latitude
    width: float
    height: float

    def x(self, lon: float) -> float:
        return ((lon - self.lon0) * self.stretch - self.west) * self.scale

    def y(self, lat: float) -> float:
        return (self.north - lat) * self.scale

    def point(self, lon: float, lat: float) -> Point:
        """A place, on the side of the antimeridian the frame shows it."""
        return self.x(self.lon0 + (lon - self.lon0 + 180) % 360 - 180), self.y(lat)


def _longitudes(lons: Sequence[float]) -> tuple[float, float]:
    """The middle and the length of the shortest arc of longitude that holds every place: places
    on both sides of the antimeridian sit together, not at the two ends of the world."""
    east = sorted({lon % 360 for lon in lons})
    if len(east) == 1:
        return (east[0] + 180) % 360 - 180, 0.0
    gaps = [(east[(i + 1) % len(east)] - east[i]) % 360 for i in range(len(east))]
    widest = max(range(len(gaps)), key=gaps.__getitem__)
    span = 360 - gaps[widest]
    return (east[(widest + 1) % len(east)] + span / 2 + 180) % 360 - 180, span


def _fit(places: Sequence[Place]) -> _Frame:
    lon0, lon_span = _longitudes([place.lon for place in places])
    south, north = min(place.lat for place in places), max(place.lat for place in places)
    stretch = math.cos(math.radians(min(abs(south + north) / 2, 60)))
    width = max(lon_span * stretch + 2 * max(lon_span * stretch * _MARGIN, _MIN_MARGIN), MIN_SPAN)
    height = max(north - south + 2 * max((north - south) * _MARGIN, _MIN_MARGIN), MIN_SPAN)
    width, height = max(width, height / _ASPECT[1]), max(height, width * _ASPECT[0])
    if width / stretch >= 360 or height >= 180:  # a world view
        top, bottom = min(max(_WORLD[1], north + _MIN_MARGIN), 90), max(min(_WORLD[0], south - _MIN_MARGIN), -90)
        scale = MAP_WIDTH / 360
        return _Frame(lon0, 1.0, -180, top, scale, MAP_WIDTH, round((top - bottom) * scale))
    middle = min(max((south + north) / 2, height / 2 - 90), 90 - height / 2)
    scale = MAP_WIDTH / width
    return _Frame(lon0, stretch, -width / 2, middle + height / 2, scale, MAP_WIDTH, round(height * scale))


def _clip(points: list[Point], box: _Box) -> list[Point]:
    """Sutherland-Hodgman: the ring cut to the box one edge at a time. Where a country runs on
    past the frame, its ring follows the box's edge, outside the visible part."""
    for axis, limit, side in ((0, box.left, 1), (0, box.right, -1), (1, box.top, 1), (1, box.bottom, -1)):
        kept: list[Point] = []
        for a, b in zip([*points[-1:], *points[:-1]], points, strict=True):
            a_in, b_in = (a[axis] - limit) * side >= 0, (b[axis] - limit) * side >= 0
            if a_in != b_in:
                t = (limit - a[axis]) / (b[axis] - a[axis])
                kept.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
            if b_in:
                kept.append(b)
        points = kept
        if not points:
            break
    return points


def _outlines(frame: _Frame) -> str:
    """The frame's outlines (_draw_outlines), drawn once for every page, language and build."""
    key = hashlib.sha256(repr(frame).encode()).hexdigest()[:16]
    return _drawn(f"outlines-{key}.svg", lambda: _draw_outlines(frame).encode()).decode()


def _draw_outlines(frame: _Frame) -> str:
    """A path per country the frame shows, cut to the frame, `data-name` naming it for styling.
    A ring is drawn for each copy of the world (itself, a full turn east, a full turn west) that
    reaches into the frame, so that a map across the antimeridian shows both of its sides."""
    topology = _topology()
    arcs: dict[int, list[Point]] = {}

    def arc(index: int) -> list[Point]:
        if index not in arcs:
            arcs[index] = _simplify([(frame.x(lon), frame.y(lat)) for lon, lat in topology.arcs[index]], _TOLERANCE)
        return arcs[index]

    box = _Box(-_BLEED, -_BLEED, frame.width + _BLEED, frame.height + _BLEED)
    paths = []
    for country in topology.countries:
        rings = []
        for ring in country.rings:
            west, south, east, north = ring.bbox
            if frame.y(south) < box.top or frame.y(north) > box.bottom:
                continue
            for shift in (-360.0, 0.0, 360.0):
                if frame.x(east + shift) < box.left or frame.x(west + shift) > box.right:
                    continue
                offset = shift * frame.stretch * frame.scale
                points = [(x + offset, y) for x, y in _ring_points(ring.arcs, arc)]
                inside = all(box.left <= x <= box.right and box.top <= y <= box.bottom for x, y in points)
                rings.append(points if inside else _clip(points[:-1], box))
        data = _path((ring for ring in rings if len(ring) >= 3), 1)
        if data:
            paths.append(f'<path data-name="{escape(country.name)}" d="{data}"/>')
    return f'<g class="explainer-map__land" fill-rule="evenodd">{"".join(paths)}</g>'


def story_map(places: Sequence[Place], label: str, *, rtl: bool = False) -> str:
    """The story's map for its /map/ page: every place as a dot linked to its entry, labelled
    with its name, over the countries around them, in a frame fitted to the places with room
    to spare. `label` names the map for screen readers, which the page's list of places
    serves better. With `rtl`, labels sit on the dots' left; the map is not mirrored."""
    if not places:
        raise ValueError("a map needs at least one place")
    for place in places:
        _check(place)
    frame = _fit(places)
    points = [frame.point(place.lon, place.lat) for place in places]
    return (
        _svg_open(frame.width, frame.height, label, "")
        + _outlines(frame)
        + _places(places, points, frame.width, frame.height, rtl)
        + "</svg></div>"
    )


# --- The locator: a crop of one shared outline file -----------------------------------------------

WORLD_UNITS = 10  # world.svg units per degree of longitude; its points are whole units
_MERCATOR_LIMIT = 85.0  # degrees of latitude where world.svg stops: Mercator grows without end at the poles
LOCATOR_WIDTH, LOCATOR_HEIGHT = 240.0, 180.0  # SVG units, drawn at one CSS pixel each unless the column is narrower
LOCATOR_SPAN = 18.0  # the ground a locator spans from left to right, in degrees of the equator
_WORLD_TOLERANCE = 0.5  # world.svg units: a small fraction of a locator's pixel


def _mercator(lat: float) -> float:
    """Degrees north of the equator on a Mercator map whose degrees of longitude are one unit:
    a conformal projection, so that any crop of it shows shapes as they are."""
    lat = min(max(lat, -_MERCATOR_LIMIT), _MERCATOR_LIMIT)
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


_WORLD_WIDTH = 360 * WORLD_UNITS
_WORLD_HEIGHT = math.ceil(2 * _mercator(_MERCATOR_LIMIT) * WORLD_UNITS)


def _world_point(lon: float, lat: float) -> Point:
    return (lon + 180) * WORLD_UNITS, _WORLD_HEIGHT / 2 - _mercator(lat) * WORLD_UNITS


def _world_svg() -> bytes:
    """Every country as one path, `#land`, with no colour of its own: a `<use>` element gives it
    the page's colours by inheritance. Its stroke keeps its width however far a locator zooms in."""
    topology = _topology()
    arcs = [_simplify([_world_point(lon, lat) for lon, lat in points], _WORLD_TOLERANCE) for points in topology.arcs]
    rings = (_ring_points(ring.arcs, arcs.__getitem__) for country in topology.countries for ring in country.rings)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WORLD_WIDTH} {_WORLD_HEIGHT}">'
        "<!-- Country outlines: Natural Earth 1:50m (public domain), from the world-atlas package. -->"
        f'<path id="land" fill-rule="evenodd" vector-effect="non-scaling-stroke" d="{_path(rings, 0)}"/></svg>\n'
    ).encode()


# The drawings that take long: the world takes a quarter of a second, as long as a small
# story's whole build, and a story map's outlines a tenth.
DRAWN_MAPS = Kept()


def _drawn(name: str, draw: Callable[[], bytes]) -> bytes:
    """The drawing `name` (such as `world.svg`), drawn once for each version of the outlines
    and of this module."""
    stem, _, suffix = name.rpartition(".")
    versioned = f"{stem}-{_version()}.{suffix}"
    drawn = DRAWN_MAPS.get(versioned)
    if drawn is None:
        drawn = draw()
        DRAWN_MAPS.put(versioned, drawn)
    return drawn


@functools.cache
def _version() -> str:
    return hashlib.sha256(TOPOLOGY.read_bytes() + Path(__file__).read_bytes()).hexdigest()[:16]


def map_assets() -> dict[str, bytes]:
    """The files the locators show, by site-relative path, for the build to publish once."""
    return {WORLD_SVG: _drawn("world.svg", _world_svg)}


def locator(place: Place, label: str, href: Address, *, rtl: bool = False) -> str:
    """A small map for an incident's page: the place as a dot, linked and labelled as on the
    story map, in the middle of the region around it. `href` turns WORLD_SVG's site-relative
    URL into one relative to the page. The region spans the same ground at any latitude; near
    the poles, where Mercator ends, the dot moves off the middle instead."""
    _check(place)
    x, y = _world_point(place.lon, place.lat)
    crop = LOCATOR_SPAN * WORLD_UNITS / math.cos(math.radians(min(abs(place.lat), 75)))
    scale = round(LOCATOR_WIDTH / crop, 5)
    top = min(max(y - LOCATOR_HEIGHT / scale / 2, 0), _WORLD_HEIGHT - LOCATOR_HEIGHT / scale)
    shift_x, shift_y = round((LOCATOR_WIDTH / 2 - x * scale) * 10) / 10, round(-top * scale * 10) / 10
    world = escape(_relative_url(href(WORLD_SVG)) + "#land")
    transform = f'transform="matrix({scale:g} 0 0 {scale:g} {_num(shift_x)} {_num(shift_y)})"'
    uses = [f'<use class="explainer-map__land" href="{world}" {transform}/>']
    left, right = -shift_x / scale, (LOCATOR_WIDTH - shift_x) / scale
    for copy in [_WORLD_WIDTH] * (right > _WORLD_WIDTH) + [-_WORLD_WIDTH] * (left < 0):  # across the antimeridian
        uses.append(f'<use class="explainer-map__land" href="{world}" {transform} x="{copy}"/>')
    point = (x * scale + shift_x, y * scale + shift_y)
    return (
        _svg_open(LOCATOR_WIDTH, LOCATOR_HEIGHT, label, " explainer-map--locator")
        + "".join(uses)
        + _places([place], [point], LOCATOR_WIDTH, LOCATOR_HEIGHT, rtl)
        + "</svg></div>"
    )
