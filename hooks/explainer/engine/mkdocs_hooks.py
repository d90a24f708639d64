"""MkDocs event hooks: they only wire the story into a MkDocs (or ProperDocs) build.

The content is read and checked before MkDocs empties the output folder, so a broken story
stops the build with its list of problems and leaves the last site alone. The pages are
rendered then, or, in a build on two or more cores, by a second process while MkDocs works
(background.py): each page's Markdown is handed to MkDocs just before it reads the page.
"""

from __future__ import annotations

import gettext
import gzip
import html
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data as get_markdown_meta
from mkdocs.utils.templates import TemplateContext

from explainer.content.folder import STORY_PAGES, content_folder
from explainer.content.history import file_history, story_updated
from explainer.content.lint import lint
from explainer.content.problems import ContentError
from explainer.content.story import Entity, Story, load_story
from explainer.data.feeds import feed_files
from explainer.data.open_data import export_files
from explainer.engine import background, link_check
from explainer.engine.background import Background, BackgroundError
from explainer.engine.html_blocks import HtmlBlocks
from explainer.engine.workers import PARALLEL_FROM, Build, Built, WorkerError, Workers, search_index
from explainer.site import catalogs, csp, urls
from explainer.site.hand_written_terms import link_terms
from explainer.site.languages import (
    Edition,
    Language,
    editions,
    hand_written_name,
    hand_written_translation,
    language_of,
    languages_of,
)
from explainer.site.locator_map import DRAWN_MAPS, map_assets
from explainer.site.per_language import (
    SEARCH_INDEX,
    EmptySitemaps,
    language_sitemap,
    search_indexes,
    shared_files_linked,
    sitemap_with_alternates,
)
from explainer.site.pictures import PictureMaker
from explainer.site.plan import FRONT_PAGE, MAP_PAGE, N_, PROSE_MARKS, PagePlan, located, plan_site
from explainer.site.render import (
    COMPILED_TEMPLATES,
    PageInputs,
    RenderedPage,
    Renderer,
    render_credits,
    render_site,
    rerender,
)
from explainer.site.seo import PageFacts, page_head
from explainer.site.share_cards import CardMaker, MissingShaping, SharedCard, cards_of, picture_sources, require_shaping
from explainer.site.urls import Site
from explainer.site.views import PageView

log = get_plugin_logger(__name__)


@dataclass
class BuildState:
    """What one `mkdocs build`, `serve` or `export-markdown` knows between its events. A preview
    keeps it from one rebuild to the next: the last good story, and with --dirty the pages."""

    serving: bool = False
    dirty: bool = False
    story: Story | None = None
    pages: list[RenderedPage] | list[PagePlan] = field(default_factory=list)  # plans when a Background renders them
    background: Background | None = None
    worker_plans: dict[str, PagePlan] = field(default_factory=dict)  # for the workers to build, by src_uri
    workers: Workers | None = None
    renderer: Renderer | None = None  # renders the workers' pages when none could be forked
    pictures: PictureMaker | None = None
    cards: CardMaker | None = None  # None when mkdocs.yml turns the share cards off
    shared_cards: dict[str, SharedCard] = field(default_factory=dict)  # each page's card, by its src_uri
    inputs: PageInputs = field(default_factory=PageInputs)
    built: dict[str, str] = field(default_factory=dict)  # `serve --dirty`: the Markdown of each page last built
    built_story: Story | None = None  # and the story it was rendered from
    editions: dict[str, Edition] = field(default_factory=dict)  # the story in each language, by its code
    words: dict[str, gettext.NullTranslations] = field(default_factory=dict)  # the site's words, by language
    banners: dict[str, str | None] = field(default_factory=dict)  # what each language's pages say of it
    navs: dict[str, Navigation] = field(default_factory=dict)  # the nav of each language but the story's own
    page_urls: list[str] = field(default_factory=list)  # of every page built, for the files beside them
    exports: dict[str, str] = field(default_factory=dict)  # the open data and feeds, by their src_uri
    # Hand-written pages in the other languages, by src_uri, and those of them shown in the original's words.
    hand_written: set[str] = field(default_factory=set)
    untranslated_pages: set[str] = field(default_factory=set)
    html_blocks: HtmlBlocks = field(default_factory=HtmlBlocks)  # each page's raw HTML, read faster

    def built_by_worker(self, src_uri: str) -> bool:
        """Whether a worker builds and writes the page `src_uri` (none does in a worker)."""
        return self.workers is not None and src_uri in self.worker_plans

    @property
    def rebuilding(self) -> bool:
        """Whether this is a rebuild of `serve --dirty`, which shows an edit fast: it renders
        again only the pages the edit changed, and keeps what its first build made of the
        whole story (open data, feeds, share cards, search indexes, sitemaps)."""
        return self.dirty and bool(self.built)


