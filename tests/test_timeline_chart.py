"""The timeline overview's SVG, read back as XML: what each mark looks like, where it is, where it
links, and that the markup stays safe and small as a raw HTML block in a Markdown page."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET

import markdown
import pytest

from explainer.content.dates import PartialDate as D
from explainer.site.timeline_chart import Lane, Legend, Mark, timeline_chart

LANES = [Lane("incidents", "Incidents"), Lane("statements", "Statements")]
LABEL = "Timeline of 3 incidents and 3 statements, from 2025 to March 2026"


def story_marks() -> list[Mark]:
    return [
        Mark(D(2025, 8, 14), None, "incidents", "Embassy strike", "#incidents-embassy-strike"),
        Mark(D(2025, 9), None, "incidents", "Convoy stopped", "#incidents-convoy", disputed=True),
        Mark(D(2025), None, "incidents", "Border closed", "#incidents-border"),
        Mark(D(2025, 10, 10), D(2026, 1), "statements", "Talks", "#statements-talks"),
        Mark(D(2026, 2, 1), None, "statements", "Denial", "#statements-denial"),
        Mark(D(2026, 3, 3), D(2026, 3, 4), "statements", "Two days", "#statements-two-days"),
    ]


def parse(chart: str) -> ET.Element:
    """The chart as XML: it is well-formed, character references and all."""
    return ET.fromstring(chart)


def svg_of(root: ET.Element) -> ET.Element:
    svg = root.find(".//svg[@role='img']")
    assert svg is not None
    return svg


def links(root: ET.Element) -> dict[str, ET.Element]:
    """The marks' links, by their tooltip."""
    return {a.findtext("title"): a for a in svg_of(root).iter("a")}


def month_ticks(root: ET.Element) -> list[float]:
    """The x of each month's first day on the axis, and of the day after the last month, in time order."""
    ticks = svg_of(root).find(".//path[@class='explainer-chart__ticks']")
    assert ticks is not None
    return [float(x) for x in re.findall(r"M([0-9.]+) ", ticks.get("d", ""))]


def shape(link: ET.Element) -> ET.Element:
    (drawn,) = [child for child in link if child.tag != "title"]
    return drawn


def edges(rect: ET.Element) -> tuple[float, float]:
    left = float(rect.get("x", "nan"))
    return left, round(left + float(rect.get("width", "nan")), 1)


def centre(link: ET.Element) -> float:
    drawn = shape(link)
    if drawn.tag == "circle":
        return float(drawn.get("cx", "nan"))
    left, right = edges(drawn)
    return (left + right) / 2


def test_the_chart_is_one_named_image_in_a_box_that_scrolls_by_keyboard():
    root = parse(timeline_chart(story_marks(), LANES, LABEL))
    assert root.tag == "div" and root.get("class") == "explainer-chart"
    box = root.find("div[@class='explainer-chart__scroll']")
    assert box is not None
    assert (box.get("role"), box.get("tabindex"), box.get("aria-label")) == ("region", "0", LABEL)
    svg = svg_of(root)
    assert svg.get("aria-label") == LABEL and svg.findtext("title") == LABEL
    assert float(svg.get("width", "0")) >= 640 and svg.get("viewBox") == f"0 0 {svg.get('width')} {svg.get('height')}"


def test_each_mark_links_to_its_entry_with_its_title_out_of_the_tab_order():
    marks = story_marks()
    root = parse(timeline_chart(marks, LANES, LABEL))
    found = links(root)
    assert len(list(svg_of(root).iter("a"))) == len(marks)
    assert {title: a.get("href") for title, a in found.items()} == {mark.title: mark.href for mark in marks}
    assert {a.get("tabindex") for a in found.values()} == {"-1"}


