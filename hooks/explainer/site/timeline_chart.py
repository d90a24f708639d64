"""The timeline overview: a story's incidents and statements along a time axis, as an SVG drawn at
build time so that it needs no JavaScript.

Each mark shows how precisely its date is known (a dot for a day, a bar across the month, a faint
band across the year, a pill from the start of a period to its end) and links to its entry in the
list below the chart. That list stays the accessible version: for assistive technology the chart is
one image named by the caller's label, and its links are out of the tab order. Past
`histogram_above` marks the chart counts entries per month instead, so that it stays small and
legible however long the story grows.

The result is pasted into a Markdown page as a raw HTML block, under a content security policy that
allows no inline style: it is one block with no blank line, styled by classes only (the rules are in
site_src/assets/timeline-chart.css), and every text and link the caller passes in is escaped.
Every word a reader sees comes from the caller or from a parameter with an English default, so the
chart can be translated, and `rtl` runs its time axis from right to left.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from explainer.content.dates import PartialDate
from explainer.content.rich_text import escape
from explainer.site.urls import relative_to_page


@dataclass(frozen=True)
class Lane:
    """A row of the chart: "Incidents", "Statements", or one actor's statements."""

    key: str
    label: str


@dataclass(frozen=True)
class Mark:
    """An incident or statement on the chart, in the lane whose key is `lane`. `end` at its own
    precision: an end known to the month runs to the end of that month. `title` is plain text for
    the tooltip, `href` a link relative to the page, such as `#incidents-<id>`."""

    start: PartialDate
    end: PartialDate | None
    lane: str
    title: str
    href: str
    disputed: bool = False


@dataclass(frozen=True)
class Legend:
    """The legend's words. It names only the kinds of mark a chart shows."""

    day: str = "Date known to the day"
    month: str = "Known to the month"
    year: str = "Known only to the year"
    span: str = "From one date to another"
    disputed: str = "Disputed"
    per_month: str = "Entries per month"
    per_year: str = "Entries known only to the year"


def english_month(year: int, month: int) -> str:
    """The axis's label for a month, `Mar`."""
    return calendar.month_abbr[month]


def english_count(lane: str, year: int, month: int, count: int) -> str:
    """A histogram bar's tooltip: `Incidents, March 2025: 42`, or with month 0 for the entries known
    only to the year, `Incidents, 2025 (month not known): 7`."""
    period = str(PartialDate(year, month)) if month else f"{year} (month not known)"
    return f"{lane}, {period}: {count}"


def period_anchor_href(year: int, month: int) -> str:
    """Where a histogram bar leads: the listing's heading for the month, `#y2025-03`, or with month 0
    for the year, `#y2025`."""
    return f"#y{year:04d}-{month:02d}" if month else f"#y{year:04d}"


# The layout, in CSS pixels: the SVG is drawn at its natural size and scrolls sideways in its box
# rather than shrinking, so that its text stays readable on a phone.
MIN_WIDTH = 640  # the narrowest SVG: a short story still gets room to tell its months apart
_MARGIN = 16  # at each end of the axis: room for a dot on its first or last day
_MONTH_MIN = 12  # the narrowest month: a month's bar stays wide enough to see and to tap
_MONTH_LABEL = 30  # the room a month's label needs; when months are narrower only some are labelled
_YEAR_MONTHS = 3  # a year at either end of the axis gets at least this many months, room for its label
_TOP = 6
_LANE_LABEL = 18  # the line above each lane that names it
_ROW = 16  # marks that would overlap go in rows, one below the other
_MAX_ROWS = 10  # past this many rows marks overlap instead, in the row that leaves them the most room
_GAP = 2  # between two marks in a row
_RADIUS = 5  # of a day's dot; bars and bands are as tall as the dot
_SHORTEST_SPAN = 16  # a period of a few days is widened to this: a pill as wide as the dot would look like it
_LANE_GAP = 6
_HISTOGRAM = 64  # the height of a lane's tallest bar
_YEAR_STRIP = 6  # under the bars, the strip for a year's entries known only to the year
_AXIS = 42  # the axis line, its ticks, and a line each of month and year labels
_FONT = 12