ABOUT_PAGE = "about.md"  # hand-written; the picture credits are added at its end
HOME = N_("Home")  # the front page's name in the nav of another language than the story's
PICTURE_CACHE = ".cache/pictures"  # beside mkdocs.yml, git-ignored: variants by content hash
CARD_CACHE = ".cache/cards"  # beside it: share cards by the hash of what they show
MAP_CACHE = ".cache/map"  # and the maps' outlines, by the hash of what draws them
TEMPLATE_CACHE = ".cache/templates"  # and the compiled templates, ours and the theme's

BUILT_ELSEWHERE = "built by a worker"  # the theme template, and all it writes, of a page a worker built
_ARTICLE = '<article class="md-content__inner md-typeset">'  # where the theme puts a page's words

# The module's state: MkDocs calls the hooks as plain functions, and loads this module's
# hook file again for each rebuild of a preview, so the state cannot live on it.
_state: BuildState | None = None


def on_startup(command: str, dirty: bool) -> None:
    global _state
    _state = BuildState(serving=command == "serve", dirty=dirty)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _state
    if _state is None:  # a build started without on_startup, from MkDocs' Python API
        _state = BuildState()
    state = _state
    if not config.use_directory_urls:
        raise PluginError(
            "explainer needs 'use_directory_urls: true' in mkdocs.yml: its pages live at /incidents/<id>/ and so on"
        )
    COMPILED_TEMPLATES.keep_in(Path(config.config_file_path).parent / TEMPLATE_CACHE)
    DRAWN_MAPS.keep_in(Path(config.config_file_path).parent / MAP_CACHE)
    folder = content_folder(Path(config.config_file_path))
    if str(folder) not in config.watch:
        config.watch.append(str(folder))
    previous = state.story if state.serving and state.story and state.story.folder == folder else None
    try:
        # A preview reads again only the files that changed since the last good story.
        state.story = load_story(folder, previous)
    except ContentError as error:
        if not (state.serving and state.story):
            raise PluginError(str(error)) from None
        # A preview keeps showing the last good story rather than a stuck or empty site.
        log.error(f"{error}\nStill showing the last version without errors.")
        return config
    if state.html_blocks not in config.markdown_extensions:
        config.markdown_extensions.append(state.html_blocks)
    for warning in lint(state.story):
        log.info(str(warning))  # likely mistakes, not errors: `--strict` must not fail on them
    _present(config, state.story)
    return config


def _present(config: MkDocsConfig, story: Story) -> None:
    """The story names the site, describes it, signs its footer and, when it has places,
    puts its map in the nav; mkdocs.yml's site_name is only a fallback."""
    about = story.about.fields
    _name_site(config, about)
    config.extra["newsroom"] = about["newsroom"] or {}
    nav = config.nav or []
    has_map = any(isinstance(item, dict) and MAP_PAGE in item.values() for item in nav)
    if located(story) and not has_map:
        after = next(
            (
                index + 1
                for index, item in enumerate(nav)
                if isinstance(item, dict) and "who-said-what.md" in item.values()
            ),
            len(nav),
        )
        nav.insert(after, {"Map": MAP_PAGE})
    elif has_map and not located(story):
        nav[:] = [item for item in nav if not (isinstance(item, dict) and MAP_PAGE in item.values())]


