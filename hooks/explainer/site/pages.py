"""Render a story into Markdown pages: Jinja2 templates around HTML fragments we escape.

Every value printed by a template passes through `inline.escape`, so text from YAML can
neither become HTML nor Markdown nor extension syntax in the page it lands on. Templates
hold the markup; this module decides what goes on which page.
"""

from __future__ import annotations

import contextvars
import functools
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from explainer.content import rich_text as inline
from explainer.content.dates import PartialDate, range_labels
from explainer.content.history import last_changed
from explainer.content.term_finder import ends_quoted
from explainer.site.ledger import ledger
from explainer.content.model import KINDS
from explainer.content.story import Entity, Story, sort_key

DETAIL_TEMPLATES = {"incidents": "incident.md.j2", "statements": "statement.md.j2", "actors": "actor.md.j2", "glossary": "term.md.j2"}
INDEX_PAGES = {
    "actors/index.md": "actors_index.md.j2",
    "glossary/index.md": "glossary_index.md.j2",
    "sources.md": "sources.md.j2",
    "corrections.md": "corrections.md.j2",
}

# No generated page lists more entries than this. A longer listing becomes a list of years
# with a page each, and a year that is still too long a list of months: a page then stays
# under about 1 MB of HTML (who said what, the densest, takes some 1.4 KB an entry), which
# browsers and the search index handle well. In a story with more incidents and statements
# than this, each source also gets a page of what cites it.
PAGE_ENTRIES = 500


@dataclass(frozen=True)
class Listing:
    """An index page of dated entries, split by year and month when it is too long."""

    src_uri: str  # the entry page, in the nav: the whole listing, or its years
    folder: str  # where the parts go: `timeline/` serves 2025 at /timeline/2025/, March at /timeline/2025/03/
    template: str
    title: str
    description: str
    kinds: tuple[str, ...]


LISTINGS = (
    Listing("timeline.md", "timeline/", "timeline.md.j2", "Timeline", "Every incident and statement, oldest first.", ("incidents", "statements")),
    Listing("who-said-what.md", "who-said-what/", "who_said_what.md.j2", "Who said what",
            "Every statement, by speaker and by incident, with whom each speaker holds responsible.", ("incidents", "statements")),
    # In the kind's own folder an entity could have the id `2025`: the parts get a folder.
    Listing("incidents/index.md", "incidents/by-year/", "kind_index.md.j2", "Incidents", "Every incident in the story, oldest first.", ("incidents",)),
    Listing("statements/index.md", "statements/by-year/", "kind_index.md.j2", "Statements", "Every statement in the story, oldest first.", ("statements",)),
)


@dataclass(frozen=True)
class RenderedPage:
    src_uri: str  # where MkDocs should think the Markdown file is, e.g. `incidents/x.md`
    markdown: str
    source: Path | None  # the YAML file the page shows, for "edit this page"
    in_nav: bool = False  # index pages are in mkdocs.yml's nav; the thousands of others stay out
    # (kind, id) of every entity the page shows something of: the page changes only when
    # one of them does, or when an entity comes or goes (see dependents).
    shows: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Part:
    """A link from a split listing to the page of one year or month."""

    label: str  # "2025" or "March 2025"
    anchor: str  # "y2025" or "y2025-03", the ids the one-page listing gives those headings
    url: str
    counts: dict[str, int]  # entries of each kind in it
    entries: tuple[Entity, ...]


def is_long(story: Story) -> bool:
    return len(story.entities["incidents"]) + len(story.entities["statements"]) > PAGE_ENTRIES


@dataclass(frozen=True)
class PagePlan:
    """A generated page before it is rendered: its address, and what fills it. Planning the
    pages takes a moment; rendering them is the work (see background.py)."""

    src_uri: str
    template: str
    source: Path | None = None
    in_nav: bool = False
    subject: Entity | None = None  # the entity an entity page is about
    counted: tuple[Entity, ...] = ()  # entries a split listing links to with their count
    context: dict[str, Any] = field(default_factory=dict)


def render_site(story: Story, noting: bool = False) -> list[RenderedPage]:
    """Every generated page of the story, rendered (see plan_site and Renderer)."""
    renderer = Renderer(story, noting)
    return [renderer.render(plan) for plan in plan_site(story)]