def timeline_chart(
    marks: Sequence[Mark],
    lanes: Sequence[Lane],
    label: str,
    *,
    month_label: Callable[[int, int], str] = english_month,
    legend: Legend = Legend(),
    rtl: bool = False,
    histogram_above: int = 300,
    period_href: Callable[[int, int], str] = period_anchor_href,
    count_label: Callable[[str, int, int, int], str] = english_count,
) -> str:
    """The chart of `marks` in `lanes`, as an HTML block; "" when there are no marks.

    `label` names the chart for assistive technology and its scrolling box. With more marks than
    `histogram_above`, each lane shows a bar per month instead: its height is the count of entries
    starting that month, its tooltip `count_label(lane label, year, month, count)`, and it links to
    `period_href(year, month)`. Entries known only to the year are counted for the year (month 0),
    in a faint strip across the year under the bars, which links and tells its count the same way.

    ValueError if a mark's lane is not among `lanes` or its link is not relative to the page."""
    if not marks:
        return ""
    lane_index = {lane.key: index for index, lane in enumerate(lanes)}
    for mark in marks:
        if mark.lane not in lane_index:
            raise ValueError(f"mark {mark.title!r} is in lane {mark.lane!r}, which the chart does not have")
    extents = [_extent(mark) for mark in marks]
    axis = _axis(extents, rtl)
    histogram = len(marks) > histogram_above
    kinds: list[str]  # what the legend explains
    if histogram:
        counts = Counter((lane_index[mark.lane], mark.start.year, mark.start.month) for mark in marks)
        body, axis_y = _histogram(counts, lanes, axis, period_href, count_label)
        periods = {"per_month" if month else "per_year" for _, _, month in counts}
        kinds = [kind for kind in ("per_month", "per_year") if kind in periods]
    else:
        body, axis_y = _lanes(marks, extents, lanes, lane_index, axis)
        present = {_kind(mark) for mark in marks} | {"disputed" for mark in marks if mark.disputed}
        kinds = [kind for kind in ("day", "month", "year", "span", "disputed") if kind in present]
    height = axis_y + _AXIS
    name = _text(label)
    direction = "rtl" if rtl else "ltr"
    return "\n".join(
        [
            f'<div class="explainer-chart" dir="{direction}">',
            f'<div class="explainer-chart__scroll" role="region" tabindex="0" aria-label="{name}">',
            f'<svg class="explainer-chart__svg" role="img" aria-label="{name}" width="{_n(axis.width)}" '
            f'height="{_n(height)}" viewBox="0 0 {_n(axis.width)} {_n(height)}" direction="{direction}" '
            f'font-size="{_FONT}">',
            f"<title>{name}</title>",
            *_grid(axis, axis_y),
            *body,
            *_axis_labels(axis, axis_y, month_label),
            "</svg>",
            "</div>",
            *_legend(kinds, legend, histogram),
            "</div>",
        ]
    )


@dataclass(frozen=True)
class _Axis:
    """Where days fall across the SVG. Positions are worked out as offsets along time, which runs
    rightwards, and turned into x coordinates last, mirrored when the axis runs right to left, so
    that a right-to-left chart is exactly the mirror image of the left-to-right one."""

    first_month: int  # months counted from year 0, as `_month_number` does
    end_month: int  # the month after the last one shown
    first_day: int  # the first month's first day, as a proleptic Gregorian ordinal
    days: int
    width: float
    rtl: bool

    def offset(self, day: float) -> float:
        """How far along time `day` (an ordinal, with a fraction for a time within the day) is."""
        return _MARGIN + (day - self.first_day) * (self.width - 2 * _MARGIN) / self.days

    def x(self, offset: float) -> float:
        return round(self.width - offset if self.rtl else offset, 1)

    def span(self, start: float, end: float) -> tuple[float, float]:
        """The left x and the width of what runs from offset `start` to offset `end`; the width is
        taken between rounded ends, so that spans meeting at a day meet exactly."""
        left, right = sorted((self.x(start), self.x(end)))
        return left, right - left


