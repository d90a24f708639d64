"""The content folder: where a story's files are, and how the folder is laid out.

The folder is `extra.explainer.content` of mkdocs.yml (which reads `EXPLAINER_CONTENT`),
relative to the folder mkdocs.yml is in. The build and every command ask `content_folder`,
so they always read the same story.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag

from explainer.content.reader import SafeLoader

KINDS = ("actors", "incidents", "statements", "glossary", "sources")  # a folder each
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # an entity's id is its file name
YAML_SUFFIXES = (".yml", ".yaml")
STORY_FILE = "story.yml"  # the story itself: title, standfirst, key facts, newsroom
STORY_PAGES = "pages"  # optional: the story's own hand-written Markdown pages
MEDIA = "media"  # the story's pictures
DEFAULT = "content"


class _ConfigLoader(SafeLoader):
    """Reads mkdocs.yml without MkDocs: `!ENV` as MkDocs resolves it, any other tag as nothing."""


_ConfigLoader.add_constructor("!ENV", construct_env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def content_folder(config_file: Path) -> Path:
    """The story folder that the build of `config_file` (a mkdocs.yml) reads, resolved.

    Without a mkdocs.yml, `EXPLAINER_CONTENT` or `content/`, relative to the folder where it
    would be."""
    configured: Any = None
    if config_file.is_file():
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
        configured = ((config.get("extra") or {}).get("explainer") or {}).get("content")
    else:
        configured = os.environ.get("EXPLAINER_CONTENT")
    return (config_file.absolute().parent / str(configured or DEFAULT)).resolve()
