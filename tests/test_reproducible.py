"""Reproducible builds: the same commit gives the same bytes, whatever the hash seed or the
output folder, and SOURCE_DATE_EPOCH (CI sets it to the last commit's time) dates the site."""

from __future__ import annotations

import gzip
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import REAL_CONTENT, Build, mkdocs_build, write_story
from html_reading import parse

EPOCH = 1_700_000_000
SITE_URL = "https://example.org/story/"  # a sitemap lists pages, with dates, only under a site_url
DAY = datetime.fromtimestamp(EPOCH, UTC).date()
# Added to the real story so that its lists are long enough for a hash seed to reorder them:
# a statement citing five sources and naming several glossary terms.
EXTRA = {
    **{
        f"sources/agency-{letter}.yml": f"title: Report {letter.upper()}\npublisher: Agency {letter.upper()}\nurl: https://example.org/{letter}\n"
        for letter in "abcd"
    },
    "statements/ukraine-air-defence.yml": """
        speaker: ukraine
        date: "2025-12-01"
        summary: >-
          Ukraine said no Patriot missile was fired near the embassy, that an Iskander hit it,
          and that its air defence logged the strike before any summoning of envoys.
        about: [embassy-strike-2025-08, embassy-strike-2025-11-14]
        attributes_to: [russia]
        sources: [agency-d, agency-b, euronews-aliyev-munich-2026, agency-a, agency-c]
        """,
}


def build(content: Path, site: Path, hash_seed: str) -> Build:
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("PYTHONHASHSEED", hash_seed)
        environment.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        environment.setenv("EXPLAINER_SITE_URL", SITE_URL)
        built = mkdocs_build(content, site)
    assert built.result.returncode == 0, built.output
    return built


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Build]:
    story = tmp_path_factory.mktemp("story") / "content"
    shutil.copytree(REAL_CONTENT, story)  # the home page links to its pages
    write_story(story, {"story.yml": None, **EXTRA})
    return tuple(
        build(story, tmp_path_factory.mktemp(name) / "site", seed) for name, seed in (("one", "1"), ("two", "2"))
    )


def test_two_builds_are_byte_identical_whatever_the_hash_seed_and_folder(two_builds):
    one, two = (tree(built.site) for built in two_builds)
    assert "incidents/embassy-strike-2025-08/index.html" in one and "sitemap.xml.gz" in one
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


def test_source_date_epoch_dates_every_page_in_the_sitemap(two_builds):
    site = two_builds[0].site
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    # Embeds are for other sites' iframes: not in the sitemap.
    pages = [path for path in site.rglob("index.html") if path.parent != site / "search" and "embed" not in path.parts]
    entries = parse(sitemap)
    assert [lastmod.text() for lastmod in entries.find_all("lastmod")] == [DAY.isoformat()] * len(pages)
    assert f"{SITE_URL}incidents/embassy-strike-2025-08/" in [loc.text() for loc in entries.find_all("loc")]


def test_the_compressed_sitemap_carries_the_same_date(two_builds):
    site = two_builds[0].site
    compressed = (site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(compressed) == (site / "sitemap.xml").read_bytes()
    modified = int.from_bytes(compressed[4:8], "little")  # the gzip header's MTIME field
    assert datetime.fromtimestamp(modified, UTC).date() == DAY