def _name_site(config: MkDocsConfig, about: Mapping[str, Any]) -> None:
    """The story's title and standfirst as the site's name and description. The theme prints
    both as they are, into <title>, the header and <meta>: as HTML they must be, so that a
    title can show `<` but never open a tag."""
    config.site_name = html.escape(about["title"])
    config.site_description = html.escape(about["standfirst"])


def on_pre_build(config: MkDocsConfig) -> None:
    state = _current()
    story = state.story
    assert story is not None, "on_config loads the story first"
    state.pictures = PictureMaker(Path(config.config_file_path).parent / PICTURE_CACHE)
    pictures = {file: state.pictures.picture(image) for file, image in story.images.items()}
    state.inputs = inputs = PageInputs(
        _front_prose(config, story), pictures, file_history(story.folder), config.site_url
    )
    before = state.built_story if state.dirty else None  # a preview localizes only what an edit changed
    state.editions = {edition.language.code: edition for edition in editions(story, before)}
    state.words = {code: catalogs.translations(code) for code in state.editions}
    state.banners = {code: _banner(edition, state.words[code]) for code, edition in state.editions.items()}
    state.page_urls = []
    plans = plan_site(story, inputs.prose)
    state.worker_plans, state.renderer = {}, None
    # A preview renders in its own process, beside the server's threads; with --dirty,
    # only the pages an edit may have changed.
    if state.dirty:
        rendered = [page for page in state.pages if isinstance(page, RenderedPage)]
        state.pages = (
            rerender(story, state.built_story, rendered, inputs, plans)
            if state.built_story
            else render_site(story, True, inputs, plans)
        )
    elif state.serving or not background.available():
        log.debug(
            "this process renders and builds every page: "
            + ("a preview keeps its threads" if state.serving else "no second core, or no fork")
        )
        state.pages = render_site(story, inputs=inputs, plans=plans)
    else:
        state.pages = plans
        state.worker_plans = {plan.src_uri: plan for plan in _for_workers(plans, config)}
        own = [plan for plan in plans if plan.src_uri not in state.worker_plans]
        sitemaps = _empty_sitemaps(config, state)
        state.background = Background(story, own, _site(config), Path(config.site_dir), inputs, sitemaps)
    # After the second process is forked: drawing many cards forks workers of its own.
    if not state.rebuilding:
        _share_cards(config, state, plans)


def _for_workers(plans: list[PagePlan], config: MkDocsConfig) -> list[PagePlan]:
    """The pages for workers.py to build: those in no nav (the theme shows the nav's titles,
    which MkDocs gives the nav's pages as it reads them), when they are many."""
    theirs = [plan for plan in plans if not plan.in_nav]
    if search_index(config) is None:
        log.debug("no Material search index for the workers to add to: the pages are built without them")
        return []
    if len(theirs) < PARALLEL_FROM:
        log.debug(f"{len(theirs)} pages in no nav: fewer than {PARALLEL_FROM}, built without workers")
        return []
    return theirs


def _share_cards(config: MkDocsConfig, state: BuildState, plans: list[PagePlan]) -> None:
    """The share card of the front page and of every entity's page, in each language, drawn
    now where the cache lacks it: on every core when the story is large and the build can fork."""
    settings = config.extra.get("explainer") or {}
    story = state.story
    if not settings.get("share_cards", True) or story is None or state.pictures is None:
        state.cards, state.shared_cards = None, {}
        return
    try:
        require_shaping()
    except MissingShaping as error:
        raise PluginError(str(error)) from None
    state.cards = CardMaker(Path(config.config_file_path).parent / CARD_CACHE)
    updated = story_updated(story.about.fields, state.inputs.history)  # as the front page says
    editions = {code: edition.story for code, edition in state.editions.items()}
    pages = [
        (plan.src_uri, editions[plan.edition.language.code], plan.subject, plan.edition.language)
        for plan in plans
        if plan.subject and plan.edition and _shared_page(plan.src_uri, plan.edition, plan.subject)
    ]
    sources = picture_sources(state.inputs.pictures, state.pictures.files())
    state.shared_cards = cards_of(pages, state.words, updated, sources, state.cards)
    state.cards.draw_missing(workers=background.cores() if background.available() else 1)


