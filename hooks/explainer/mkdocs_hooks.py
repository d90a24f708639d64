"""MkDocs event hooks: they only wire the story into a MkDocs (or ProperDocs) build.

The content is read, checked and rendered before MkDocs empties the output folder, so a
broken story stops the build with its list of problems and leaves the last site alone.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from .pages import RenderedPage, render_site
from .problems import ContentError
from .story import Story, load_story

_story: Story | None = None
_pages: list[RenderedPage] = []


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _story
    if not config.use_directory_urls:
        raise PluginError("explainer needs 'use_directory_urls: true' in mkdocs.yml: its pages live at /incidents/<id>/ and so on")
    folder = content_folder(config)
    if str(folder) not in config.watch:
        config.watch.append(str(folder))
    try:
        _story = load_story(folder)
    except ContentError as error:
        raise PluginError(str(error)) from None
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    global _pages
    assert _story is not None, "on_config loads the story first"
    _pages = render_site(_story)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for page in _pages:
        if files.get_file_from_path(page.src_uri) is not None:
            raise PluginError(f"{config.docs_dir}/{page.src_uri} has the address of a generated page: rename or delete it")
        inclusion = InclusionLevel.NOT_IN_NAV if page.source else InclusionLevel.UNDEFINED
        file = File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion)
        file.edit_uri = _edit_uri(page.source, config)
        files.append(file)
    return files


def content_folder(config: MkDocsConfig) -> Path:
    """The story's folder: `extra.explainer.content` (EXPLAINER_CONTENT), relative to mkdocs.yml."""
    configured = config.extra.get("explainer", {}).get("content") or "content"
    return (Path(config.config_file_path).parent / configured).resolve()


def _edit_uri(source: Path | None, config: MkDocsConfig) -> str | None:
    """The YAML file behind a page, relative to docs_dir, where it lives in the repository."""
    project = Path(config.config_file_path).parent.resolve()
    if source is None or not source.resolve().is_relative_to(project):
        return None
    return Path(os.path.relpath(source.resolve(), Path(config.docs_dir).resolve())).as_posix()
