"""The timeline overview of a story: its incidents and statements as marks along a time axis
(timeline_chart draws them), for the front page and the top of /timeline/."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from explainer.content.story import Story
from explainer.site import urls
from explainer.site.listings import counted
from explainer.site.timeline_chart import Lane, Mark, timeline_chart

LANES = {"incidents": "Incidents", "statements": "Statements"}
TIMELINE = "timeline/"


def overview(story: Story, href: Callable[[str], str]) -> Markup:
    """The chart, linking each mark to its entry on the timeline; `href` makes a site-relative
    address relative to the page the chart is on. A long story's timeline is split by year,
    so its marks (drawn as a histogram) lead to the year."""
    entries = story.all("incidents") + story.all("statements")
    marks = [
        Mark(
            entity.dated,
            entity.fields.get("end_date"),
            entity.kind,
            _title(story, entity),
            href(TIMELINE + "#" + urls.entry_anchor(entity)),
            disputed=entity.fields.get("status") == "disputed",
        )
        for entity in entries
    ]
    counts = ", ".join(counted(len(story.entities[kind]), kind.removesuffix("s")) for kind in LANES)
    label = f"Timeline overview: {counts}" + (f", {_span(story)}" if entries else "")
    return Markup(
        timeline_chart(
            marks,
            [Lane(kind, label) for kind, label in LANES.items()],
            label,
            period_href=lambda year, month: href(TIMELINE + "#" + urls.period_anchor(str(year))),
        )
    )


def _title(story: Story, entity) -> str:
    if entity.kind == "statements":
        speaker = story.get("actors", entity.fields["speaker"]).name
        return (
            f"{entity.dated} · {speaker}: "
            f"{entity.fields['stance'] or story.plain_text(entity.fields['summary']) or entity.fields['quote']}"
        )
    status = f" ({entity.fields['status']})" if entity.fields["status"] else ""
    return f"{entity.dated} · {entity.name}{status}"


def _span(story: Story) -> str:
    dates = [entity.dated for kind in LANES for entity in story.entities[kind].values()]
    first, last = min(dates), max(dates)
    return f"from {first} to {last}" if first != last else f"on {first}"
