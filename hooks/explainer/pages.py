"""Render a story into Markdown pages: Jinja2 templates around HTML fragments we escape.

Every value printed by a template passes through `inline.escape`, so text from YAML can
neither become HTML nor Markdown nor extension syntax in the page it lands on. Templates
hold the markup; this module decides what goes on which page.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import inline
from .dates import range_labels
from .glossary import ends_quoted
from .story import Entity, Story, sort_key

DETAIL_TEMPLATES = {"incidents": "incident.md.j2", "statements": "statement.md.j2", "actors": "actor.md.j2", "glossary": "term.md.j2"}
INDEX_PAGES = {
    "timeline.md": "timeline.md.j2",
    "who-said-what.md": "who_said_what.md.j2",
    "incidents/index.md": "incidents_index.md.j2",
    "statements/index.md": "statements_index.md.j2",
    "actors/index.md": "actors_index.md.j2",
    "glossary/index.md": "glossary_index.md.j2",
    "sources.md": "sources.md.j2",
}


@dataclass(frozen=True)
class RenderedPage:
    src_uri: str  # where MkDocs should think the Markdown file is, e.g. `incidents/x.md`
    markdown: str
    source: Path | None  # the YAML file the page shows, for "edit this page"


def render_site(story: Story) -> list[RenderedPage]:
    """Every generated page of the story: one per entity but sources, and the index pages."""
    pages = [render_index(story, src_uri) for src_uri in INDEX_PAGES]
    for kind in DETAIL_TEMPLATES:
        pages += [render_entity(story, entity) for entity in story.all(kind)]
    return pages


def render_entity(story: Story, entity: Entity) -> RenderedPage:
    view = PageView(story, entity.url, subject=entity)
    markdown = _template(DETAIL_TEMPLATES[entity.kind]).render(page=view, entity=entity, story=story)
    return RenderedPage(entity.src_uri, markdown, entity.path)


def render_index(story: Story, src_uri: str) -> RenderedPage:
    url = posixpath.dirname(src_uri) + "/" if src_uri.endswith("/index.md") else src_uri.removesuffix(".md") + "/"
    view = PageView(story, url)
    return RenderedPage(src_uri, _template(INDEX_PAGES[src_uri]).render(page=view, story=story), None)


class PageView:
    """What a template needs to know about the page it renders: links relative to it, and
    which glossary terms it has linked already (the first mention of each gets the link)."""

    def __init__(self, story: Story, url: str, subject: Entity | None = None):
        self.story = story
        self.url = url
        self.subject = subject
        self._linked_terms: set[Entity] = set()
        self._quoted = False  # inside a quotation, while rendering one text field

    def href(self, url: str) -> str:
        """`url` (site-relative, like `actors/x/` or `sources/#y`) relative to this page.

        Both are folders ending in "/", so folder names are compared rather than asking
        posixpath.relpath, which looks up the working directory on every one of the
        hundreds of thousands of links in a large site."""
        path, hash_, fragment = url.partition("#")
        here, there = self.url.split("/")[:-1], path.split("/")[:-1]
        shared = 0
        while shared < min(len(here), len(there)) and here[shared] == there[shared]:
            shared += 1
        relative = "../" * (len(here) - shared) + "".join(folder + "/" for folder in there[shared:])
        return relative + hash_ + fragment if relative or hash_ else "./"

    def link(self, entity: Entity, label: str | None = None) -> Markup:
        url = f"sources/#{entity.id}" if entity.kind == "sources" else entity.url
        return Markup(f'<a href="{inline.escape(self.href(url))}">{inline.escape(label or entity.name)}</a>')

    def text(self, text: inline.RichText | None) -> Markup:
        """A text field as HTML, with references linked and glossary terms explained."""
        if text is None:
            return Markup("")
        self._quoted = False
        return Markup(inline.render(text, self._terms_linked, self._reference))

    def plain(self, text: inline.RichText | None) -> str:
        return "" if text is None else inline.plain_text(text, self._name_of)

    def entities(self, kind: str, ids: list[str]) -> list[Entity]:
        return sorted((self.story.get(kind, id) for id in ids), key=sort_key)

    def _reference(self, ref: inline.Ref) -> str:
        return self.link(self.story.get(ref.kind, ref.id), ref.label)

    def _name_of(self, ref: inline.Ref) -> str:
        return self.story.get(ref.kind, ref.id).name

    def _terms_linked(self, text: str) -> str:
        html, position = [], 0
        mentions = list(self.story.terms.find(text, self._quoted))
        self._quoted = ends_quoted(text, self._quoted)
        for start, end, term in mentions:
            if term is self.subject or term in self._linked_terms:
                continue
            self._linked_terms.add(term)
            html.append(inline.escape(text[position:start]))
            definition = self.plain(term.fields["definition"])
            html.append(f'<a class="explainer-term" href="{inline.escape(self.href(term.url))}" title="{inline.escape(definition)}">{inline.escape(text[start:end])}</a>')
            position = end
        html.append(inline.escape(text[position:]))
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


def timeline(story: Story) -> list[Year]:
    """Incidents and statements by year and month, oldest first, vaguer dates first."""
    years: dict[int, Year] = {}
    for entity in sorted(story.all("incidents") + story.all("statements"), key=sort_key):
        date = entity.date
        year = years.setdefault(date.year, Year(date.year, [], []))
        if not date.month:
            year.items.append(entity)
            continue
        if not year.months or year.months[-1].anchor != date.iso()[:7]:
            year.months.append(Month(date.month_heading(), date.iso()[:7], []))
        year.months[-1].items.append(entity)
    return list(years.values())


def _finalize(value: Any) -> Any:
    """Escape every printed value for Markdown and HTML at once; fragments we built pass."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return Markup(inline.escape(str(value)))


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("explainer", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals.update(timeline=timeline, range_labels=range_labels)
    return environment


def _template(name: str) -> jinja2.Template:
    return _environment().get_template(name)
