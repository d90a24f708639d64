"""Accessibility: axe-core runs in Debian's headless Chromium on a page of every kind a reader
meets in the real story, on a phone and on a desktop, and any violation fails.

axe-core is the npm package pinned in tests/axe/package-lock.json, which tests/run installs
with `npm ci`; the browser is the system's, so nothing is downloaded at test time. Its rules
cover WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best practices.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import REAL_CONTENT, ROOT, originals
from test_hardening import browser, load, real_address, serve_site  # noqa: F401  (fixtures)

AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def busiest(kind: str, field: str) -> str:
    """The id of the entity of `kind` that most statements name in `field`: the fullest page."""
    counts: dict[str, int] = {path.stem: 0 for path in originals(REAL_CONTENT / kind)}
    for path in originals(REAL_CONTENT / "statements"):
        named = yaml.safe_load(path.read_text(encoding="utf-8")).get(field)
        for id in [named] if isinstance(named, str) else named or []:
            counts[id] += 1
    return max(sorted(counts), key=counts.__getitem__)


def a_statement() -> str:
    """A statement that answers another: its page shows both."""
    return next(
        path.stem
        for path in originals(REAL_CONTENT / "statements")
        if yaml.safe_load(path.read_text(encoding="utf-8")).get("responds_to")
    )


PAGES = [
    "",
    "timeline/",
    "timeline/?kind=statements",
    "who-said-what/",
    f"incidents/{busiest('incidents', 'about')}/",
    f"statements/{a_statement()}/",
    f"actors/{busiest('actors', 'speaker')}/",
    "glossary/",
    f"glossary/{sorted(path.stem for path in (REAL_CONTENT / 'glossary').glob('*.yml'))[0]}/",
    "sources/",
    "corrections/",
    "map/",
    "actors/",
    "about/",
]


@pytest.fixture(scope="module")
def axe() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: bash tests/run installs axe-core with npm")
    return AXE.read_text(encoding="utf-8")


def violations(driver, axe: str) -> list[str]:
    """Every axe violation on the page open in `driver`, one line each with where it is."""
    driver.execute_script(axe)
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(result => done(result.violations), error => done(String(error)));"
    )
    assert isinstance(result, list), result
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} at {node['target']}: {node.get('failureSummary', '')}"
        for rule in result
        for node in rule["nodes"]
    ]


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("url", PAGES)
def test_no_accessibility_violations(browser, real_address: str, axe: str, url: str, width: int) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    try:
        load(browser, real_address + url)
        found = violations(browser, axe)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert found == [], "\n".join(found)


def test_axe_finds_a_violation_when_there_is_one(browser, axe: str, tmp_path: Path) -> None:
    """The check can fail: a page with an image without a text alternative and an unlabelled
    field is reported."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>Bad</title></head><body><main><h1>Bad</h1>'
        '<img src="x.png"><input type="text"></main></body></html>',
        encoding="utf-8",
    )
    with serve_site(tmp_path) as address:
        load(browser, address)
        found = violations(browser, axe)
    assert any(line.startswith("image-alt") for line in found) and any(line.startswith("label") for line in found), (
        found
    )
