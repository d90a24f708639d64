"""MkDocs event hooks: they only wire the story into a MkDocs (or ProperDocs) build.

The content is read and checked before MkDocs empties the output folder, so a broken story
stops the build with its list of problems and leaves the last site alone. The pages are
rendered then, or, in a build on two or more cores, by a second process while MkDocs works
(background.py): each page's Markdown is handed to MkDocs just before it reads the page.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from explainer.engine import background

from explainer.site import csp

from explainer.engine import link_check as links
from explainer.engine.background import Background, BackgroundError
from explainer.data.open_data import Site, export_files
from explainer.content.lint import lint
from explainer.site.pages import PagePlan, PageView, RenderedPage, plan_site, render_site, rerender
from explainer.content.problems import ContentError
from explainer.site.seo import PageFacts, page_head
from explainer.content.story import STORY_PAGES, Story, load_story
from explainer.site.hand_written_terms import link_terms

log = get_plugin_logger(__name__)

_serving = False
_dirty = False
_story: Story | None = None
_pages: list[RenderedPage] | list[PagePlan] = []  # plans when a Background renders them
_background: Background | None = None
_built: dict[str, str] = {}  # `serve --dirty`: the Markdown of each generated page in the last build
_built_story: Story | None = None  # and the story it was rendered from


def on_startup(command: str, dirty: bool) -> None:
    global _serving, _dirty
    _serving, _dirty = command == "serve", dirty


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _story
    if not config.use_directory_urls:
        raise PluginError("explainer needs 'use_directory_urls: true' in mkdocs.yml: its pages live at /incidents/<id>/ and so on")
    folder = content_folder(config)
    if str(folder) not in config.watch:
        config.watch.append(str(folder))
    try:
        # A preview reads again only the files that changed since the last good story.
        _story = load_story(folder, _story if _serving and _story and _story.folder == folder else None)
    except ContentError as error:
        if not (_serving and _story):
            raise PluginError(str(error)) from None
        # A preview keeps showing the last good story rather than a stuck or empty site.
        log.error(f"{error}\nStill showing the last version without errors.")
        return config
    for warning in lint(_story):
        log.info(str(warning))  # likely mistakes, not errors: `--strict` must not fail on them
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    global _pages, _background
    assert _story is not None, "on_config loads the story first"
    # A preview renders in its own process, beside the server's threads; with --dirty,
    # only the pages an edit may have changed.
    if _dirty:
        _pages = rerender(_story, _built_story, _pages) if _built_story else render_site(_story, noting=True)
    elif _serving or not background.available():
        _pages = render_site(_story)
    else:
        _pages = plan_site(_story)
        _background = Background(_story, _pages, _site(config), Path(config.site_dir))


def on_files(files: Files, config: MkDocsConfig) -> Files:
    edit_uri = _edit_uris(config)
    _use_story_pages(files, config, edit_uri)
    for page in _pages:
        if files.get_file_from_path(page.src_uri) is not None:
            raise PluginError(f"{config.docs_dir}/{page.src_uri} has the address of a generated page: rename or delete it")
        inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
        if isinstance(page, PagePlan):  # its Markdown arrives in on_pre_page
            file = File.generated(config, page.src_uri, content="", inclusion=inclusion)
        else:
            file = File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion)
            if _dirty and _built.get(page.src_uri) == page.markdown:
                # `serve --dirty`: MkDocs converts and writes only the pages an edit changed.
                file.is_modified = _unchanged  # type: ignore[method-assign]
        file.edit_uri = edit_uri(page.source)
        files.append(file)
    # Generated, rather than written after the build, so that links to them are checked.
    exports = _background.exports() if _background else export_files(_story, _site(config))
    for src_uri, content in exports.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"{config.docs_dir}/{src_uri} has the address of a generated data file: rename or delete it")
        files.append(File.generated(config, src_uri, content=content))
    return files


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    if _background is not None and _background.renders(page.file.src_uri):
        try:
            page.file.content_string = _background.markdown(page.file.src_uri)
        except BackgroundError as error:
            raise PluginError(f"rendering the story's pages failed:\n{error}") from None
    return page


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Hand-written pages get glossary links as generated pages do (those have theirs)."""
    if page.file.generated_by is not None or _story is None:
        return html
    return link_terms(html, PageView(_story, page.url).prose)


