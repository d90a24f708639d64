"""`explainer export-markdown OUT/`: the site as plain Markdown, for an engine without hooks.

MkDocs 1.x is unmaintained, MkDocs 2 drops plugins and hooks, and mkdocs-material has an end
of life. So that a story never depends on our hooks, this writes the docs folder exactly as the
hooked build sees it (every generated page as Markdown, beside the hand-written pages and
assets) into OUT/docs, and a mkdocs.yml without hooks, which a plain MkDocs, ProperDocs or
Zensical builds into the same set of pages.

The files come from MkDocs itself running our hooks up to its `files` event, so whatever the
hooks add or replace is exported as it is built, with no second copy of those rules here.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import get_files, set_exclusions
from mkdocs.structure.pages import Page
from mkdocs.utils.yaml import yaml_load

from explainer.content.folder import content_folder
from explainer.content.story import load_story
from explainer.site.languages import languages_of

DOCS = "docs"
OVERRIDES = "overrides"
HEADER = """\
# Written by `explainer export-markdown`: plain Markdown pages and no hooks, so that any
# engine that reads mkdocs.yml (MkDocs, ProperDocs, Zensical) builds the same site from it.
"""


def export_command(config_file: Path, out: Path) -> int:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(f"{out} is not an empty folder: export into a new or empty one", file=sys.stderr)
        return 1
    try:
        count = export_markdown(config_file, out)
    except MkDocsException as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{out}: {count} files in {DOCS}/ and a mkdocs.yml without hooks")
    others = languages_of(load_story(content_folder(config_file)))[1:]
    if others:
        folders = ", ".join(f"{language.code} in {DOCS}/{language.prefix}" for language in others)
        print(
            f"Every language is exported: {folders}. What only the hooks can give is not: an engine "
            "without them shows those pages with the theme's words in mkdocs.yml's language, the "
            "first language's nav and one search index for all, without hreflang links or a switcher."
        )
    return 0


def export_markdown(config_file: Path, out: Path) -> int:
    """Write OUT/docs, OUT/overrides (the theme's custom_dir, if any) and OUT/mkdocs.yml;
    return how many files went into OUT/docs."""
    docs, custom_dir = _hooked_docs(config_file)
    for src_uri, content in sorted(docs.items()):
        target = out / DOCS / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    if custom_dir is not None:
        shutil.copytree(custom_dir, out / OVERRIDES)
    with config_file.open("rb") as source:
        config = plain_config(yaml_load(source), has_overrides=custom_dir is not None)
    (out / "mkdocs.yml").write_text(
        HEADER + yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return len(docs)


def plain_config(config: dict[str, Any], has_overrides: bool) -> dict[str, Any]:
    """The project's mkdocs.yml (its `!ENV` values resolved) for the exported folder: no
    hooks, no story folder to watch or read, docs and theme overrides in their new places."""
    plain = {key: value for key, value in config.items() if key not in ("hooks", "watch")}
    plain["docs_dir"] = DOCS
    extra = {key: value for key, value in plain.pop("extra", {}).items() if key != "explainer"}
    if extra:
        plain["extra"] = extra
    theme = plain.get("theme")
    if isinstance(theme, dict):
        theme = {key: value for key, value in theme.items() if key != "custom_dir"}
        plain["theme"] = {**theme, "custom_dir": OVERRIDES} if has_overrides else theme
    return plain


def _hooked_docs(config_file: Path) -> tuple[dict[str, bytes], Path | None]:
    """The content of each docs file after every plugin and hook has run its `files` event
    (and its `pre_page` event for each page), as in a build, and the theme's custom_dir.
    Files excluded from the site (the theme overrides under docs_dir, drafts) are left out."""
    config = load_config(str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        files = config.plugins.on_files(get_files(config), config=config)
        set_exclusions(files, config)
        for file in files.documentation_pages():
            # MkDocs reads a page's Markdown after its pre_page event, when a hook may
            # still be writing it (ours do, in a second process).
            config.plugins.on_pre_page(Page(None, file, config), config=config, files=files)
        docs = {file.src_uri: file.content_bytes for file in files if not file.inclusion.is_excluded()}
    finally:
        config.plugins.on_shutdown()
    custom_dir = config.theme.custom_dir
    return docs, Path(custom_dir) if custom_dir else None