def plan_site(story: Story) -> list[PagePlan]:
    """Every generated page of the story: listings, index pages and a page per entity
    (sources get one only in a long story)."""
    plans = [plan for listing in LISTINGS for plan in _listing(story, listing)]
    plans += [PagePlan(src_uri, template, in_nav=True) for src_uri, template in INDEX_PAGES.items()]
    for kind, template in DETAIL_TEMPLATES.items():
        plans += [PagePlan(entity.src_uri, template, entity.path, subject=entity) for entity in story.all(kind)]
    if is_long(story):
        plans += [PagePlan(source.src_uri, "source.md.j2", source.path, subject=source) for source in story.all("sources")]
    return plans


def _listing(story: Story, listing: Listing) -> list[PagePlan]:
    """The pages of a listing: one, or the entry page, a page per year and, for a year too
    long for one page, a page per month."""
    entries = sorted((entity for kind in listing.kinds for entity in story.entities[kind].values()), key=sort_key)
    if len(entries) <= PAGE_ENTRIES:
        return [_listing_page(listing, listing.src_uri, listing.title, entries, [], in_nav=True)]
    years: dict[int, list[Entity]] = {}
    for entity in entries:
        years.setdefault(entity.date.year, []).append(entity)
    parts = [_part(listing, str(year), str(year), items) for year, items in years.items()]
    plans = [_listing_page(listing, listing.src_uri, listing.title, [], parts, in_nav=True)]
    for year, items in years.items():
        plans += _year(listing, year, items)
    return plans


def _year(listing: Listing, year: int, entries: list[Entity]) -> list[PagePlan]:
    """A year's page, or if it is too long, a page per month and the year's page with the
    entries known only to the year."""
    title = f"{listing.title}: {year}"
    if len(entries) <= PAGE_ENTRIES:
        return [_listing_page(listing, f"{listing.folder}{year}.md", title, entries, [])]
    months: dict[int, list[Entity]] = {}
    for entity in entries:
        months.setdefault(entity.date.month, []).append(entity)
    vague = months.pop(0, [])
    parts = [_part(listing, items[0].date.month_heading(), f"{year}-{month:02d}", items) for month, items in months.items()]
    plans = [_listing_page(listing, f"{listing.folder}{year}.md", title, vague, parts)]
    for month, items in months.items():
        plans.append(_listing_page(listing, f"{listing.folder}{year}/{month:02d}.md", f"{listing.title}: {items[0].date.month_heading()}", items, []))
    return plans


def _listing_page(listing: Listing, src_uri: str, title: str, entries: list[Entity], parts: list[Part], in_nav: bool = False) -> PagePlan:
    counted = tuple(entity for part in parts for entity in part.entries)  # each part's link gives their count
    context = {"title": title, "description": listing.description, "entries": entries, "parts": parts, "part": not in_nav}
    return PagePlan(src_uri, listing.template, None, in_nav, counted=counted, context=context)


class Renderer:
    """Renders the pages of one story, sharing between them the fragments that do not
    depend on the page they are on (see PageView.once). With `noting`, each page also says
    which entities it shows (RenderedPage.shows), for a preview that rebuilds only what an
    edit changes; rendering then takes some 15% longer."""

    def __init__(self, story: Story, noting: bool = False):
        self.story = story
        self.noting = noting
        self.fragments: dict[tuple[Any, ...], Markup] = {}
        self.changed = last_changed(story.folder)  # when each YAML file was last committed

    def render(self, plan: PagePlan) -> RenderedPage:
        """Render the plan's template, noting the entities whose data it reads."""
        context = dict(plan.context)
        if plan.subject is not None:
            context.update(entity=plan.subject, changed=self.changed.get(plan.subject.path.relative_to(self.story.folder).as_posix()))
        view = PageView(self.story, _url(plan.src_uri), plan.subject, self.fragments)
        view.shown.update(plan.counted)
        reading = _reading.set(view.shown)
        try:
            markdown = _template(plan.template, self.noting).render(page=view, story=self.story, **context)
        finally:
            _reading.reset(reading)
        shows = frozenset(key for entity in view.shown for key in _keys(entity)) if self.noting else frozenset()
        return RenderedPage(plan.src_uri, markdown, plan.source, plan.in_nav, shows)