def _shared_page(src_uri: str, edition: Edition, subject: Entity) -> bool:
    """Whether the page is the front page or an entity's own: not an embed, which other sites frame."""
    own = src_uri.removeprefix(edition.language.prefix)
    return own == FRONT_PAGE if subject.kind == "story" else own == urls.src_uri(subject.kind, subject.id)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    state = _current()
    assert state.story is not None, "on_config loads the story first"
    edit_uri = _edit_uris(config)
    _use_story_pages(files, config, edit_uri)
    for hand_written_front in _front_pages(files, state.story):  # their prose is part of the generated front pages
        files.remove(hand_written_front)
    _hand_written_in_each_language(files, config, state, edit_uri)
    for edition in state.editions.values():
        about = files.get_file_from_path(edition.language.prefix + ABOUT_PAGE)
        if about is not None and state.story.images:  # it ends with the credits of every picture
            credits = render_credits(edition.story, about.url, edition.language)
            about.content_string = about.content_string + credits
    in_nav = {page.src_uri for page in state.pages if page.in_nav}
    languages = _languages(state)
    for page in state.pages:
        if files.get_file_from_path(page.src_uri) is not None:
            raise PluginError(
                f"{config.docs_dir}/{page.src_uri} has the address of a generated page: rename or delete it"
            )
        inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
        if isinstance(page, PagePlan):  # its Markdown arrives in on_pre_page
            file = File.generated(config, page.src_uri, content="", inclusion=inclusion)
        else:
            file = File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion)
            if state.dirty and state.built.get(page.src_uri) == page.markdown:
                # `serve --dirty`: MkDocs sees only the pages an edit changed, and the pages of
                # the navs, which it leaves as they are; the others stay as last written. The
                # pages link to each other in HTML, which MkDocs does not look up.
                if language_of(page.src_uri, languages)[1] not in in_nav:
                    continue
                file.is_modified = _unchanged  # type: ignore[method-assign]  # MkDocs asks this method, and offers no setting
        file.edit_uri = edit_uri(page.source)
        files.append(file)
    # Generated, rather than written after the build, so that links to them are checked.
    if not state.rebuilding:
        data = state.background.exports() if state.background else export_files(state.story, _site(config))
        state.exports = {**data, **feed_files(state.story, _site(config), state.inputs.history)}
    located_assets = map_assets() if located(state.story) else {}
    published: dict[str, str | bytes] = {**state.exports, **located_assets}
    for src_uri, content in published.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"{config.docs_dir}/{src_uri} has the address of a generated file: rename or delete it")
        files.append(File.generated(config, src_uri, content=content))
    for src_uri, cached in (state.pictures.files() if state.pictures else {}).items():
        files.append(File.generated(config, src_uri, abs_src_path=str(cached)))
    for src_uri, cached in (state.cards.files() if state.cards and not state.rebuilding else {}).items():
        files.append(File.generated(config, src_uri, abs_src_path=str(cached)))
    if state.cards and not state.rebuilding:
        log.info(f"share cards: drew {state.cards.drawn} of {len(state.cards.files())}")
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """The nav of each other language: the same entries, leading to that language's pages."""
    state = _current()
    state.navs = {}
    for code, edition in state.editions.items():
        language = edition.language
        if language.original:
            continue
        items = []
        for item in nav.items:
            file = files.get_file_from_path(language.prefix + item.file.src_uri) if isinstance(item, Page) else None
            if file is None or file.page is None:
                items.append(item)  # a link, a section: as mkdocs.yml has it
                continue
            if item.is_homepage:
                file.page.title = state.words[code].gettext(HOME)
            items.append(file.page)
        state.navs[code] = navigation = Navigation(items, [item for item in items if isinstance(item, Page)])
        front = files.get_file_from_path(language.prefix + FRONT_PAGE)
        navigation.homepage = front.page if front else None
    if state.worker_plans and background.available():
        count = background.cores()
        log.debug(f"{count} workers build {len(state.worker_plans)} pages")
        build = Build(config, files, nav, _in_worker)
        state.workers = Workers(list(state.worker_plans.values()), count, build)
    elif state.worker_plans:
        log.debug("no workers can fork now that the build runs threads: the pages are built here")
    return nav


