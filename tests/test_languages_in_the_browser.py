"""Languages as readers meet them, in headless Chromium: the Russian search finds Russian pages
(stemmed), the switcher leads to the same page, Arabic pages read from the right on a phone and
on a desktop (screenshots in tests/screenshots/), and axe finds nothing on Russian or Arabic pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ROOT, Build, mkdocs_build
from test_a11y import axe, violations  # noqa: F401  (fixture)
from test_hardening import browser, load, real_address, serve_site  # noqa: F401  (fixtures)
from test_readers import at_width, png_width, screenshot

ARABIC = ROOT / "tests" / "fixtures" / "arabic"


@pytest.fixture(scope="module")
def arabic_address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    build: Build = mkdocs_build(ARABIC, tmp_path_factory.mktemp("arabic") / "site")
    assert build.result.returncode == 0, build.output
    with serve_site(build.site) as address:
        yield address


def search_results(driver, words: str) -> list[tuple[str, str]]:
    search = driver.find_element("css selector", "input.md-search__input")
    search.click()
    search.send_keys(words)
    # The results are drawn again after each key typed: read them once they have settled.
    return WebDriverWait(driver, 15, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: [
            (result.text, result.get_attribute("href") or "")
            for result in d.find_elements("css selector", ".md-search-result__item a")
        ]
    )


def test_a_russian_search_finds_russian_pages(browser, real_address: str) -> None:
    load(browser, real_address + "ru/")
    # «Искандер» is written in guillemets: lunr's Russian trimmer takes them off the words, as
    # its English one would take off every Cyrillic letter.
    results = search_results(browser, "искандер")
    assert len(results) >= 3 and all(href.startswith(real_address + "ru/") for _, href in results), results
    assert any("Искандер" in text for text, _ in results), results
    messages = browser.get_log("browser")
    assert not [m for m in messages if m["level"] == "SEVERE"], messages


def test_the_switcher_leads_to_the_same_page_in_the_other_language(browser, real_address: str) -> None:
    load(browser, real_address + "ru/incidents/embassy-strike-2025-07/")
    links = {
        link.get_attribute("hreflang"): link.get_attribute("href")
        for link in browser.find_elements("css selector", "a.md-select__link")
    }
    assert links == {
        "en": real_address + "incidents/embassy-strike-2025-07/",
        "ru": real_address + "ru/incidents/embassy-strike-2025-07/",
        "uk": real_address + "uk/incidents/embassy-strike-2025-07/",
    }


@pytest.mark.parametrize("width", [360, 1280])
def test_arabic_pages_read_from_the_right(browser, arabic_address: str, width: int) -> None:
    try:
        at_width(browser, width, arabic_address + "ar/incidents/port-attack/")
        assert browser.execute_script("return getComputedStyle(document.body).direction") == "rtl"
        at_width(browser, width, arabic_address + "ar/timeline/")
        # The timeline's line runs down the right.
        sides = browser.execute_script(
            "const s = getComputedStyle(document.querySelector('ul.explainer-timeline'));"
            "return [s.borderLeftWidth, s.borderRightWidth];"
        )
        assert sides[0] == "0px" and sides[1] != "0px", sides
        assert browser.execute_script("return document.documentElement.scrollWidth <= innerWidth"), width
        assert png_width(screenshot(browser, f"arabic-timeline-{width}")) == width
        at_width(browser, width, arabic_address + "ar/incidents/port-attack/")
        assert png_width(screenshot(browser, f"arabic-incident-{width}")) == width
        at_width(browser, width, arabic_address + "ar/")
        assert png_width(screenshot(browser, f"arabic-front-{width}")) == width
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_of_the_russian_front_page(browser, real_address: str, width: int) -> None:
    try:
        at_width(browser, width, real_address + "ru/")
        assert browser.execute_script("return document.documentElement.lang") == "ru"
        assert png_width(screenshot(browser, f"russian-front-{width}")) == width
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


RUSSIAN_PAGES = ["ru/", "ru/timeline/", "ru/incidents/embassy-strike-2025-11-14/", "ru/statements/russia-mfa-patriot/"]
ARABIC_PAGES = ["ar/", "ar/timeline/", "ar/incidents/port-attack/", "ar/statements/berg-accusation/", "ar/data/"]


def axe_at(driver, address: str, width: int, axe: str) -> list[str]:  # noqa: F811  (axe is the script)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    try:
        load(driver, address)
        return violations(driver, axe)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("url", RUSSIAN_PAGES)
def test_no_accessibility_violations_in_russian(browser, real_address: str, axe: str, url: str, width: int) -> None:  # noqa: F811
    found = axe_at(browser, real_address + url, width, axe)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("url", ARABIC_PAGES)
def test_no_accessibility_violations_in_arabic(browser, arabic_address: str, axe: str, url: str, width: int) -> None:  # noqa: F811
    found = axe_at(browser, arabic_address + url, width, axe)
    assert found == [], "\n".join(found)