def _keys(entity: Entity) -> tuple[tuple[str, str], ...]:
    """What showing `entity` shows: it, and for a statement its speaker, whose name is part of
    the statement's ("Anna Berg, 21 March 2024")."""
    if entity.kind == "statements":
        return (entity.kind, entity.id), ("actors", entity.fields["speaker"])
    return ((entity.kind, entity.id),)


def dependents(pages: list[RenderedPage]) -> dict[tuple[str, str], set[str]]:
    """For each entity (kind, id), the src_uri of every page that shows something of it."""
    found: dict[tuple[str, str], set[str]] = {}
    for page in pages:
        for key in page.shows:
            found.setdefault(key, set()).add(page.src_uri)
    return found


def rerender(story: Story, before: Story, previous: list[RenderedPage]) -> list[RenderedPage]:
    """The pages of `story`, noting what each shows, where `previous` are the pages of the
    story `before` an edit, rendered with notes. Only the pages the edit may change are
    rendered again: those that showed an edited entity, the pages of the entities it names
    now (each lists what names it), the listing pages it is now in, and the index pages.
    When an entity came or went, or a glossary term's words changed (any text may now
    mention it), every page is rendered."""
    plans = plan_site(story)
    renderer = Renderer(story, noting=True)
    old = {page.src_uri: page for page in previous}
    edited = _edited(before, story)
    if edited is None or old.keys() != {plan.src_uri for plan in plans}:
        return [renderer.render(plan) for plan in plans]
    shown = dependents(previous)
    stale = set(INDEX_PAGES)
    for entity in edited:
        stale |= shown.get((entity.kind, entity.id), set())
        named = {(reference.kind, reference.id) for reference in entity.references}
        named |= {(term.kind, term.id) for text in entity.rich_texts() for term in story.terms.terms_in(text)}
        stale |= {f"{kind}/{id}.md" for kind, id in named}
    for plan in plans:
        if not edited.isdisjoint((*plan.context.get("entries", ()), *plan.counted)):
            stale.add(plan.src_uri)
    return [renderer.render(plan) if plan.src_uri in stale else old[plan.src_uri] for plan in plans]


def _edited(before: Story, after: Story) -> set[Entity] | None:
    """The entities of `after` whose data differ from `before`; None if an entity came or
    went, or a glossary term's words changed."""
    edited = set()
    for kind in KINDS:
        if before.entities[kind].keys() != after.entities[kind].keys():
            return None
        for id, entity in after.entities[kind].items():
            old = before.entities[kind][id]
            if old.fields == entity.fields and old.name == entity.name:
                continue
            if kind == "glossary" and (old.fields["term"], old.fields["aliases"]) != (entity.fields["term"], entity.fields["aliases"]):
                return None
            edited.add(entity)
    return edited


def _part(listing: Listing, label: str, period: str, entries: list[Entity]) -> Part:
    """The link to the page of `period` ("2025" or "2025-03"), which `entries` fill."""
    counts = {kind: sum(entity.kind == kind for entity in entries) for kind in listing.kinds}
    return Part(label, f"y{period}", f"{listing.folder}{period.replace('-', '/')}/", counts, tuple(entries))



def _url(src_uri: str) -> str:
    """Where MkDocs serves a Markdown file: `a/index.md` and `a.md` at `a/`."""
    return posixpath.dirname(src_uri) + "/" if src_uri.endswith("/index.md") else src_uri.removesuffix(".md") + "/"


