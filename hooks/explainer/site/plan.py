"""Which pages the story gets: listings (split by year and month when long), index pages, and
a page per entity. Planning takes a moment; rendering the plans is the work (render.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from markupsafe import Markup

from explainer.content.story import Entity, Story, sort_key
from explainer.site import urls
from explainer.site.languages import Edition, editions


def N_(message: str) -> str:  # noqa: N802  # the name gettext's tools look for
    """Marks `message` for the catalogs; the templates translate it where they print it."""
    return message


# An incident's status in one word, as the timeline and its share card show it.
STATUS_WORDS = {"confirmed": N_("confirmed"), "reported": N_("reported"), "disputed": N_("disputed")}


DETAIL_TEMPLATES = {
    "incidents": "incident.md.j2",
    "statements": "statement.md.j2",
    "actors": "actor.md.j2",
    "glossary": "term.md.j2",
}
INDEX_PAGES = {
    "actors/index.md": "actors_index.md.j2",
    "glossary/index.md": "glossary_index.md.j2",
    "sources.md": "sources.md.j2",
    "corrections.md": "corrections.md.j2",
    "updates.md": "updates.md.j2",
}

# No generated page lists more entries than this. A longer listing becomes a list of years
# with a page each, and a year that is still too long a list of months: a page then stays
# under about 1 MB of HTML (the README's performance table has the largest page), which
# browsers and the search index handle well. In a story with more incidents and statements
# than this, each source also gets a page of what cites it.
PAGE_ENTRIES = 500


@dataclass(frozen=True)
class Listing:
    """An index page of dated entries, split by year and month when it is too long."""

    src_uri: str  # the entry page, in the nav: the whole listing, or its years
    folder: str  # where the parts go: `timeline/` serves 2025 at /timeline/2025/, March at /timeline/2025/03/
    template: str
    title: str  # in English: the templates print it in the page's language
    description: str
    kinds: tuple[str, ...]


TIMELINE = Listing(
    "timeline.md",
    "timeline/",
    "timeline.md.j2",
    N_("Timeline"),
    N_("Every incident and statement, oldest first."),
    ("incidents", "statements"),
)
LISTINGS = (
    TIMELINE,
    Listing(
        "who-said-what.md",
        "who-said-what/",
        "who_said_what.md.j2",
        N_("Who said what"),
        N_("Every statement, by speaker and by incident, with whom each speaker holds responsible."),
        ("incidents", "statements"),
    ),
    # In the kind's own folder an entity could have the id `2025`: the parts get a folder.
    Listing(
        "incidents/index.md",
        "incidents/by-year/",
        "kind_index.md.j2",
        N_("Incidents"),
        N_("Every incident in the story, oldest first."),
        ("incidents",),
    ),
    Listing(
        "statements/index.md",
        "statements/by-year/",
        "kind_index.md.j2",
        N_("Statements"),
        N_("Every statement in the story, oldest first."),
        ("statements",),
    ),
)


# Pages for other sites' iframes (urls.embedded): the timeline's, and a page per entity of
# these kinds. In a long story the timeline's shows what its entry page shows: the years.
EMBED_TIMELINE = "embed_timeline.md.j2"
EMBED_TEMPLATES = {
    "incidents": "embed_incident.md.j2",
    "statements": "embed_statement.md.j2",
}


@dataclass(frozen=True)
class Part:
    """A link from a split listing to the page of one year or month."""

    label: str  # "2025" or "March 2025", in the page's language
    anchor: str  # "y2025" or "y2025-03", the ids the one-page listing gives those headings
    url: str
    counts: dict[str, int]  # entries of each kind in it
    entries: tuple[Entity, ...]


def located(story: Story) -> list[Entity]:
    """The incidents with coordinates, which the map shows."""
    return [incident for incident in story.all("incidents") if incident.coordinates]


def is_long(story: Story) -> bool:
    """Whether the story's listings are split, and its sources get pages of their own."""
    return len(story.entities["incidents"]) + len(story.entities["statements"]) > PAGE_ENTRIES


@dataclass(frozen=True)
class PagePlan:
    """A generated page before it is rendered: its address, and what fills it. Planning the
    pages takes a moment; rendering them is the work (see background.py)."""

    src_uri: str  # `ru/incidents/x.md` in another language than the story's own
    template: str
    source: Path | None = None  # the file the page shows, for "edit this page": a translation's own
    in_nav: bool = False  # in the story's own language; the others' navs are made alike (engine)
    edition: Edition | None = None  # the story in the page's language; None: the story's own
    subject: Entity | None = None  # the entity an entity page is about
    counted: tuple[Entity, ...] = ()  # entries a split listing links to with their count
    context: dict[str, Any] = field(default_factory=dict)


FRONT_PAGE = "index.md"
# Around the hand-written prose of the front page, which gets glossary links as hand-written pages do.
PROSE_MARKS = (
    Markup("<!-- explainer: hand-written prose -->"),
    Markup("<!-- explainer: end of hand-written prose -->"),
)
MAP_PAGE = "map.md"


def plan_site(story: Story, prose: Mapping[str, str] | None = None) -> list[PagePlan]:
    """Every generated page of the story in each of its languages (see plan_edition);
    `prose` is the Markdown of each language's hand-written front page, by language code."""
    return [
        plan
        for edition in editions(story)
        for plan in plan_edition(edition, (prose or {}).get(edition.language.code, ""))
    ]