def _in_worker() -> None:
    """A worker builds its pages as this process would, but hands nothing to the others."""
    state = _current()
    state.background, state.workers = None, None


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """The theme's templates are compiled once, into the cache beside mkdocs.yml, and again
    only when their source changes: a build or a preview's rebuild makes a new environment."""
    state = _current()
    env.bytecode_cache = COMPILED_TEMPLATES
    if state.workers is not None and env.loader is not None:
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({BUILT_ELSEWHERE: BUILT_ELSEWHERE}), env.loader])
    return env


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    state = _current()
    if state.workers is not None and state.built_by_worker(page.file.src_uri):
        try:
            built = state.workers.take(page.file.src_uri)
        except WorkerError as error:
            raise PluginError(f"building the story's pages failed:\n{error}") from None
        if state.background is not None:  # its worker has written it: its links can be read while MkDocs reads on
            state.background.page_built(page.file.abs_dest_path)
        page.render = _rendered_by(page, built)  # type: ignore[method-assign, assignment]  # MkDocs calls this method, and offers no hook
        return page
    if page.file.src_uri in state.worker_plans:  # in its worker, or where none was forked (export-markdown has no nav)
        assert state.story is not None, "on_config loads the story first"
        state.renderer = state.renderer or Renderer(state.story, inputs=state.inputs)
        page.file.content_string = state.renderer.render(state.worker_plans[page.file.src_uri]).markdown
        return page
    work = state.background
    if work is not None and work.renders(page.file.src_uri):
        try:
            page.file.content_string = work.markdown(page.file.src_uri)
        except BackgroundError as error:
            raise PluginError(f"rendering the story's pages failed:\n{error}") from None
    return page