class PageView:
    """What a template needs to know about the page it renders: links relative to it, and
    which glossary terms it has linked already (the first mention of each gets the link)."""

    def __init__(self, story: Story, url: str, subject: Entity | None = None, fragments: dict[tuple[Any, ...], Markup] | None = None):
        self.story = story
        self.url = url
        self.subject = subject
        self.long_story = is_long(story)
        self._fragments = {} if fragments is None else fragments
        self._up = "../" * url.count("/")  # from this page to the root of the site
        self._top = url[: url.find("/") + 1] or "/"  # `incidents/` for `incidents/x/`; "/" never starts a link
        self.shown: set[Entity] = {subject} if subject else set()  # see RenderedPage.shows
        self._linked_terms: set[Entity] = set()
        self._quoted = False  # inside a quotation, while rendering one text field

    def href(self, url: str) -> str:
        """`url` (site-relative, like `actors/x/` or `sources/#y`) relative to this page.

        Both are folders ending in "/", so folder names are compared rather than asking
        posixpath.relpath, which looks up the working directory on every one of the
        hundreds of thousands of links in a large site."""
        path, hash_, fragment = url.partition("#")
        if path and not path.startswith(self._top):  # most links leave the page's top folder: up to the root
            return self._up + path + hash_ + fragment
        here, there = self.url.split("/")[:-1], path.split("/")[:-1]
        shared = 0
        while shared < min(len(here), len(there)) and here[shared] == there[shared]:
            shared += 1
        relative = "../" * (len(here) - shared) + "".join(folder + "/" for folder in there[shared:])
        return relative + hash_ + fragment if relative or hash_ else "./"

    def link(self, entity: Entity, label: str | None = None) -> Markup:
        self.shown.add(entity)
        url = f"sources/#{entity.id}" if entity.kind == "sources" else entity.url
        return Markup(f'<a href="{inline.escape(self.href(url))}">{inline.escape(label or entity.name)}</a>')

    def once(self, macro: jinja2.runtime.Macro, *arguments: Any) -> Markup:
        """`macro(*arguments)`, rendered once for every page of the site that shows it. Only
        for fragments that do not depend on the page: no relative link made inside the
        macro, no glossary term linked (the first mention on each page gets the link)."""
        key = (macro.name, *arguments)
        self.shown.update(argument for argument in arguments if isinstance(argument, Entity))
        if key not in self._fragments:
            self._fragments[key] = macro(*arguments)
        return self._fragments[key]

    def citations(self, source: Entity) -> str:
        """Where what cites `source` is listed: its own page in a long story, else its entry."""
        return source.url if self.long_story else f"sources/#{source.id}"

    def text(self, text: inline.RichText | None) -> Markup:
        """A text field as HTML, with references linked and glossary terms explained."""
        if text is None:
            return Markup("")
        self._quoted = False
        return Markup(inline.render(text, self._terms_linked, self._reference))

    def prose(self, html: str, quoted: bool) -> str:
        """A run of text from a hand-written page's HTML, with the first mention on the page
        of each glossary term linked and the rest left as written; `quoted` says whether it
        starts inside a quotation."""
        self._quoted = quoted
        return self._terms_linked(html, keep=str)

    def plain(self, text: inline.RichText | None) -> str:
        return "" if text is None else inline.plain_text(text, self._name_of)

    def entities(self, kind: str, ids: list[str]) -> list[Entity]:
        return sorted((self.story.get(kind, id) for id in ids), key=sort_key)

    def _reference(self, ref: inline.Ref) -> str:
        return self.link(self.story.get(ref.kind, ref.id), ref.label)

    def _name_of(self, ref: inline.Ref) -> str:
        entity = self.story.get(ref.kind, ref.id)
        self.shown.add(entity)
        return entity.name

    def _terms_linked(self, text: str, keep: Callable[[str], str] = inline.escape) -> str:
        """`text` with the first mention on the page of each glossary term linked; `keep`
        makes HTML of the words themselves."""
        html, position = [], 0
        mentions = list(self.story.terms.find(text, self._quoted))
        self._quoted = ends_quoted(text, self._quoted)
        for start, end, term in mentions:
            if term is self.subject or term in self._linked_terms:
                continue
            self._linked_terms.add(term)
            self.shown.add(term)  # its definition is the link's title
            html.append(keep(text[position:start]))
            definition = self.plain(term.fields["definition"])
            html.append(f'<a class="explainer-term" href="{inline.escape(self.href(term.url))}" title="{inline.escape(definition)}">{keep(text[start:end])}</a>')
            position = end
        html.append(keep(text[position:]))
        return "".join(html)


@dataclass
class Month:
    heading: str
    anchor: str
    items: list[Entity]


@dataclass
class Year:
    year: int
    items: list[Entity]  # known only to the year
    months: list[Month]