def test_a_day_is_a_dot_on_its_day():
    root = parse(timeline_chart(story_marks(), LANES, LABEL))
    ticks = month_ticks(root)  # the axis starts in January 2025
    dot = shape(links(root)["Embassy strike"])
    august = ticks[7], ticks[8]
    assert dot.tag == "circle"
    assert float(dot.get("cx", "nan")) == pytest.approx(august[0] + (august[1] - august[0]) * 13.5 / 31, abs=0.1)


def test_a_month_is_a_bar_across_the_month():
    root = parse(timeline_chart(story_marks(), LANES, LABEL))
    ticks = month_ticks(root)
    bar = shape(links(root)["Convoy stopped"])
    assert bar.tag == "rect" and bar.get("rx") is None
    assert edges(bar) == (ticks[8], ticks[9])


def test_a_year_is_a_faint_band_across_the_year():
    root = parse(timeline_chart(story_marks(), LANES, LABEL))
    ticks = month_ticks(root)
    link = links(root)["Border closed"]
    assert "explainer-chart__mark--year" in link.get("class", "").split()
    assert edges(shape(link)) == (ticks[0], ticks[12])


def test_a_period_runs_from_its_start_to_the_end_of_its_end():
    root = parse(timeline_chart(story_marks(), LANES, LABEL))
    ticks = month_ticks(root)
    link = links(root)["Talks"]
    pill = shape(link)
    assert "explainer-chart__mark--span" in link.get("class", "").split() and pill.get("rx")
    left, right = edges(pill)
    october = ticks[9], ticks[10]
    assert left == pytest.approx(october[0] + (october[1] - october[0]) * 9 / 31, abs=0.1)
    assert right == ticks[13]  # the end of January 2026


def test_a_period_of_days_is_wide_enough_to_see_and_not_a_dot():
    root = parse(timeline_chart(story_marks(), LANES, LABEL))
    left, right = edges(shape(links(root)["Two days"]))
    assert right - left >= 15


def test_disputed_marks_are_marked_and_others_are_not():
    root = parse(timeline_chart(story_marks(), LANES, LABEL))
    disputed = {title for title, a in links(root).items() if "explainer-chart__mark--disputed" in a.get("class", "")}
    assert disputed == {"Convoy stopped"}


def test_each_lane_is_labelled_and_holds_its_own_marks():
    root = parse(timeline_chart(story_marks(), LANES, LABEL))
    groups = svg_of(root).findall("g[@class]")
    lanes = [group for group in groups if "explainer-chart__lane" in group.get("class", "").split()]
    assert [lane.findtext("text") for lane in lanes] == ["Incidents", "Statements"]
    assert [len(lane.findall("a")) for lane in lanes] == [3, 3]


def test_marks_that_would_overlap_go_in_rows():
    marks = [Mark(D(2025, 5, 1), None, "incidents", title, f"#{title}") for title in ("a", "b", "c")]
    found = links(parse(timeline_chart(marks, LANES, LABEL)))
    assert len({shape(a).get("cy") for a in found.values()}) == 3
    assert len({shape(a).get("cx") for a in found.values()}) == 1


def test_the_axis_labels_months_and_years():
    root = parse(timeline_chart(story_marks(), LANES, LABEL))
    months = [text.text for text in svg_of(root).iter("text") if text.get("class") == "explainer-chart__month"]
    years = [text.text for text in svg_of(root).iter("text") if text.get("class") == "explainer-chart__year"]
    assert months[:3] == ["Jan", "Feb", "Mar"] and len(months) == 15
    assert years == ["2025", "2026"]


def test_the_words_a_reader_sees_come_from_the_caller():
    names = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
    legend = Legend(day="Известно до дня", disputed="Оспаривается")
    marks = [
        Mark(D(2025, 3, 1), None, "incidents", "a", "#a", disputed=True),
        Mark(D(2025, 4, 1), None, "incidents", "b", "#b"),
    ]
    root = parse(timeline_chart(marks, LANES, LABEL, month_label=lambda year, month: names[month - 1], legend=legend))
    assert "мар" in [text.text for text in svg_of(root).iter("text")]
    items = root.findall("ul/li")
    assert ["".join(item.itertext()) for item in items] == ["Известно до дня", "Оспаривается"]