def _rendered_by(page: Page, built: Built) -> Callable[[MkDocsConfig, Files], None]:
    """Page.render for a page a worker built: what the worker's rendering gave, and a template
    that writes nothing the worker has not written already (see on_post_page)."""

    def render(config: MkDocsConfig, files: Files) -> None:
        built.install(page, files)
        page.meta = {**page.meta, "template": BUILT_ELSEWHERE}

    return render


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The page's anchors, with those of the HTML blocks that MkDocs did not read (see
    html_blocks.py). Hand-written pages, and the hand-written prose of the front page, get
    glossary links as generated pages do (those have theirs)."""
    state = _current()
    if state.story is None or state.built_by_worker(page.file.src_uri):
        return html
    if page.present_anchor_ids is not None:  # the ids MkDocs would have read in the HTML blocks
        page.present_anchor_ids |= state.html_blocks.ids_set_aside
    edition = state.editions[language_of(page.url, list(_languages(state)))[0].code]
    view = PageView(edition.story, page.url, language=edition.language)
    if page.file.generated_by is None or page.file.src_uri in state.hand_written:
        return link_terms(html, view.prose)
    start, end = (str(mark) for mark in PROSE_MARKS)  # as text: joined to Markup, the page would be escaped
    before, found, rest = html.partition(start)
    prose, closed, after = rest.partition(end)
    if not (found and closed):
        return html
    return before + start + link_terms(prose, view.prose) + end + after


def on_page_context(context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
    """The page's language for the theme (its words, direction, nav, search and the
    switcher to the same page in the other languages), and Open Graph tags and JSON-LD,
    printed by site_src/overrides/main.html."""
    state = _current()
    if state.built_by_worker(page.file.src_uri):
        return context
    languages = _languages(state)
    language, src_uri = language_of(page.file.src_uri, languages)
    edition = state.editions[language.code]
    about = edition.story.about.fields
    # Pages are rendered one at a time: each names the site in its language before the theme reads it.
    _name_site(config, about)
    # The theme's templates read any key of the context; MkDocs' TypedDict names only its own.
    extra: dict[str, Any] = context  # type: ignore[assignment]
    extra.update(
        explainer_language=language.code,
        explainer_theme_language=language.theme,
        explainer_direction=language.direction,
        explainer_banner=state.banners[language.code],
        explainer_x_default=None,
        explainer_front_page=src_uri == FRONT_PAGE,
    )
    if not language.original:
        extra["nav"] = state.navs[language.code]
        # The theme's search loads `search/search_index.json` from here: the language's own.
        extra["base_url"] = urls.RelativeLinks(page.url).href(language.prefix).rstrip("/") or "."
    if len(languages) > 1:
        address = _site(config).address
        _, url = language_of(page.url, languages)
        config.extra["alternate"] = [
            {"name": other.name, "link": address(urls.in_language(url, other.prefix)), "lang": other.code}
            for other in languages
        ]
        extra["explainer_x_default"] = address(url)
    title, description = (str(page.meta.get(key) or "") for key in ("title", "description"))
    facts = PageFacts(src_uri, page.url, title or page.title or "", description, page.canonical_url, page.is_homepage)
    site = Site(about["title"], about["standfirst"], config.site_url)
    card = state.shared_cards.get(page.file.src_uri)
    extra["explainer_head"] = page_head(
        edition.story, facts, site, language, languages, state.inputs.history, state.words[language.code], card
    )
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    state = _current()
    state.page_urls.append(page.url)
    if state.built_by_worker(page.file.src_uri):
        # Its worker wrote the page; MkDocs writes what it has of it next, where it goes unread.
        page.file.abs_dest_path = os.devnull
        return output
    if state.background is not None:
        state.background.page_built(page.file.abs_dest_path)
    if page.file.src_uri in state.untranslated_pages:  # the page's words are the original's
        story_language = _languages(state)[0]
        output = output.replace(_ARTICLE, f'{_ARTICLE[:-1]} lang="{story_language.code}">', 1)
    return _with_policy(output, page.content or "", page.meta)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return (
        _with_policy(output_content) if template_name.endswith(".html") else output_content
    )  # 404.html, not sitemap.xml


def _with_policy(html: str, content: str = "", front_matter: Mapping[str, Any] | None = None) -> str:
    if _current().serving:
        return csp.without_policy(html)  # the preview's live-reload script is inline
    try:
        return csp.with_policy(html, content, front_matter)
    except ValueError as error:
        raise PluginError(str(error)) from None


def on_post_build(config: MkDocsConfig) -> None:
    state = _current()
    if not state.rebuilding:
        _search_indexes(config, state)
        _sitemaps(config, state)
    if state.dirty:
        state.built = {page.src_uri: page.markdown for page in state.pages if isinstance(page, RenderedPage)}
        state.built_story = state.story
        return  # a partial preview: links into pages left as they were are not worth a full check
    if state.workers is not None:
        state.workers.stop()
        state.workers = None
    if state.background is not None:
        try:
            broken = state.background.broken_links()
        except BackgroundError as error:
            raise PluginError(f"the link check failed:\n{error}") from None
        state.background = None
    else:
        broken = link_check.broken_links(Path(config.site_dir))
    if not broken:
        return
    message = f"broken links in the built site ({len(broken)}):\n" + "\n".join(broken)
    if state.serving:
        log.error(message)  # the preview keeps running, the links stay visible to fix
    else:
        raise PluginError(message)


def on_shutdown() -> None:
    global _state
    if _state is not None and _state.background is not None:  # the build failed before its end
        _state.background.stop()
    if _state is not None and _state.workers is not None:
        _state.workers.stop()
    _state = None


def _current() -> BuildState:
    assert _state is not None, "on_config starts the build's state"
    return _state


def _front_prose(config: MkDocsConfig, story: Story) -> dict[str, str]:
    """The Markdown of a hand-written index.md (the story's pages/ first, else docs_dir's),
    and of its translations (index.ru.md), without front matter, by language: the generated
    front page of each language shows it under the lede. A language without its own shows
    the original's."""
    story_pages = content_folder(Path(config.config_file_path)) / STORY_PAGES
    folder = story_pages if story_pages.is_dir() else Path(config.docs_dir)  # as _use_story_pages chooses
    prose = {}
    for language in languages_of(story):
        for name in ([] if language.original else [hand_written_name(FRONT_PAGE, language)]) + [FRONT_PAGE]:
            if (folder / name).is_file():
                prose[language.code], _ = get_markdown_meta((folder / name).read_text(encoding="utf-8-sig"))
                break
    return prose


