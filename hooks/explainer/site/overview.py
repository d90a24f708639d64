"""The timeline overview of a story: its incidents and statements as marks along a time axis
(timeline_chart draws them), for the front page and the top of /timeline/, in the page's
language and direction."""

from __future__ import annotations

import datetime
import gettext
from collections.abc import Callable

from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup

from explainer.content.dates import PartialDate, date_locale
from explainer.content.story import Entity, Story
from explainer.site import urls
from explainer.site.languages import Language
from explainer.site.plan import STATUS_WORDS
from explainer.site.timeline_chart import Lane, Legend, Mark, timeline_chart

TIMELINE = "timeline/"


def overview(story: Story, href: Callable[[str], str], words: gettext.NullTranslations, language: Language) -> Markup:
    """The chart, linking each mark to its entry on the timeline; `href` makes a site-relative
    address relative to the page the chart is on. A long story's timeline is split by year,
    so its marks (drawn as a histogram) lead to the year."""
    entries = story.all("incidents") + story.all("statements")
    marks = [
        Mark(
            entity.dated,
            entity.fields.get("end_date"),
            entity.kind,
            _title(story, entity, words, language),
            href(TIMELINE + "#" + urls.entry_anchor(entity)),
            disputed=entity.fields.get("status") == "disputed",
        )
        for entity in entries
    ]
    lanes = {"incidents": words.gettext("Incidents"), "statements": words.gettext("Statements")}
    number = len(story.entities["incidents"]), len(story.entities["statements"])
    counts = words.ngettext("%(num)s incident", "%(num)s incidents", number[0]) % {"num": _number(number[0], language)}
    counts += ", " + words.ngettext("%(num)s statement", "%(num)s statements", number[1]) % {
        "num": _number(number[1], language)
    }
    label = words.gettext("Timeline overview: %(counts)s") % {"counts": counts}
    if entries:
        label += ", " + _span(story, words, language)
    legend = Legend(
        day=words.gettext("Date known to the day"),
        month=words.gettext("Known to the month"),
        year=words.gettext("Known only to the year"),
        span=words.gettext("From one date to another"),
        disputed=words.gettext("Disputed"),
        per_month=words.gettext("Entries per month"),
        per_year=words.gettext("Entries known only to the year"),
    )

    def month_label(year: int, month: int) -> str:
        return format_date(datetime.date(year, month, 1), "LLL", locale=date_locale(language.code))

    def count_label(lane: str, year: int, month: int, count: int) -> str:
        period = (
            PartialDate(year, month).label(language.code)
            if month
            else (words.gettext("%(year)s (month not known)") % {"year": year})
        )
        return f"{lane}, {period}: {_number(count, language)}"

    return Markup(
        timeline_chart(
            marks,
            [Lane(kind, lane) for kind, lane in lanes.items()],
            label,
            month_label=month_label,
            legend=legend,
            rtl=language.direction == "rtl",
            period_href=lambda year, month: href(TIMELINE + "#" + urls.period_anchor(str(year))),
            count_label=count_label,
        )
    )


def _number(number: int, language: Language) -> str:
    return format_decimal(number, locale=language.locale)


def _title(story: Story, entity: Entity, words: gettext.NullTranslations, language: Language) -> str:
    when = entity.dated.label(language.code)
    if entity.kind == "statements":
        speaker = story.get("actors", entity.fields["speaker"]).name
        said = entity.fields["stance"] or story.plain_text(entity.fields["summary"]) or entity.fields["quote"]
        return f"{when} · {speaker}: {said}"
    status = entity.fields["status"]
    return f"{when} · {entity.name}" + (f" ({words.gettext(STATUS_WORDS[status])})" if status else "")


def _span(story: Story, words: gettext.NullTranslations, language: Language) -> str:
    dates = [entity.dated for kind in ("incidents", "statements") for entity in story.entities[kind].values()]
    first, last = min(dates), max(dates)
    if first == last:
        return words.gettext("on %(date)s") % {"date": first.label(language.code)}
    return words.gettext("from %(first)s to %(last)s") % {
        "first": first.label(language.code),
        "last": last.label(language.code),
    }
