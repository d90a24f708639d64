"""Render the planned pages into Markdown: Jinja2 templates around HTML fragments we escape.

Every value printed by a template passes through `rich_text.escape`, so text from YAML can
neither become HTML nor Markdown nor extension syntax in the page it lands on. Templates
hold the markup; plan.py decides what goes on which page.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from babel.numbers import format_decimal
from markupsafe import Markup

from explainer.content import rich_text
from explainer.content.dates import PartialDate, range_labels
from explainer.content.history import History, dates_of, story_updated
from explainer.content.model import KINDS
from explainer.content.story import Entity, Story
from explainer.site import catalogs, urls
from explainer.site.kept import Kept
from explainer.site.languages import Edition, Language, editions, languages_of
from explainer.site.ledger import ledger
from explainer.site.listings import (
    corrections,
    dispute_of,
    disputes,
    involved,
    involved_in,
    pictured,
    places_of,
    timeline,
    whats_new,
    who_said_what,
)
from explainer.site.pictures import SIZES, Picture
from explainer.site.plan import (
    FRONT_PAGE,
    INDEX_PAGES,
    MAP_PAGE,
    PAGE_ENTRIES,
    PROSE_MARKS,
    STATUS_WORDS,
    PagePlan,
    located,
    plan_site,
)
from explainer.site.views import PageView


@dataclass(frozen=True)
class PageInputs:
    """What the pages need besides the story: the Markdown of a hand-written front page in
    each language, by its code (shown under the lede), the pictures made for this build,
    by their `file`, the story's git history (history.file_history; empty without one), and
    the site's address, for the code that embeds a page elsewhere."""

    prose: Mapping[str, str] = field(default_factory=dict)
    pictures: Mapping[str, Picture] = field(default_factory=dict)
    history: History = field(default_factory=dict)
    site_url: str | None = None


@dataclass(frozen=True)
class RenderedPage:
    src_uri: str  # where MkDocs should think the Markdown file is, e.g. `incidents/x.md`
    markdown: str
    source: Path | None  # the YAML file the page shows, for "edit this page"
    in_nav: bool = False  # index pages are in mkdocs.yml's nav; the thousands of others stay out
    # (kind, id) of every entity the page shows something of: the page changes only when
    # one of them does, or when an entity comes or goes (see dependents).
    shows: frozenset[tuple[str, str]] = frozenset()


def render_site(
    story: Story, noting: bool = False, inputs: PageInputs = PageInputs(), plans: list[PagePlan] | None = None
) -> list[RenderedPage]:
    """Every generated page of the story in each of its languages, rendered (see plan_site and
    Renderer); `plans` are plan_site's, when the caller has them already."""
    renderer = Renderer(story, noting, inputs)
    return [renderer.render(plan) for plan in (plan_site(story, inputs.prose) if plans is None else plans)]


class Renderer:
    """Renders the pages of one story, in each of its languages, sharing between the pages of
    a language the fragments that do not depend on the page they are on (see PageView.once).
    With `noting`, each page also says which entities it shows (RenderedPage.shows), for a
    preview that rebuilds only what an edit changes, which makes rendering slower."""

    def __init__(self, story: Story, noting: bool = False, inputs: PageInputs = PageInputs()):
        self.story = story
        self.noting = noting
        self.pictures = inputs.pictures
        self.site_url = inputs.site_url
        self.languages = languages_of(story)
        self._editions: dict[str, _Edition] = {}
        self.history = inputs.history
        self.updated = story_updated(story.about.fields, self.history)

    def render(self, plan: PagePlan) -> RenderedPage:
        """Render the plan's template, noting the entities whose data it reads."""
        edition = self._edition(plan)
        context = dict(plan.context)
        if plan.subject is not None:
            context.update(entity=plan.subject, dates=dates_of(self.history, self.story.folder, plan.source))
        view = PageView(
            edition.story,
            urls.url_of(plan.src_uri),
            plan.subject,
            edition.fragments,
            self.pictures,
            edition.words,
            edition.language,
            self.site_url,
        )
        view.shown.update(plan.counted)
        if isinstance(edition.environment, _NotingEnvironment):
            edition.environment.reading = view.shown
        template = edition.environment.get_template(plan.template)
        markdown = template.render(
            page=view,
            story=edition.story,
            story_updated=self.updated,
            history=self.history,
            languages=self.languages,
            **context,
        )
        shows = frozenset(key for entity in view.shown for key in _keys(entity)) if self.noting else frozenset()
        return RenderedPage(plan.src_uri, markdown, plan.source, plan.in_nav, shows)

    def _edition(self, plan: PagePlan) -> _Edition:
        """What the pages of the plan's language share, with the story its entities are of."""
        language, story = (
            (plan.edition.language, plan.edition.story) if plan.edition else (self.languages[0], self.story)
        )
        if language.code not in self._editions:
            self._editions[language.code] = _Edition(language, story, self.noting)
        return self._editions[language.code]