def _front_pages(files: Files, story: Story) -> list[File]:
    """The hand-written index.md and its translations, whose prose the front pages show."""
    names = [FRONT_PAGE, *(hand_written_name(FRONT_PAGE, language) for language in languages_of(story)[1:])]
    return [file for name in names if (file := files.get_file_from_path(name)) is not None]


def _hand_written_in_each_language(
    files: Files, config: MkDocsConfig, state: BuildState, edit_uri: Callable[[Path | None], str | None]
) -> None:
    """Each hand-written page in each language: `about.ru.md` becomes `ru/about.md`, and a
    page with no translation is shown in the original's words, saying so in the reader's."""
    languages = _languages(state)
    translated: dict[tuple[str, str], File] = {}
    for file in list(files.documentation_pages()):
        named = hand_written_translation(file.src_uri, languages)
        if named is not None:
            files.remove(file)
            translated[named[0], named[1].code] = file
    state.hand_written, state.untranslated_pages = set(), set()
    for original in list(files.documentation_pages()):
        for language in languages[1:]:
            src_uri = language.prefix + original.src_uri
            source = translated.get((original.src_uri, language.code))
            if source is None:
                words = state.words[language.code]
                note = words.gettext("This page has not been translated yet: it is shown in %(language)s.") % {
                    "language": languages[0].name_in(language)
                }
                meta, markdown = _split_front_matter(original.content_string)
                content = (
                    f'{meta}<p class="explainer-note" lang="{language.code}">{html.escape(note)}</p>\n\n{markdown}'
                )
                state.untranslated_pages.add(src_uri)
            else:
                content = source.content_string
            file = File.generated(
                config, src_uri, content=shared_files_linked(content, language), inclusion=InclusionLevel.NOT_IN_NAV
            )
            file.edit_uri = (source or original).edit_uri
            files.append(file)
            state.hand_written.add(src_uri)


def _split_front_matter(markdown: str) -> tuple[str, str]:
    """(the front matter block, with its fences, or "", and the Markdown after it)."""
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end != -1:
            return markdown[: end + 5], markdown[end + 5 :]
    return "", markdown


def _languages(state: BuildState) -> list[Language]:
    return [edition.language for edition in state.editions.values()]


def _banner(edition: Edition, words: gettext.NullTranslations) -> str | None:
    """What every page of a translation says while no editor has reviewed it, and who made it."""
    translations = edition.story.translations.get(edition.language.code, {}).values()
    if edition.language.original or all(translation.reviewed_by for translation in translations):
        return None
    translators = sorted({translation.translator for translation in translations if translation.translator})
    banner = words.gettext("Translation not yet reviewed by an editor.")
    if translators:
        banner += " " + words.gettext("Translated by: %(translators)s") % {"translators": "; ".join(translators)}
    return banner