def on_page_context(context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
    """Open Graph tags and JSON-LD for the page, printed by site_src/overrides/main.html."""
    title, description = (str(page.meta.get(key) or "") for key in ("title", "description"))
    facts = PageFacts(page.file.src_uri, page.url, title or page.title or "", description, page.canonical_url, page.is_homepage)
    context["explainer_head"] = page_head(_story, facts, _site(config))
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    output = _with_policy(output, page.content or "", page.meta)
    if _background is not None:
        _background.page_built(page.file.abs_dest_path)
    return output


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return _with_policy(output_content) if template_name.endswith(".html") else output_content  # 404.html, not sitemap.xml


def _with_policy(html: str, content: str = "", front_matter: dict | None = None) -> str:
    if _serving:
        return csp.without_policy(html)  # the preview's live-reload script is inline
    try:
        return csp.with_policy(html, content, front_matter)
    except ValueError as error:
        raise PluginError(str(error)) from None


def on_post_build(config: MkDocsConfig) -> None:
    global _built, _built_story, _background
    if _dirty:
        _built = {page.src_uri: page.markdown for page in _pages if isinstance(page, RenderedPage)}
        _built_story = _story
        return  # a partial preview: links into pages left as they were are not worth a full check
    if _background is not None:
        try:
            broken = _background.broken_links()
        except BackgroundError as error:
            raise PluginError(f"the link check failed:\n{error}") from None
        _background = None
    else:
        broken = links.broken_links(Path(config.site_dir))
    if not broken:
        return
    message = f"broken links in the built site ({len(broken)}):\n" + "\n".join(broken)
    if _serving:
        log.error(message)  # the preview keeps running, the links stay visible to fix
    else:
        raise PluginError(message)


def on_shutdown() -> None:
    global _background
    if _background is not None:  # the build failed before its end
        _background.stop()
        _background = None


def _unchanged() -> bool:
    return False


def _use_story_pages(files: Files, config: MkDocsConfig, edit_uri: Callable[[Path | None], str | None]) -> None:
    """A story folder with its own `pages/` brings its own hand-written pages (home, about):
    they replace the docs folder's, whose links fit only the story they were written for."""
    folder = content_folder(config) / STORY_PAGES
    if not folder.is_dir():
        return
    for file in files.documentation_pages():
        files.remove(file)
    for path in sorted(folder.rglob("*.md")):
        file = File(path.relative_to(folder).as_posix(), src_dir=str(folder), dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls)
        file.edit_uri = edit_uri(path)
        files.append(file)


def _site(config: MkDocsConfig) -> Site:
    return Site(config.site_name, config.site_description or "", config.site_url)


def content_folder(config: MkDocsConfig) -> Path:
    """The story's folder: `extra.explainer.content` (EXPLAINER_CONTENT), relative to mkdocs.yml."""
    configured = config.extra.get("explainer", {}).get("content") or "content"
    return (Path(config.config_file_path).parent / configured).resolve()


def _edit_uris(config: MkDocsConfig) -> Callable[[Path | None], str | None]:
    """The edit URI of a page from its source file: that file relative to docs_dir, where it
    lives in the repository. A file outside the project (a story elsewhere) has none. The
    story's files are under its resolved folder (content_folder): resolving each of ten
    thousand again would take a fifth of a second."""
    project = Path(config.config_file_path).parent.resolve()
    docs = Path(config.docs_dir).resolve()

    def edit_uri(source: Path | None) -> str | None:
        if source is None or not source.is_relative_to(project):
            return None
        return Path(os.path.relpath(source, docs)).as_posix()

    return edit_uri
