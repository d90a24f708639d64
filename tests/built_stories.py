"""The stories that test_exports.py and test_seo.py build, and their YAML read with PyYAML,
so that expected values never come from the code under test."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REAL_CONTENT, ROOT, Build, mkdocs_build, originals
from explainer.content.model import KINDS
from html_reading import ids, read

FIXTURES = ROOT / "tests" / "fixtures"


@dataclass
class BuiltStory:
    story: dict[str, dict[str, dict[str, Any]]]  # kind -> id -> the YAML mapping
    site: Path

    def data(self, name: str) -> Any:
        return json.loads((self.site / "data" / name).read_text(encoding="utf-8"))

    def rows(self, kind: str) -> list[dict[str, str]]:
        with (self.site / "data" / f"{kind}.csv").open(encoding="utf-8", newline="") as file:
            return list(csv.DictReader(file))

    def serves(self, url: str) -> bool:
        """Whether an address in the data leads to a page, and to the anchor it names."""
        path, _, anchor = url.removeprefix(self.data("explainer.json")["site_url"] or "").partition("#")
        page = self.site / path / "index.html"
        return page.is_file() and (not anchor or anchor in ids(read(page)))

    def entity(self, url: str) -> tuple[str, str, dict[str, Any]] | None:
        """The kind, id and YAML of the entity whose page is at `url`, if it is one's page."""
        kind, _, rest = url.partition("/")
        id = rest.removesuffix("/")
        typed = self.story.get(kind, {}).get(id)
        return (kind, id, typed) if typed is not None and "/" not in id else None


def read_yaml(folder: Path) -> dict[str, dict[str, dict[str, Any]]]:
    return {
        kind: {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in originals(folder / kind)}
        for kind in KINDS
    }


def fold(value: Any) -> str:
    return " ".join(str(value).split())


@pytest.fixture(scope="module", params=["real", "minimal", "hostile"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BuiltStory:
    """The real story (built once for the session) and the two fixture stories."""
    if request.param == "real":
        build: Build = request.getfixturevalue("real_site")
        return BuiltStory(read_yaml(REAL_CONTENT), build.site)
    folder = FIXTURES / request.param
    build = mkdocs_build(folder, tmp_path_factory.mktemp(request.param) / "site")
    assert build.result.returncode == 0, build.output
    return BuiltStory(read_yaml(folder), build.site)