def plan_edition(edition: Edition, prose: str = "") -> list[PagePlan]:
    """Every generated page of the story in one language: the front page (with `prose`, the
    Markdown of a hand-written index.md, under its lede), listings, index pages, the map when
    incidents have coordinates, a page per entity (sources get one only in a long story),
    and the embeds."""
    story, language = edition.story, edition.language
    prefix = language.prefix
    plans = [
        PagePlan(FRONT_PAGE, "front.md.j2", in_nav=True, subject=story.about, context={"prose": Markup(prose)}),
        *(plan for listing in LISTINGS for plan in _listing(story, listing, language.code)),
    ]
    if located(story):
        plans.append(PagePlan(MAP_PAGE, "map.md.j2", in_nav=True))
    plans += [PagePlan(src_uri, template, in_nav=True) for src_uri, template in INDEX_PAGES.items()]
    for kind, template in DETAIL_TEMPLATES.items():
        plans += [PagePlan(urls.src_uri(kind, entity.id), template, subject=entity) for entity in story.all(kind)]
    if is_long(story):
        plans += [
            PagePlan(urls.src_uri("sources", source.id), "source.md.j2", subject=source)
            for source in story.all("sources")
        ]
    plans += _embeds(story, next(plan for plan in plans if plan.src_uri == TIMELINE.src_uri))
    return [
        replace(
            plan,
            src_uri=prefix + plan.src_uri,
            source=source_of(plan.subject),
            in_nav=plan.in_nav and language.original,
            edition=edition,
        )
        for plan in plans
    ]


def _embeds(story: Story, timeline: PagePlan) -> list[PagePlan]:
    """The embeds of the timeline (whose entry page is `timeline`) and of each entity of EMBED_TEMPLATES' kinds."""
    plans = [replace(timeline, src_uri=urls.embedded(timeline.src_uri), template=EMBED_TIMELINE, in_nav=False)]
    for kind, template in EMBED_TEMPLATES.items():
        plans += [
            PagePlan(urls.embedded(urls.src_uri(kind, entity.id)), template, subject=entity)
            for entity in story.all(kind)
        ]
    return plans


def source_of(subject: Entity | None) -> Path | None:
    """The file a page shows: its entity's translation where it has one, else the entity's."""
    if subject is None:
        return None
    return subject.translation.path if subject.translation else subject.path


def _listing(story: Story, listing: Listing, language: str) -> list[PagePlan]:
    """The pages of a listing: one, or the entry page, a page per year and, for a year too
    long for one page, a page per month."""
    entries = sorted((entity for kind in listing.kinds for entity in story.entities[kind].values()), key=sort_key)
    if len(entries) <= PAGE_ENTRIES:
        return [_listing_page(listing, listing.src_uri, "", entries, [], in_nav=True)]
    years: dict[int, list[Entity]] = {}
    for entity in entries:
        years.setdefault(entity.dated.year, []).append(entity)
    parts = [_part(listing, str(year), str(year), items) for year, items in years.items()]
    plans = [_listing_page(listing, listing.src_uri, "", [], parts, in_nav=True)]
    for year, items in years.items():
        plans += _year(listing, year, items, language)
    return plans


def _year(listing: Listing, year: int, entries: list[Entity], language: str) -> list[PagePlan]:
    """A year's page, or if it is too long, a page per month and the year's page with the
    entries known only to the year."""
    if len(entries) <= PAGE_ENTRIES:
        return [_listing_page(listing, f"{listing.folder}{year}.md", str(year), entries, [])]
    months: dict[int, list[Entity]] = {}
    for entity in entries:
        months.setdefault(entity.dated.month, []).append(entity)
    vague = months.pop(0, [])
    parts = [
        _part(listing, items[0].dated.month_heading(language), f"{year}-{month:02d}", items)
        for month, items in months.items()
    ]
    plans = [_listing_page(listing, f"{listing.folder}{year}.md", str(year), vague, parts)]
    for month, items in months.items():
        plans.append(
            _listing_page(
                listing, f"{listing.folder}{year}/{month:02d}.md", items[0].dated.month_heading(language), items, []
            )
        )
    return plans


def _listing_page(
    listing: Listing, src_uri: str, period: str, entries: list[Entity], parts: list[Part], in_nav: bool = False
) -> PagePlan:
    """A page of `listing`: the whole of it, or of one `period` ("2025", "March 2025")."""
    counted = tuple(entity for part in parts for entity in part.entries)  # each part's link gives their count
    context = {
        "title": listing.title,
        "period": period,
        "description": listing.description,
        "entries": entries,
        "parts": parts,
        "part": not in_nav,
    }
    return PagePlan(src_uri, listing.template, None, in_nav, counted=counted, context=context)


def _part(listing: Listing, label: str, period: str, entries: list[Entity]) -> Part:
    """The link to the page of `period` ("2025" or "2025-03"), which `entries` fill."""
    counts = {kind: sum(entity.kind == kind for entity in entries) for kind in listing.kinds}
    return Part(
        label, urls.period_anchor(period), f"{listing.folder}{period.replace('-', '/')}/", counts, tuple(entries)
    )