def timeline(entries: list[Entity]) -> list[Year]:
    """Dated entries (in reading order) by year and month, vaguer dates first in each."""
    years: dict[int, Year] = {}
    for entity in entries:
        date = entity.date
        year = years.setdefault(date.year, Year(date.year, [], []))
        if not date.month:
            year.items.append(entity)
            continue
        if not year.months or year.months[-1].anchor != date.iso()[:7]:
            year.months.append(Month(date.month_heading(), date.iso()[:7], []))
        year.months[-1].items.append(entity)
    return list(years.values())


def involved(entity: Entity) -> list[str]:
    """The actors an incident or statement concerns, for the timeline's filter: an
    incident's actors; a statement's speaker and those it holds responsible."""
    fields = entity.fields
    ids = (fields["actors"] or []) if entity.kind == "incidents" else [fields["speaker"], *(fields["attributes_to"] or [])]
    return list(dict.fromkeys(ids))


def involved_in(entries: list[Entity], story: Story) -> list[Entity]:
    """Every actor that some of `entries` concern, by name."""
    ids = {id for entity in entries for id in involved(entity)}
    return sorted((story.get("actors", id) for id in ids), key=lambda actor: (actor.name.casefold(), actor.id))


@dataclass(frozen=True)
class Correction:
    date: PartialDate
    text: str
    entity: Entity


def corrections(story: Story) -> list[Correction]:
    """Every correction in the story, newest first."""
    corrected = sorted((entity for kind in KINDS for entity in story.entities[kind].values() if entity.fields["corrections"]), key=sort_key)
    found = [Correction(item["date"], item["text"], entity) for entity in corrected for item in entity.fields["corrections"]]
    return sorted(found, key=lambda correction: correction.date, reverse=True)


@dataclass
class WhoSaidWhat:
    incidents: list[tuple[Entity, list[Entity]]]  # each incident with the claims about it
    speakers: list[tuple[Entity, list[Entity]]]  # each speaker with their statements
    sources: list[Entity]


def who_said_what(entries: list[Entity], story: Story) -> WhoSaidWhat:
    """The claims about the incidents among `entries`, and the statements among them by
    speaker (speakers by name), with the sources of every statement shown."""
    incidents = [(entity, story.referrers(entity, "statements", "about")) for entity in entries if entity.kind == "incidents"]
    said: dict[str, list[Entity]] = {}
    for entity in entries:
        if entity.kind == "statements":
            said.setdefault(entity.fields["speaker"], []).append(entity)
    speakers = sorted((story.get("actors", id) for id in said), key=lambda actor: (actor.name.casefold(), actor.id))
    shown = [statement for _, claims in incidents for statement in claims] + [statement for statements in said.values() for statement in statements]
    return WhoSaidWhat([(incident, claims) for incident, claims in incidents if claims], [(speaker, said[speaker.id]) for speaker in speakers], story.sources_of(shown))


def _finalize(value: Any) -> Any:
    """Escape every printed value for Markdown and HTML at once; fragments we built pass."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return Markup(inline.escape(str(value)))


# The entities the page being rendered has read (PageView.shown), for _NotingEnvironment.
_reading: contextvars.ContextVar[set[Entity]] = contextvars.ContextVar("reading")


class _NotingEnvironment(jinja2.Environment):
    """Notes each entity whose attribute a template reads, for RenderedPage.shows. A call
    more on each of a million attribute reads: only when asked for."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if obj.__class__ is Entity:
            _reading.get().add(obj)
        return super().getattr(obj, attribute)


@functools.cache
def _environment(noting: bool) -> jinja2.Environment:
    environment = (_NotingEnvironment if noting else jinja2.Environment)(
        loader=jinja2.PackageLoader("explainer.site", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Front matter is YAML: characters past U+FFFF must stay themselves, not JSON's
    # surrogate-pair escapes, which YAML cannot read.
    environment.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
    environment.globals.update(timeline=timeline, who_said_what=who_said_what, range_labels=range_labels, ledger=ledger,
                               involved=involved, involved_in=involved_in, corrections=corrections)
    return environment


def _template(name: str, noting: bool = False) -> jinja2.Template:
    return _environment(noting).get_template(name)