def _axis(extents: list[tuple[datetime.date, datetime.date]], rtl: bool) -> _Axis:
    """An axis of whole months from the first mark's start to the last one's end."""
    first = _month_number(min(start for start, _ in extents))
    end = _month_number(max(end for _, end in extents) - datetime.timedelta(days=1)) + 1
    if first // 12 != (end - 1) // 12:  # a year boundary is on the axis: both ends get room for their year
        first = min(first, first // 12 * 12 + 12 - _YEAR_MONTHS)
        if end % 12:
            end = max(end, end // 12 * 12 + _YEAR_MONTHS)
    width = max(MIN_WIDTH, (end - first) * _MONTH_MIN + 2 * _MARGIN)
    first_day = _month_start(first).toordinal()
    return _Axis(first, end, first_day, _month_start(end).toordinal() - first_day, width, rtl)


def _lanes(
    marks: Sequence[Mark],
    extents: list[tuple[datetime.date, datetime.date]],
    lanes: Sequence[Lane],
    lane_index: dict[str, int],
    axis: _Axis,
) -> tuple[list[str], float]:
    """Each lane with its marks, and the y where the lanes end."""
    markup: list[str] = []
    top = float(_TOP)
    for index, lane in enumerate(lanes):
        here = [number for number, mark in enumerate(marks) if lane_index[mark.lane] == index]
        spans = {number: _offsets(marks[number], extents[number], axis) for number in here}
        here.sort(key=lambda number: spans[number])  # stable: marks that start together keep the caller's order
        rows = _rows([spans[number] for number in here])
        markup += _lane_start(index, lane, top, axis)
        for number, row in zip(here, rows, strict=True):
            middle = top + _LANE_LABEL + row * _ROW + _ROW / 2
            markup.append(_mark(marks[number], spans[number], middle, axis))
        markup.append("</g>")
        top += _LANE_LABEL + max(rows, default=0) * _ROW + _ROW + _LANE_GAP
    return markup, top


def _extent(mark: Mark) -> tuple[datetime.date, datetime.date]:
    """The first day a mark may mean and the day after its last: each end at its own precision."""
    end = mark.end or mark.start
    first, after = _first_day(mark.start), _day_after(end)
    if after <= first:  # an end before the start: show the whole stretch rather than nothing
        first, after = _first_day(end), _day_after(mark.start)
    return first, after


def _kind(mark: Mark) -> str:
    return "span" if mark.end is not None and mark.end != mark.start else mark.start.precision


def _offsets(mark: Mark, extent: tuple[datetime.date, datetime.date], axis: _Axis) -> tuple[float, float]:
    """Where a mark starts and ends along time: a dot is centred on its day, a bar covers what it
    means, and a period of a few days is widened, so that it can be seen, told from a dot and tapped."""
    first, after = (axis.offset(day.toordinal()) for day in extent)
    middle = (first + after) / 2
    if _kind(mark) == "day":
        return middle - _RADIUS, middle + _RADIUS
    if after - first < _SHORTEST_SPAN:
        return middle - _SHORTEST_SPAN / 2, middle + _SHORTEST_SPAN / 2
    return first, after


def _rows(spans: list[tuple[float, float]]) -> list[int]:
    """A row for each span, in order of their starts, so that none overlaps another in its row."""
    ends: list[float] = []
    rows: list[int] = []
    for start, end in spans:
        row = next((row for row, row_end in enumerate(ends) if row_end + _GAP <= start), None)
        if row is None and len(ends) < _MAX_ROWS:
            row = len(ends)
            ends.append(end)
        elif row is None:
            row = min(range(len(ends)), key=ends.__getitem__)
        ends[row] = max(ends[row], end)
        rows.append(row)
    return rows


def _lane_start(index: int, lane: Lane, top: float, axis: _Axis) -> list[str]:
    """A lane's group, whose class gives its colour, and its label at the start of the axis."""
    return [
        f'<g class="explainer-chart__lane explainer-chart__lane--{index % 6 + 1}">',
        f'<text class="explainer-chart__lane-label" x="{_n(axis.x(_MARGIN))}" y="{_n(top + 13)}">'
        f"{_text(lane.label)}</text>",
    ]


def _mark(mark: Mark, span: tuple[float, float], middle: float, axis: _Axis) -> str:
    """A mark: a link with a tooltip, around a dot for a day or a bar for anything longer."""
    kind = _kind(mark)
    start, end = span
    if kind == "day":
        shape = f'<circle cx="{_n(axis.x((start + end) / 2))}" cy="{_n(middle)}" r="{_RADIUS}"/>'
    else:
        left, width = axis.span(start, end)
        rounded = f' rx="{_RADIUS}"' if kind == "span" else ""  # a pill: a period, not a month or a year
        shape = f'<rect x="{_n(left)}" y="{_n(middle - _RADIUS)}" width="{_n(width)}" height="{2 * _RADIUS}"{rounded}/>'
    disputed = " explainer-chart__mark--disputed" if mark.disputed else ""
    return (
        f'<a class="explainer-chart__mark explainer-chart__mark--{kind}{disputed}" href="{_href(mark.href)}" '
        f'tabindex="-1"><title>{_text(mark.title)}</title>{shape}</a>'
    )


def _histogram(
    counts: Counter[tuple[int, int, int]],
    lanes: Sequence[Lane],
    axis: _Axis,
    period_href: Callable[[int, int], str],
    count_label: Callable[[str, int, int, int], str],
) -> tuple[list[str], float]:
    """Each lane with a bar per month, all lanes to one scale, and under the bars a strip across each
    year for its entries known only to the year; the y where the lanes end."""
    peak = max((count for (_, _, month), count in counts.items() if month), default=1)
    markup: list[str] = []
    top = float(_TOP)
    for index, lane in enumerate(lanes):
        base = top + _LANE_LABEL + _HISTOGRAM
        markup += _lane_start(index, lane, top, axis)
        for year, month in sorted((year, month) for lane_, year, month in counts if lane_ == index):
            count = counts[index, year, month]
            if month:
                first, after = _month_start(year * 12 + month - 1), _month_start(year * 12 + month)
                height = max(1.0, round(count / peak * _HISTOGRAM, 1))
                left, width = axis.span(axis.offset(first.toordinal()) + 0.5, axis.offset(after.toordinal()) - 0.5)
                y, classes = base - height, "explainer-chart__bar"
            else:
                first, after = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
                height = _YEAR_STRIP
                left, width = axis.span(axis.offset(first.toordinal()), axis.offset(after.toordinal()))
                y, classes = base + _GAP, "explainer-chart__bar explainer-chart__bar--year"
            markup.append(
                f'<a class="{classes}" href="{_href(period_href(year, month))}" tabindex="-1">'
                f"<title>{_text(count_label(lane.label, year, month, count))}</title>"
                f'<rect x="{_n(left)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}"/></a>'
            )
        markup.append("</g>")
        top = base + _GAP + _YEAR_STRIP + _LANE_GAP
    return markup, top


def _grid(axis: _Axis, bottom: float) -> list[str]:
    """A faint line down the chart at each new year, behind the marks."""
    years = range(axis.first_month // 12 + 1, (axis.end_month - 1) // 12 + 1)
    if not years:
        return []
    path = "".join(
        f"M{_n(axis.x(axis.offset(datetime.date(year, 1, 1).toordinal())))} {_TOP}V{_n(bottom)}" for year in years
    )
    return [f'<path class="explainer-chart__grid" d="{path}"/>']


def _axis_labels(axis: _Axis, y: float, month_label: Callable[[int, int], str]) -> list[str]:
    """The axis line, a tick at the start of each month, the months' labels (every month's when there
    is room, else every second, third, sixth or twelfth one's, so that January always has one) and
    each year's label at its start, or at the start of the axis for its first year."""
    ends = (axis.x(axis.offset(axis.first_day)), axis.x(axis.offset(axis.first_day + axis.days)))
    months = range(axis.first_month, axis.end_month)
    ticks = "".join(
        f"M{_n(axis.x(axis.offset(_month_start(month).toordinal())))} {_n(y)}v5" for month in [*months, axis.end_month]
    )
    month_width = (axis.width - 2 * _MARGIN) / len(months)
    step = next(step for step in (1, 2, 3, 6, 12) if step * month_width >= _MONTH_LABEL or step == 12)
    markup = [
        '<g class="explainer-chart__axis">',
        f'<path class="explainer-chart__axis-line" d="M{_n(ends[0])} {_n(y)}H{_n(ends[1])}"/>',
        f'<path class="explainer-chart__ticks" d="{ticks}"/>',
    ]
    for month in months:
        if month % 12 % step == 0:
            middle = (_month_start(month).toordinal() + _month_start(month + 1).toordinal()) / 2
            markup.append(
                f'<text class="explainer-chart__month" x="{_n(axis.x(axis.offset(middle)))}" y="{_n(y + 18)}" '
                f'text-anchor="middle">{_text(month_label(month // 12, month % 12 + 1))}</text>'
            )
    for year in range(axis.first_month // 12, (axis.end_month - 1) // 12 + 1):
        start = max(datetime.date(year, 1, 1).toordinal(), axis.first_day)
        markup.append(
            f'<text class="explainer-chart__year" x="{_n(axis.x(axis.offset(start) + 3))}" y="{_n(y + 34)}">'
            f"{year}</text>"
        )
    markup.append("</g>")
    return markup


# The legend's keys, drawn with the marks' own classes so that they look the same.
_KEYS = {
    "day": ("explainer-chart__mark explainer-chart__mark--day", '<circle cx="10" cy="6" r="5"/>'),
    "month": ("explainer-chart__mark explainer-chart__mark--month", '<rect x="3" y="1" width="14" height="10"/>'),
    "year": ("explainer-chart__mark explainer-chart__mark--year", '<rect x="1" y="1" width="18" height="10"/>'),
    "span": ("explainer-chart__mark explainer-chart__mark--span", '<rect x="1" y="1" width="18" height="10" rx="5"/>'),
    "disputed": (
        "explainer-chart__mark explainer-chart__mark--day explainer-chart__mark--disputed",
        '<circle cx="10" cy="6" r="5"/>',
    ),
    "per_month": ("explainer-chart__bar", '<rect x="4" y="1" width="12" height="10"/>'),
    "per_year": ("explainer-chart__bar explainer-chart__bar--year", '<rect x="1" y="3" width="18" height="6"/>'),
}


def _legend(kinds: list[str], legend: Legend, histogram: bool) -> list[str]:
    """The legend, in HTML so that its words wrap and read in the page's direction. It only explains
    the picture, whose accessible version is the list of entries, so it is hidden from screen readers."""
    items = [
        f'<li><svg class="explainer-chart__key" width="20" height="12" viewBox="0 0 20 12"><g class="{_KEYS[kind][0]}">'
        f"{_KEYS[kind][1]}</g></svg>{_text(getattr(legend, kind))}</li>"
        for kind in kinds
    ]
    mode = " explainer-chart__legend--histogram" if histogram else ""
    return [f'<ul class="explainer-chart__legend{mode}" aria-hidden="true">', *items, "</ul>"]


def _text(value: str) -> str:
    """A caller's text, escaped and on one line: a blank line would end the page's raw HTML block."""
    return escape(" ".join(value.split()))


def _href(value: str) -> str:
    """A link, escaped, once it is known to stay on the site: escaping keeps markup out of it, not a scheme."""
    if not relative_to_page(value):
        raise ValueError(f"chart link {value!r} is not relative to the page")
    return escape(value)


def _n(value: float) -> str:
    """A coordinate to a tenth of a pixel, the same every build, without a trailing `.0`."""
    return f"{value:.1f}".removesuffix(".0")


def _month_number(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(number: int) -> datetime.date:
    return datetime.date(number // 12, number % 12 + 1, 1)


def _first_day(date: PartialDate) -> datetime.date:
    return datetime.date(date.year, date.month or 1, date.day or 1)


def _day_after(date: PartialDate) -> datetime.date:
    """The day after the last one `date` may mean: the next day, month or year."""
    if date.day:
        return datetime.date(date.year, date.month, date.day) + datetime.timedelta(days=1)
    if date.month:
        return _month_start(date.year * 12 + date.month)
    return datetime.date(date.year + 1, 1, 1)