class _Edition:
    """The story in one language, and what its pages share: its words and fragments."""

    def __init__(self, language: Language, story: Story, noting: bool):
        self.language = language
        self.story = story
        self.words = catalogs.translations(language.code)
        self.fragments: dict[tuple[Any, ...], Markup] = {}
        self.environment = jinja_environment(noting, language, self.words)


def render_credits(story: Story, url: str, language: Language) -> str:
    """The Markdown of the picture credits that the About page (hand-written, at `url`) ends with."""
    words = catalogs.translations(language.code)
    view = PageView(story, url, words=words, language=language)
    return jinja_environment(False, language, words).get_template("credits.md.j2").render(page=view, story=story)


def _keys(entity: Entity) -> tuple[tuple[str, str], ...]:
    """What showing `entity` shows: it, and for a statement its speaker, whose name is part of
    the statement's ("Anna Berg, 21 March 2024")."""
    if entity.kind == "statements":
        return (entity.kind, entity.id), ("actors", entity.fields["speaker"])
    return ((entity.kind, entity.id),)


def dependents(pages: list[RenderedPage], keys: set[tuple[str, str]] | None = None) -> dict[tuple[str, str], set[str]]:
    """For each entity (kind, id), or each of `keys`, the src_uri of every page that shows something of it."""
    found: dict[tuple[str, str], set[str]] = {}
    for page in pages:
        for key in page.shows if keys is None else keys & page.shows:
            found.setdefault(key, set()).add(page.src_uri)
    return found


def rerender(
    story: Story,
    before: Story,
    previous: list[RenderedPage],
    inputs: PageInputs = PageInputs(),
    plans: list[PagePlan] | None = None,
) -> list[RenderedPage]:
    """The pages of `story`, noting what each shows, where `previous` are the pages of the
    story `before` an edit, rendered with notes. Only the pages the edit may change are
    rendered again: those that showed an edited entity, the pages of the entities it names
    now (each lists what names it), the listing pages it is now in, and the index pages. An
    edit to an original changes its pages in every language (they show its words where a
    translation leaves them out), an edit to a translation only those of its language. When
    an entity or a translation came or went, or a glossary term's words changed (any text may
    now mention it), every page is rendered. `plans` are plan_site's, when the caller has them."""
    plans = plan_site(story, inputs.prose) if plans is None else plans
    renderer = Renderer(story, True, inputs)
    old = {page.src_uri: page for page in previous}
    edits = _edited(before, story)
    if edits is None or old.keys() != {plan.src_uri for plan in plans}:
        return [renderer.render(plan) for plan in plans]
    shown = dependents(previous, set().union(*edits.values()))
    stale: set[str] = set()
    for edition in editions(story):
        edited = edits.get("", set()) | edits.get(edition.language.code, set())
        own = [plan for plan in plans if plan.edition and plan.edition.language == edition.language]
        if edited:
            stale |= _stale_in(edition, edited, own, shown)
    return [renderer.render(plan) if plan.src_uri in stale else old[plan.src_uri] for plan in plans]


def _stale_in(
    edition: Edition, edited: set[tuple[str, str]], plans: list[PagePlan], shown: dict[tuple[str, str], set[str]]
) -> set[str]:
    """The pages of `edition`, planned as `plans`, that may change when the entities `edited`
    do (see rerender)."""
    story, prefix = edition.story, edition.language.prefix
    stale = {*INDEX_PAGES, FRONT_PAGE}  # they show something of every entity
    if any(kind in ("incidents", "story") for kind, _ in edited):
        stale.add(MAP_PAGE)  # it shows the incidents alone
    for kind, id in edited:
        entity = story.about if kind == "story" else story.get(kind, id)
        named = {(reference.kind, reference.id) for reference in entity.references}
        named |= {(term.kind, term.id) for text in entity.rich_texts() for term in story.terms.terms_in(text)}
        stale |= {urls.src_uri(kind, id) for kind, id in named}
    stale = {prefix + src_uri for src_uri in stale}
    own = {plan.src_uri for plan in plans}
    for key in edited:
        stale |= shown.get(key, set()) & own
    for plan in plans:
        if any((entity.kind, entity.id) in edited for entity in (*plan.context.get("entries", ()), *plan.counted)):
            stale.add(plan.src_uri)
    return stale


