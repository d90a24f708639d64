"""Render the planned pages into Markdown: Jinja2 templates around HTML fragments we escape.

Every value printed by a template passes through `rich_text.escape`, so text from YAML can
neither become HTML nor Markdown nor extension syntax in the page it lands on. Templates
hold the markup; plan.py decides what goes on which page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from explainer.content import rich_text
from explainer.content.dates import range_labels
from explainer.content.history import last_changed
from explainer.content.model import KINDS
from explainer.content.story import Entity, Story
from explainer.site import urls
from explainer.site.ledger import ledger
from explainer.site.listings import (
    corrections,
    counted,
    disputes,
    involved,
    involved_in,
    pictured,
    places_of,
    timeline,
    who_said_what,
)
from explainer.site.pictures import SIZES, Picture
from explainer.site.plan import FRONT_PAGE, INDEX_PAGES, MAP_PAGE, PROSE_MARKS, PagePlan, located, plan_site
from explainer.site.views import PageView


@dataclass(frozen=True)
class PageInputs:
    """What the pages need besides the story: the Markdown of a hand-written front page
    (shown under the lede) and the pictures made for this build, by their `file`."""

    prose: str = ""
    pictures: Mapping[str, Picture] = field(default_factory=dict)


@dataclass(frozen=True)
class RenderedPage:
    src_uri: str  # where MkDocs should think the Markdown file is, e.g. `incidents/x.md`
    markdown: str
    source: Path | None  # the YAML file the page shows, for "edit this page"
    in_nav: bool = False  # index pages are in mkdocs.yml's nav; the thousands of others stay out
    # (kind, id) of every entity the page shows something of: the page changes only when
    # one of them does, or when an entity comes or goes (see dependents).
    shows: frozenset[tuple[str, str]] = frozenset()


def render_site(story: Story, noting: bool = False, inputs: PageInputs = PageInputs()) -> list[RenderedPage]:
    """Every generated page of the story, rendered (see plan_site and Renderer)."""
    renderer = Renderer(story, noting, inputs)
    return [renderer.render(plan) for plan in plan_site(story, inputs.prose)]


class Renderer:
    """Renders the pages of one story, sharing between them the fragments that do not
    depend on the page they are on (see PageView.once). With `noting`, each page also says
    which entities it shows (RenderedPage.shows), for a preview that rebuilds only what an
    edit changes, which makes rendering slower."""

    def __init__(self, story: Story, noting: bool = False, inputs: PageInputs = PageInputs()):
        self.story = story
        self.noting = noting
        self.pictures = inputs.pictures
        self.fragments: dict[tuple[Any, ...], Markup] = {}
        self.environment = _environment(noting)
        self.changed = last_changed(story.folder)  # when each YAML file was last committed
        self.updated = max(self.changed.values(), default=None)  # the story's last change, story.yml's default

    def render(self, plan: PagePlan) -> RenderedPage:
        """Render the plan's template, noting the entities whose data it reads."""
        context = dict(plan.context)
        if plan.subject is not None:
            context.update(
                entity=plan.subject,
                changed=self.changed.get(plan.subject.path.relative_to(self.story.folder).as_posix()),
            )
        view = PageView(self.story, urls.url_of(plan.src_uri), plan.subject, self.fragments, self.pictures)
        view.shown.update(plan.counted)
        if isinstance(self.environment, _NotingEnvironment):
            self.environment.reading = view.shown
        template = self.environment.get_template(plan.template)
        markdown = template.render(page=view, story=self.story, story_updated=self.updated, **context)
        shows = frozenset(key for entity in view.shown for key in _keys(entity)) if self.noting else frozenset()
        return RenderedPage(plan.src_uri, markdown, plan.source, plan.in_nav, shows)


def render_credits(story: Story, url: str) -> str:
    """The Markdown of the picture credits that the About page (hand-written, at `url`) ends with."""
    view = PageView(story, url)
    return _environment(noting=False).get_template("credits.md.j2").render(page=view, story=story)


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


def rerender(
    story: Story, before: Story, previous: list[RenderedPage], inputs: PageInputs = PageInputs()
) -> list[RenderedPage]:
    """The pages of `story`, noting what each shows, where `previous` are the pages of the
    story `before` an edit, rendered with notes. Only the pages the edit may change are
    rendered again: those that showed an edited entity, the pages of the entities it names
    now (each lists what names it), the listing pages it is now in, and the index pages.
    When an entity came or went, or a glossary term's words changed (any text may now
    mention it), every page is rendered."""
    plans = plan_site(story, inputs.prose)
    renderer = Renderer(story, True, inputs)
    old = {page.src_uri: page for page in previous}
    edited = _edited(before, story)
    if edited is None or old.keys() != {plan.src_uri for plan in plans}:
        return [renderer.render(plan) for plan in plans]
    shown = dependents(previous)
    stale = {*INDEX_PAGES, FRONT_PAGE, MAP_PAGE}  # they show something of every entity
    for entity in edited:
        stale |= shown.get((entity.kind, entity.id), set())
        named = {(reference.kind, reference.id) for reference in entity.references}
        named |= {(term.kind, term.id) for text in entity.rich_texts() for term in story.terms.terms_in(text)}
        stale |= {urls.src_uri(kind, id) for kind, id in named}
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
            if kind == "glossary" and (old.fields["term"], old.fields["aliases"]) != (
                entity.fields["term"],
                entity.fields["aliases"],
            ):
                return None
            edited.add(entity)
    return edited


def _finalize(value: Any) -> Any:
    """Escape every printed value for Markdown and HTML at once; fragments we built pass."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return Markup(rich_text.escape(str(value)))


class _NotingEnvironment(jinja2.Environment):
    """Adds each entity whose attribute a template reads to `reading` (the shown set of the
    page being rendered), for RenderedPage.shows. A call more on each of a million
    attribute reads: only when asked for."""

    def __init__(self, **options: Any):
        super().__init__(**options)
        self.reading: set[Entity] = set()

    def getattr(self, obj: Any, attribute: str) -> Any:
        if obj.__class__ is Entity:
            self.reading.add(obj)
        return super().getattr(obj, attribute)


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
    environment.globals.update(
        timeline=timeline,
        who_said_what=who_said_what,
        range_labels=range_labels,
        ledger=ledger,
        involved=involved,
        involved_in=involved_in,
        corrections=corrections,
        disputes=disputes,
        located=located,
        places_of=places_of,
        pictured=pictured,
        counted=counted,
        SIZES=SIZES,
        PROSE_MARKS=PROSE_MARKS,
    )
    return environment
