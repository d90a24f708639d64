"""The package's rule of direction, read from every module's imports: content imports nothing
above it, site never imports the engine, and only the engine and the commands that build
import MkDocs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "hooks" / "explainer"
# Lowest first: a layer may import the layers before it, never one after it.
LAYERS = ("content", "site", "data", "engine", "commands")
ENGINES = ("mkdocs", "properdocs")
BUILDS = {"engine", "commands.export_markdown"}  # where importing MkDocs is allowed


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if path.name != "__init__.py")


def _name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, absolute (`explainer.site.urls`, `mkdocs.plugins`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{_name(path)}: relative import; the layers read best as absolute imports"
            found.add(node.module or "")
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "explainer" and parts[1] in LAYERS else None


def test_every_module_is_in_a_layer() -> None:
    stray = [
        _name(path)
        for path in _modules()
        if path.parent != PACKAGE and path.relative_to(PACKAGE).parts[0] not in LAYERS
    ]
    loose = [_name(path) for path in _modules() if path.parent == PACKAGE and path.name != "__main__.py"]
    assert not stray and not loose, f"modules outside the layers {LAYERS}: {stray + loose}"


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_imports_follow_the_direction(path: Path) -> None:
    own = _name(path).split(".")[0]
    if own not in LAYERS:
        return  # __main__ only calls the command line
    upward = sorted(
        module for module in _imports(path) if (layer := _layer(module)) and LAYERS.index(layer) > LAYERS.index(own)
    )
    assert not upward, f"{_name(path)} ({own}) imports a layer above it: {upward}"


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_only_the_builds_import_mkdocs(path: Path) -> None:
    name = _name(path)
    engines = sorted(module for module in _imports(path) if module.split(".")[0] in ENGINES)
    if name.split(".")[0] in BUILDS or name in BUILDS:
        return
    assert not engines, f"{name} imports {engines}: only {sorted(BUILDS)} may"


def test_the_rule_catches_a_breach(tmp_path: Path) -> None:
    breach = tmp_path / "breach.py"
    breach.write_text("from explainer.engine.mkdocs_hooks import on_config\nimport mkdocs.plugins\n", encoding="utf-8")
    assert {"explainer.engine.mkdocs_hooks", "mkdocs.plugins"} <= _imports(breach)
    assert _layer("explainer.engine.mkdocs_hooks") == "engine" and LAYERS.index("engine") > LAYERS.index("content")
