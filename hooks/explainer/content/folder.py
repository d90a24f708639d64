"""Where things are, as mkdocs.yml says, read without loading MkDocs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

PROJECT = Path(__file__).resolve().parents[3]  # hooks/explainer/content/ → the repository
GUIDE = PROJECT / "CONTRIBUTING.md"


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: `!ENV` as MkDocs resolves it, any other tag as nothing."""


def _environment_value(loader: _ConfigLoader, node: yaml.Node) -> Any:
    """As pyyaml_env_tag: the first variable set wins; a sequence's last item is the default."""
    if isinstance(node, yaml.SequenceNode) and len(node.value) > 1:
        names, default = [loader.construct_scalar(item) for item in node.value[:-1]], loader.construct_object(node.value[-1])
    else:
        names, default = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else [], None
    return next((os.environ[name] for name in names if name in os.environ), default)


_ConfigLoader.add_constructor("!ENV", _environment_value)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def configured_content_folder(config_file: Path) -> Path | None:
    """`extra.explainer.content` of a mkdocs.yml, relative to it; None if it has none."""
    if not config_file.is_file():
        return None
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    configured = ((config.get("extra") or {}).get("explainer") or {}).get("content")
    return config_file.parent / configured if configured else None