def _edited(before: Story, after: Story) -> dict[str, set[tuple[str, str]]] | None:
    """The (kind, id) of the entities of `after` whose data ("") or translation into a
    language (its code) differ from `before`; None if an entity or a translation came or
    went, or a glossary term's words changed in any language."""
    edited: dict[str, set[tuple[str, str]]] = {}
    for kind in KINDS:
        if before.entities[kind].keys() != after.entities[kind].keys():
            return None
        for id, entity in after.entities[kind].items():
            old = before.entities[kind][id]
            if old.fields == entity.fields and old.name == entity.name:
                continue
            if kind == "glossary" and _term_words(old.fields) != _term_words(entity.fields):
                return None
            edited.setdefault("", set()).add((kind, id))
    if before.translations.keys() != after.translations.keys():
        return None
    for language, translations in after.translations.items():
        earlier = before.translations[language]
        if earlier.keys() != translations.keys():
            return None
        for key, translation in translations.items():
            if earlier[key].fields == translation.fields:
                continue
            if key[0] == "glossary" and _term_words(earlier[key].fields) != _term_words(translation.fields):
                return None
            edited.setdefault(language, set()).add(key)
    return edited


def _term_words(fields: dict[str, Any]) -> tuple[Any, Any]:
    return fields.get("term"), fields.get("aliases")


def _finalizer(language: Language) -> Callable[[Any], Any]:
    """Escape every printed value for Markdown and HTML at once; fragments we built pass.
    Dates are written in the page's language, and words a translation left out keep the
    language they are in."""

    def finalize(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, Markup):
            return value
        if isinstance(value, PartialDate):
            return Markup(rich_text.escape(value.label(language.code)))
        if isinstance(value, rich_text.Untranslated):
            return Markup(f'<span lang="{rich_text.escape(value.lang)}" dir="auto">{rich_text.escape(value)}</span>')
        return Markup(rich_text.escape(str(value)))

    return finalize


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


class CompiledTemplates(Kept, jinja2.BytecodeCache):
    """Compiled templates, by template and source: Jinja's key names the template, and the
    checksum and header it writes in each make it compile again a template whose source,
    Jinja or Python changed."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = self.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.put(bucket.key, bucket.bytecode_to_string())


# Every language's environment, and the theme's, compile their templates into this one.
COMPILED_TEMPLATES = CompiledTemplates()


# A preview renders again on every save: an environment keeps the templates it has compiled
# (and still reloads a template whose file changed).
@cache
def jinja_environment(noting: bool, language: Language, words: gettext.NullTranslations) -> jinja2.Environment:
    """The templates' environment for pages in `language`, with its catalog `words`."""
    finalize = _finalizer(language)
    environment = (_NotingEnvironment if noting else jinja2.Environment)(
        loader=jinja2.PackageLoader("explainer.site", "templates"),
        autoescape=True,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=COMPILED_TEMPLATES,
    )
    # Front matter is YAML: characters past U+FFFF must stay themselves, not JSON's
    # surrogate-pair escapes, which YAML cannot read.
    environment.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
    environment.policies["ext.i18n.trimmed"] = True  # a {% trans %} over several lines is one line of the catalog
    environment.install_null_translations(newstyle=True)  # type: ignore[attr-defined]  # the extension adds it
    # Our own gettext and ngettext: the variables of a message are escaped as every printed
    # value is (finalize), and numbers are written the page's language's way.

    def gettext(message: str, **variables: Any) -> Markup:
        return Markup(words.gettext(message)) % {name: finalize(value) for name, value in variables.items()}

    def ngettext(singular: str, plural: str, number: int, **variables: Any) -> Markup:
        variables.setdefault("num", format_decimal(number, locale=language.locale))
        translated = Markup(words.ngettext(singular, plural, number))
        return translated % {name: finalize(value) for name, value in variables.items()}

    environment.globals.update(
        gettext=gettext,
        _=gettext,
        ngettext=ngettext,
        language=language,
        timeline=lambda entries: timeline(entries, language.code),
        who_said_what=who_said_what,
        range_labels=lambda start, end: range_labels(start, end, language.code),
        ledger=ledger,
        involved=involved,
        involved_in=involved_in,
        corrections=corrections,
        whats_new=whats_new,
        disputes=disputes,
        dispute_of=dispute_of,
        located=located,
        places_of=places_of,
        pictured=pictured,
        SIZES=SIZES,
        PROSE_MARKS=PROSE_MARKS,
        PAGE_ENTRIES=PAGE_ENTRIES,
        STATUS_WORDS=STATUS_WORDS,
        FEEDS=urls.feeds(language.prefix),
        embedded=urls.embedded,
        entity_page=urls.entity_page,
        EMBED_SCRIPT=urls.EMBED_SCRIPT,
    )
    return environment