def _search_indexes(config: MkDocsConfig, state: BuildState) -> None:
    """A search index for each language, from the one MkDocs' search plugin wrote."""
    languages = _languages(state)
    index = Path(config.site_dir) / SEARCH_INDEX
    if len(languages) < 2 or not index.is_file():
        return
    for path, text in search_indexes(json.loads(index.read_text(encoding="utf-8")), languages).items():
        (Path(config.site_dir) / path).parent.mkdir(parents=True, exist_ok=True)
        (Path(config.site_dir) / path).write_text(text, encoding="utf-8")


def _sitemaps(config: MkDocsConfig, state: BuildState) -> None:
    """The sitemap's links between the languages of a page, and a sitemap for each language."""
    languages = _languages(state)
    site_dir = Path(config.site_dir)
    sitemap = site_dir / "sitemap.xml"
    if len(languages) < 2 or not sitemap.is_file():
        return
    xml = sitemap.read_text(encoding="utf-8")
    if config.site_url:
        xml = sitemap_with_alternates(xml, config.site_url, languages)
        sitemap.write_text(xml, encoding="utf-8")
        # The compressed copy keeps MkDocs' date (SOURCE_DATE_EPOCH's, in a reproducible build).
        with gzip.GzipFile(site_dir / "sitemap.xml.gz") as written:
            written.read()
        with gzip.GzipFile(site_dir / "sitemap.xml.gz", "wb", mtime=written.mtime) as compressed:
            compressed.write(xml.encode("utf-8"))
    for language in languages[1:]:  # the theme's language switcher asks for each
        own = language_sitemap(xml, config.site_url, language, languages) if config.site_url else xml
        (site_dir / language.prefix / "sitemap.xml").write_text(own, encoding="utf-8")
    empty = _empty_sitemaps(config, state)
    if empty is not None and state.background is None:  # else the second process wrote them as pages came
        for url in state.page_urls:
            if (site_dir / url / "index.html").is_file():
                empty.beside(site_dir / url / "index.html")


def _empty_sitemaps(config: MkDocsConfig, state: BuildState) -> EmptySitemaps | None:
    """The empty sitemaps beside the pages of a site in several languages (EmptySitemaps)."""
    languages = _languages(state)
    if len(languages) < 2:
        return None
    return EmptySitemaps(Path(config.site_dir), frozenset(language.prefix for language in languages))


def _unchanged() -> bool:
    return False


def _use_story_pages(files: Files, config: MkDocsConfig, edit_uri: Callable[[Path | None], str | None]) -> None:
    """A story folder with its own `pages/` brings its own hand-written pages (home, about):
    they replace the docs folder's, whose links fit only the story they were written for."""
    folder = content_folder(Path(config.config_file_path)) / STORY_PAGES
    if not folder.is_dir():
        return
    for file in files.documentation_pages():
        files.remove(file)
    for path in sorted(folder.rglob("*.md")):
        file = File(
            path.relative_to(folder).as_posix(),
            src_dir=str(folder),
            dest_dir=config.site_dir,
            use_directory_urls=config.use_directory_urls,
        )
        file.edit_uri = edit_uri(path)
        files.append(file)


def _site(config: MkDocsConfig) -> Site:
    """The site as the story names it (as text: each output escapes it its own way)."""
    story = _current().story
    assert story is not None, "on_config loads the story first"
    return Site(story.about.fields["title"], story.about.fields["standfirst"], config.site_url)


def _edit_uris(config: MkDocsConfig) -> Callable[[Path | None], str | None]:
    """The edit URI of a page from its source file: that file relative to docs_dir, where it
    lives in the repository. A file outside the project (a story elsewhere) has none. The
    story's files are under its resolved folder (content_folder), so they are not resolved
    again one by one: a large story has thousands."""
    project = Path(config.config_file_path).parent.resolve()
    docs = Path(config.docs_dir).resolve()

    def edit_uri(source: Path | None) -> str | None:
        if source is None or not source.is_relative_to(project):
            return None
        return Path(os.path.relpath(source, docs)).as_posix()

    return edit_uri
