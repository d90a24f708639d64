"""MkDocs event hooks: they only wire the story into a MkDocs (or ProperDocs) build.

The content is read and checked before MkDocs empties the output folder, so a broken story
stops the build with its list of problems and leaves the last site alone. The pages are
rendered then, or, in a build on two or more cores, by a second process while MkDocs works
(background.py): each page's Markdown is handed to MkDocs just before it reads the page.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data as get_markdown_meta
from mkdocs.utils.templates import TemplateContext

from explainer.content.folder import STORY_PAGES, content_folder
from explainer.content.lint import lint
from explainer.content.problems import ContentError
from explainer.content.story import Story, load_story
from explainer.data.open_data import export_files
from explainer.engine import background, link_check
from explainer.engine.background import Background, BackgroundError
from explainer.site import csp
from explainer.site.hand_written_terms import link_terms
from explainer.site.locator_map import map_assets
from explainer.site.pictures import PictureMaker
from explainer.site.plan import FRONT_PAGE, MAP_PAGE, PROSE_MARKS, PagePlan, located, plan_site
from explainer.site.render import PageInputs, RenderedPage, render_credits, render_site, rerender
from explainer.site.seo import PageFacts, page_head
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
    pictures: PictureMaker | None = None
    inputs: PageInputs = field(default_factory=PageInputs)
    built: dict[str, str] = field(default_factory=dict)  # `serve --dirty`: the Markdown of each page last built
    built_story: Story | None = None  # and the story it was rendered from


ABOUT_PAGE = "about.md"  # hand-written; the picture credits are added at its end
PICTURE_CACHE = ".cache/pictures"  # beside mkdocs.yml, git-ignored: variants by content hash

# The one piece of module state: MkDocs calls the hooks as plain functions, and loads this
# module's hook file again for each rebuild of a preview, so the state cannot live on it.
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
    for warning in lint(state.story):
        log.info(str(warning))  # likely mistakes, not errors: `--strict` must not fail on them
    _present(config, state.story)
    return config


def _present(config: MkDocsConfig, story: Story) -> None:
    """The story names the site, describes it, signs its footer and, when it has places,
    puts its map in the nav; mkdocs.yml's site_name is only a fallback."""
    about = story.about.fields
    # The theme prints both as they are, into <title>, the header and <meta>: as HTML they
    # must be, so that a title can show `<` but never open a tag.
    config.site_name = html.escape(about["title"])
    config.site_description = html.escape(about["standfirst"])
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


def on_pre_build(config: MkDocsConfig) -> None:
    state = _current()
    story = state.story
    assert story is not None, "on_config loads the story first"
    state.pictures = PictureMaker(Path(config.config_file_path).parent / PICTURE_CACHE)
    pictures = {file: state.pictures.picture(image) for file, image in story.images.items()}
    state.inputs = inputs = PageInputs(_front_prose(config), pictures)
    # A preview renders in its own process, beside the server's threads; with --dirty,
    # only the pages an edit may have changed.
    if state.dirty:
        rendered = [page for page in state.pages if isinstance(page, RenderedPage)]
        state.pages = (
            rerender(story, state.built_story, rendered, inputs)
            if state.built_story
            else render_site(story, True, inputs)
        )
    elif state.serving or not background.available():
        state.pages = render_site(story, inputs=inputs)
    else:
        plans = plan_site(story, inputs.prose)
        state.pages = plans
        state.background = Background(story, plans, _site(config), Path(config.site_dir), inputs)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    state = _current()
    assert state.story is not None, "on_config loads the story first"
    edit_uri = _edit_uris(config)
    _use_story_pages(files, config, edit_uri)
    about = files.get_file_from_path(ABOUT_PAGE)
    if about is not None and state.story.images:  # it ends with the credits of every picture
        about.content_string = about.content_string + render_credits(state.story, about.url)
    hand_written_front = files.get_file_from_path(FRONT_PAGE)
    if hand_written_front is not None:  # its prose is part of the generated front page
        files.remove(hand_written_front)
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
                # `serve --dirty`: MkDocs converts and writes only the pages an edit changed.
                file.is_modified = _unchanged  # type: ignore[method-assign]  # MkDocs asks this method, and offers no setting
        file.edit_uri = edit_uri(page.source)
        files.append(file)
    # Generated, rather than written after the build, so that links to them are checked.
    exports = state.background.exports() if state.background else export_files(state.story, _site(config))
    published: dict[str, str | bytes] = {**exports, **(map_assets() if located(state.story) else {})}
    for src_uri, content in published.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"{config.docs_dir}/{src_uri} has the address of a generated file: rename or delete it")
        files.append(File.generated(config, src_uri, content=content))
    for src_uri, cached in (state.pictures.files() if state.pictures else {}).items():
        files.append(File.generated(config, src_uri, abs_src_path=str(cached)))
    return files


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    work = _current().background
    if work is not None and work.renders(page.file.src_uri):
        try:
            page.file.content_string = work.markdown(page.file.src_uri)
        except BackgroundError as error:
            raise PluginError(f"rendering the story's pages failed:\n{error}") from None
    return page


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Hand-written pages, and the hand-written prose of the front page, get glossary links as
    generated pages do (those have theirs)."""
    story = _current().story
    if story is None:
        return html
    if page.file.generated_by is None:
        return link_terms(html, PageView(story, page.url).prose)
    start, end = (str(mark) for mark in PROSE_MARKS)  # as text: joined to Markup, the page would be escaped
    before, found, rest = html.partition(start)
    prose, closed, after = rest.partition(end)
    if not (found and closed):
        return html
    return before + start + link_terms(prose, PageView(story, page.url).prose) + end + after


def on_page_context(context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
    """Open Graph tags and JSON-LD for the page, printed by site_src/overrides/main.html."""
    title, description = (str(page.meta.get(key) or "") for key in ("title", "description"))
    facts = PageFacts(
        page.file.src_uri, page.url, title or page.title or "", description, page.canonical_url, page.is_homepage
    )
    story = _current().story
    assert story is not None, "on_config loads the story first"
    # The theme's templates read any key of the context; MkDocs' TypedDict names only its own.
    context["explainer_head"] = page_head(story, facts, _site(config))  # type: ignore[typeddict-unknown-key]
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    output = _with_policy(output, page.content or "", page.meta)
    work = _current().background
    if work is not None:
        work.page_built(page.file.abs_dest_path)
    return output


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
    if state.dirty:
        state.built = {page.src_uri: page.markdown for page in state.pages if isinstance(page, RenderedPage)}
        state.built_story = state.story
        return  # a partial preview: links into pages left as they were are not worth a full check
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
    _state = None


def _current() -> BuildState:
    assert _state is not None, "on_config starts the build's state"
    return _state


def _front_prose(config: MkDocsConfig) -> str:
    """The Markdown of a hand-written index.md (the story's pages/ first, else docs_dir's),
    without its front matter: the generated front page shows it under the lede."""
    story_pages = content_folder(Path(config.config_file_path)) / STORY_PAGES
    page = (story_pages if story_pages.is_dir() else Path(config.docs_dir)) / FRONT_PAGE  # as _use_story_pages chooses
    if not page.is_file():
        return ""
    markdown, _ = get_markdown_meta(page.read_text(encoding="utf-8-sig"))
    return markdown


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