def test_the_legend_names_only_what_the_chart_shows():
    marks = [Mark(D(2025, 3), None, "incidents", "a", "#a")]
    root = parse(timeline_chart(marks, LANES, LABEL))
    assert ["".join(item.itertext()) for item in root.findall("ul/li")] == [Legend().month]


HOSTILE = "x\"><script>alert(1)</script> {{ page.title }} [[actors/x]] {% raw %} '&amp;"


def test_the_callers_text_is_only_ever_escaped():
    href = "#a" + HOSTILE.replace(" ", "")  # a link has no white space: that is refused
    marks = [Mark(D(2025, 3, 1), None, "incidents", HOSTILE, href)]
    lanes = [Lane("incidents", HOSTILE)]
    chart = timeline_chart(marks, lanes, HOSTILE, legend=Legend(day=HOSTILE), month_label=lambda year, month: HOSTILE)
    for syntax in ("<script", "{{", "{%", "[[", "&amp;", 'x"'):
        assert syntax not in chart
    root = parse(chart)
    (link,) = links(root).values()
    assert link.get("href") == href and svg_of(root).get("aria-label") == HOSTILE
    assert HOSTILE in [text.text for text in svg_of(root).iter("text")]
    assert not root.findall(".//script")


def test_a_line_break_in_the_callers_text_cannot_end_the_html_block():
    marks = [Mark(D(2025, 3, 1), None, "incidents", "one\n\ntwo", "#a")]
    chart = timeline_chart(marks, [Lane("incidents", "lane\n\n")], "label\r\n\r\nmore")
    assert "\n\n" not in chart and "\r" not in chart
    assert links(parse(chart))["one two"] is not None


def test_markdown_leaves_the_chart_as_it_is():
    chart = timeline_chart(story_marks(), LANES, LABEL)
    page = f"Before.\n\n{chart}\n\nAfter."
    html = markdown.markdown(page, extensions=["attr_list", "toc"])
    assert chart in html


def test_nothing_needs_an_inline_style_a_script_or_another_host():
    chart = timeline_chart(story_marks(), LANES, LABEL)
    assert not re.search(r"\sstyle=|<style|<script|\son[a-z]+=|https?:|xlink", chart)


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
    with pytest.raises(ValueError, match="not relative"):
        timeline_chart([Mark(D(2025, 3, 1), None, "incidents", "a", href)], LANES, LABEL)


def test_a_mark_in_a_lane_the_chart_does_not_have_is_refused():
    with pytest.raises(ValueError, match="lane 'actors'"):
        timeline_chart([Mark(D(2025, 3, 1), None, "actors", "a", "#a")], LANES, LABEL)


def test_no_marks_no_chart():
    assert timeline_chart([], LANES, LABEL) == ""


def test_right_to_left_the_chart_is_the_mirror_image():
    marks = story_marks()
    ltr_root = parse(timeline_chart(marks, LANES, LABEL))
    rtl_root = parse(timeline_chart(marks, LANES, LABEL, rtl=True))
    width = float(svg_of(rtl_root).get("width", "nan"))
    assert (rtl_root.get("dir"), svg_of(rtl_root).get("direction")) == ("rtl", "rtl")
    ltr, rtl = links(ltr_root), links(rtl_root)
    assert centre(rtl["Embassy strike"]) > centre(rtl["Denial"])
    for title in ltr:
        assert centre(rtl[title]) == pytest.approx(width - centre(ltr[title]), abs=0.15)
        assert shape(rtl[title]).get("cy", shape(rtl[title]).get("y")) == shape(ltr[title]).get(
            "cy", shape(ltr[title]).get("y")
        )
    lane_label = svg_of(rtl_root).find(".//text[@class='explainer-chart__lane-label']")
    assert lane_label is not None and float(lane_label.get("x", "nan")) == width - 16
    assert not re.search(r"transform|scale\(", timeline_chart(marks, LANES, LABEL, rtl=True))


def many_marks(count: int) -> list[Mark]:
    """`count` entries from 2021 to 2025, a few known only to the year or disputed."""
    rng = random.Random(2025)
    marks = []
    for number in range(count):
        year, month, day = rng.randint(2021, 2025), rng.randint(1, 12), rng.randint(1, 28)
        date = D(year) if number % 50 == 0 else D(year, month, day) if number % 3 else D(year, month)
        lane = "incidents" if number % 4 else "statements"
        marks.append(Mark(date, None, lane, f"Entry {number}", f"#{lane}-entry-{number}", disputed=number % 7 == 0))
    return marks


def test_ten_thousand_marks_make_a_small_histogram():
    marks = many_marks(10_000)
    chart = timeline_chart(marks, LANES, LABEL)
    assert len(chart.encode()) < 200_000 and "\n\n" not in chart
    svg = svg_of(parse(chart))
    assert not [a for a in svg.iter("a") if "explainer-chart__mark" in a.get("class", "")]
    bars = list(svg.iter("a"))
    counts = [int(re.search(r": ([0-9]+)$", a.findtext("title", "")).group(1)) for a in bars]
    assert sum(counts) == 10_000
    for lane in svg.findall("g/a/.."):  # in each lane, a strip for each year's undated months, under the bars
        years = [a for a in lane.findall("a") if "explainer-chart__bar--year" in a.get("class", "")]
        months = [a for a in lane.findall("a") if a not in years]
        lowest = max(float(shape(a).get("y", "nan")) + float(shape(a).get("height", "nan")) for a in months)
        assert len(years) == 5 and min(float(shape(a).get("y", "nan")) for a in years) > lowest
    by_href = {a.get("href") for a in bars}
    assert {"#y2021", "#y2025-12"} <= by_href and all(re.fullmatch(r"#y20[0-9]{2}(-[0-9]{2})?", h) for h in by_href)


def test_a_bars_height_is_its_count():
    marks = [Mark(D(2025, month, 1), None, "incidents", "a", "#a") for month in (1, 1, 1, 1, 2, 2)]
    svg = svg_of(parse(timeline_chart(marks, LANES, LABEL, histogram_above=3)))
    heights = {a.findtext("title"): float(shape(a).get("height", "nan")) for a in svg.iter("a")}
    assert heights["Incidents, January 2025: 4"] == 2 * heights["Incidents, February 2025: 2"]
    bottoms = {round(float(shape(a).get("y", "nan")) + float(shape(a).get("height", "nan")), 1) for a in svg.iter("a")}
    assert len(bottoms) == 1


def test_the_histogram_starts_past_its_threshold_and_links_where_the_caller_says():
    marks = [Mark(D(2025, 3, day), None, "incidents", "a", "#a") for day in (1, 2, 3)]
    marks_only = svg_of(parse(timeline_chart(marks, LANES, LABEL, histogram_above=3)))
    assert {a.get("class") for a in marks_only.iter("a")} == {"explainer-chart__mark explainer-chart__mark--day"}
    chart = timeline_chart(marks, LANES, LABEL, histogram_above=2, period_href=lambda y, m: f"timeline/{y}/{m:02d}/")
    (bar,) = svg_of(parse(chart)).iter("a")
    assert (bar.get("class"), bar.get("href")) == ("explainer-chart__bar", "timeline/2025/03/")


def test_coordinates_are_rounded_to_a_tenth():
    chart = timeline_chart(many_marks(200), LANES, LABEL)
    numbers = re.findall(r'(?:x|y|cx|cy|width|height|d)="([^"]*)"', chart)
    assert numbers and not [n for n in numbers if re.search(r"[0-9]\.[0-9]{2}", n)]


def test_the_same_story_draws_the_same_bytes():
    for count in (200, 10_000):
        assert timeline_chart(many_marks(count), LANES, LABEL) == timeline_chart(many_marks(count), LANES, LABEL)
