"""Stories in several languages: translation files and their errors, pages under /<lang>/ with
their language's words, direction, search and links to the other languages, and the report."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REAL_CONTENT, ROOT, Build, mkdocs_build, write_story
from explainer.content.localized import localized, translation_report
from explainer.content.problems import ContentError
from explainer.content.story import load_story
from explainer.content.translations import fingerprint
from explainer.site.per_language import EMPTY_SITEMAP
from html_reading import read

FIXTURES = ROOT / "tests" / "fixtures"

STORY = """\
title: The harbour story
standfirst: A story in two languages.
languages: [en, ru]
"""
FILES = {
    "story.yml": STORY,
    "actors/anna-berg.yml": "name: Anna Berg\nkind: person\nrole: Mayor\n",
    "actors/port-authority.yml": "name: Port Authority\nkind: institution\n",
    "sources/gazette.yml": "title: Harbour news\npublisher: The Gazette\nurl: https://example.org/a\n",
    "incidents/port-fire.yml": """\
        title: Fire at the port
        date: 2025-11-14
        summary: A fire broke out, [[sources/gazette|the Gazette]] reports.
        damage: Two cranes burned.
        status: disputed
        sources: [gazette]
        """,
    "statements/berg-blames.yml": """\
        speaker: anna-berg
        date: 2025-11
        quote: the fire was set on purpose
        quote_language: ru
        quote_original: пожар устроили намеренно
        summary: Berg said the fire was set on purpose.
        about: [port-fire]
        sources: [gazette]
        """,
    "statements/authority-answers.yml": """\
        speaker: port-authority
        date: 2025-12
        quote: an accident
        summary: The authority called it an accident.
        sources: [gazette]
        """,
    "story.ru.yml": "title: История гавани\nstandfirst: История на двух языках.\n",
    "actors/anna-berg.ru.yml": "name: Анна Берг\nrole: Мэр\n",
    "incidents/port-fire.ru.yml": """\
        title: Пожар в порту
        summary: Начался пожар, сообщает [[sources/gazette|газета]].
        """,
    "statements/berg-blames.ru.yml": "summary: Берг заявила, что пожар устроили намеренно.\n",
    "statements/authority-answers.ru.yml": """\
        quote: несчастный случай
        summary: Власти назвали это несчастным случаем.
        """,
}


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as raised:
        load_story(folder)
    return [str(problem) for problem in raised.value.problems]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("incidents/port-fire.ru.yml", "titel: Пожар\n", "incidents/port-fire.ru.yml:1:1: unknown key 'titel'"),
        (
            "incidents/port-fire.ru.yml",
            "title: Пожар\ndate: 2025-11-15\n",
            "incidents/port-fire.ru.yml:2:1: 'date' cannot be translated",
        ),
        ("incidents/port-fire.fr.yml", "title: Feu\n", "incidents/port-fire.fr.yml:1:1: 'port-fire.fr.yml' is a"),
        ("incidents/no-such.ru.yml", "title: Пожар\n", "translates incidents/no-such, which does not exist"),
        ("incidents/port-fire.en.yml", "title: Fire\n", "'en' is the language the story is written in"),
        (
            "incidents/port-fire.ru.yml",
            "summary: Сказал [[actors/nobody]].\n",
            "incidents/port-fire.ru.yml:1:10: unknown actor 'nobody' in 'summary'",
        ),
        ("sources/gazette.ru.yml", "translator: Someone\n", "are cited as published and have no translation"),
        ("story.ru.yml", "title: [a, list]\n", "story.ru.yml:1:8: 'title' must be text, not a list"),
    ],
)
def test_a_broken_translation_is_an_error_at_its_line(tmp_path: Path, name: str, text: str, expected: str) -> None:
    folder = write_story(tmp_path / "story", {**FILES, name: text})
    problems = problems_of(folder)
    assert any(expected in problem for problem in problems), problems


def test_languages_must_be_language_codes(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "story", {**FILES, "story.yml": STORY.replace("[en, ru]", "[en, russian]")})
    assert any("story.yml:3:" in problem and "'russian'" in problem for problem in problems_of(folder))


def test_the_report_counts_translated_missing_and_stale(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "story", FILES)
    story = load_story(folder)
    (report,) = translation_report(story)
    assert report.language == "ru"
    assert len(report.translated) == 5  # story.yml, anna-berg, port-fire, both statements
    # port-authority has no translation; port-fire leaves out its damage
    assert "actors/port-authority.yml" in report.missing
    assert any(line.startswith("incidents/port-fire.ru.yml: damage") for line in report.missing)
    assert len(report.stale) == 5  # none of them says which words it was made from


def test_validate_prints_the_report_and_strict_fails_on_it(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "story", FILES)
    command = [sys.executable, "-m", "explainer", "validate", str(folder)]
    loose = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    strict = subprocess.run([*command, "--strict"], capture_output=True, text=True, cwd=ROOT)
    assert loose.returncode == 0, loose.stderr
    assert "ru: 5 translated, 2 missing, 5 stale" in loose.stdout
    assert "missing: " in loose.stdout and "port-authority.yml" in loose.stdout
    assert strict.returncode == 1


def test_a_translation_made_from_the_current_words_is_not_stale(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "story", FILES)
    original = load_story(folder).get("actors", "anna-berg")
    print_ = fingerprint(original.fields, "actors")
    (folder / "actors/anna-berg.ru.yml").write_text(f"name: Анна Берг\nrole: Мэр\ntranslated_from: {print_}\n")
    (report,) = translation_report(load_story(folder))
    assert folder / "actors/anna-berg.ru.yml" not in [path for path, _ in report.stale]
    (folder / "actors/anna-berg.yml").write_text("name: Anna Berg\nkind: person\nrole: Former mayor\n")
    (report,) = translation_report(load_story(folder))
    assert folder / "actors/anna-berg.ru.yml" in [path for path, _ in report.stale]


def test_new_translation_writes_the_originals_words_to_translate(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "story", FILES)
    (folder / "incidents/port-fire.ru.yml").unlink()
    command = [sys.executable, "-m", "explainer", "new", "translation", "incidents/port-fire", "ru"]
    result = subprocess.run([*command, "--content", str(folder)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    written = (folder / "incidents/port-fire.ru.yml").read_text(encoding="utf-8")
    assert "# Fire at the port" in written and "# Two cranes burned." in written
    assert "$schema=" in written and "incidents.translation.schema.json" in written
    # Every key to translate is written without its value, so validate names each one.
    assert any("'title' has no value" in problem for problem in problems_of(folder))


# --- the built site ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_languages(tmp_path_factory: pytest.TempPathFactory) -> Build:
    folder = write_story(tmp_path_factory.mktemp("story") / "story", FILES)
    site = tmp_path_factory.mktemp("site") / "site"
    os.environ["EXPLAINER_SITE_URL"] = "https://example.org/harbour/"
    try:
        build = mkdocs_build(folder, site)
    finally:
        del os.environ["EXPLAINER_SITE_URL"]
    assert build.result.returncode == 0, build.output
    return build


def test_each_language_has_every_page_at_the_same_path(two_languages: Build) -> None:
    english = {path.relative_to(two_languages.site) for path in two_languages.site.rglob("index.html")}
    russian = {path.relative_to(two_languages.site / "ru") for path in (two_languages.site / "ru").rglob("index.html")}
    assert {path for path in english if path.parts[0] not in ("ru",)} == russian


def test_a_page_says_its_language_and_links_to_the_others(two_languages: Build) -> None:
    page = read(two_languages.site / "ru/incidents/port-fire/index.html")
    assert page.find("html").attrs["lang"] == "ru"
    assert page.find("body").attrs["dir"] == "ltr"
    alternates = {
        link.attrs["hreflang"]: link.attrs["href"]
        for link in page.find_all("link")
        if link.attrs.get("rel") == "alternate" and "hreflang" in link.attrs  # not the feeds
    }
    assert alternates == {
        "en": "https://example.org/harbour/incidents/port-fire/",
        "ru": "https://example.org/harbour/ru/incidents/port-fire/",
        "x-default": "https://example.org/harbour/incidents/port-fire/",
    }
    switcher = {link.attrs["hreflang"]: link.attrs["href"] for link in page.find_all("a", "md-select__link")}
    assert switcher["en"] == "https://example.org/harbour/incidents/port-fire/"
    locale = [meta.attrs["content"] for meta in page.find_all("meta") if meta.attrs.get("property") == "og:locale"]
    assert locale == ["ru_RU"]


def test_translated_words_dates_and_the_theme_are_in_the_pages_language(two_languages: Build) -> None:
    html = two_languages.html("ru/incidents/port-fire/")
    assert "Пожар в порту" in html
    assert "14 ноября 2025" in html
    assert 'href="../../actors/anna-berg/"' in two_languages.html("ru/statements/berg-blames/")
    assert "Анна Берг" in two_languages.html("ru/statements/berg-blames/")
    assert "Поиск" in html  # Material's own words, in Russian


def test_words_a_translation_leaves_out_are_marked_as_the_originals(two_languages: Build) -> None:
    page = read(two_languages.site / "ru/incidents/port-fire/index.html")
    english = [element for element in page.iter() if element.attrs.get("lang") == "en"]
    assert any("Two cranes burned." in element.text() for element in english)
    # An actor without a translation is named in English wherever it is linked.
    answers = read(two_languages.site / "ru/statements/authority-answers/index.html")
    assert any(link.attrs.get("lang") == "en" and link.text() == "Port Authority" for link in answers.find_all("a"))


def test_a_quote_is_never_shown_as_said_in_a_language_it_was_not_said_in(two_languages: Build) -> None:
    english = read(two_languages.site / "statements/berg-blames/index.html")
    russian = read(two_languages.site / "ru/statements/berg-blames/index.html")
    # In English the words are a translation from Russian, and the words as said are a click away.
    assert "Translated from Russian" in english.text()
    original = [element for element in english.iter() if element.attrs.get("lang") == "ru"]
    assert any("пожар устроили намеренно" in element.text() for element in original)
    # In Russian, the words as said, with no label.
    quote = russian.find("blockquote")
    assert quote is not None and "пожар устроили намеренно" in quote.text()
    assert "Translated" not in quote.text() and "Перевод" not in quote.text()


def test_each_language_has_its_own_search_index(two_languages: Build) -> None:
    english = json.loads((two_languages.site / "search/search_index.json").read_text(encoding="utf-8"))
    russian = json.loads((two_languages.site / "ru/search/search_index.json").read_text(encoding="utf-8"))
    assert russian["config"]["lang"] == ["ru"] and "trimmer" in russian["config"]["pipeline"]
    assert not any(doc["location"].startswith("ru/") for doc in english["docs"])
    assert any(doc["title"] == "Пожар в порту" for doc in russian["docs"])
    assert not any("Fire at the port" == doc["title"] for doc in russian["docs"])


def test_the_sitemap_lists_the_alternates(two_languages: Build) -> None:
    sitemap = (two_languages.site / "sitemap.xml").read_text(encoding="utf-8")
    assert 'hreflang="ru" href="https://example.org/harbour/ru/incidents/port-fire/"' in sitemap
    assert 'hreflang="x-default" href="https://example.org/harbour/incidents/port-fire/"' in sitemap


def test_an_empty_sitemap_answers_the_theme_beside_every_page_but_the_language_roots(
    two_languages: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second process writes them as the pages come; a one-core build after the last page."""
    monkeypatch.setenv("EXPLAINER_SITE_URL", "https://example.org/harbour/")
    one_core = mkdocs_build(write_story(tmp_path / "story", FILES), tmp_path / "site", one_core=True)
    assert one_core.result.returncode == 0, one_core.output
    for site in (two_languages.site, one_core.site):
        pages = {page.parent for page in site.rglob("index.html")} - {site, site / "ru"}
        assert pages and all((page / "sitemap.xml").read_text(encoding="utf-8") == EMPTY_SITEMAP for page in pages)
        for root in (site, site / "ru"):
            assert "<loc>" in (root / "sitemap.xml").read_text(encoding="utf-8")


def test_the_open_data_has_every_language(two_languages: Build) -> None:
    data = json.loads((two_languages.site / "data/explainer.json").read_text(encoding="utf-8"))
    assert data["languages"] == ["en", "ru"]
    (fire,) = [item for item in data["translations"]["ru"]["incidents"] if item["id"] == "port-fire"]
    assert fire["title"] == "Пожар в порту" and fire["damage"] is None and fire["stale"] is True
    ld = next(
        element
        for element in read(two_languages.site / "ru/incidents/port-fire/index.html").find_all("script")
        if element.attrs.get("type") == "application/ld+json"
    )
    assert json.loads(ld.text())["inLanguage"] == "ru"


def test_a_broken_translation_leaves_the_last_site_as_it_was(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "story", FILES)
    site = tmp_path / "site"
    assert mkdocs_build(folder, site).result.returncode == 0
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    (folder / "incidents/port-fire.ru.yml").write_text("title: Пожар\ndate: 2025-01-01\n", encoding="utf-8")
    failed = mkdocs_build(folder, site)
    assert failed.result.returncode != 0
    assert "port-fire.ru.yml:2:1: 'date' cannot be translated" in failed.output
    assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file()} == before


def test_hostile_words_in_a_translation_are_text(tmp_path: Path) -> None:
    hostile = '<script>alert(1)</script> {{ config }} {% raw %} --8<-- "x" [[actors/anna-berg|<b>x</b>]]'
    files = {**FILES, "incidents/port-fire.ru.yml": f"title: {json.dumps(hostile)}\nsummary: {json.dumps(hostile)}\n"}
    build = mkdocs_build(write_story(tmp_path / "story", files), tmp_path / "site")
    assert build.result.returncode == 0, build.output
    page = read(build.site / "ru/incidents/port-fire/index.html")
    scripts = [script for script in page.find_all("script") if script.attrs.get("type") != "application/ld+json"]
    assert not [script for script in scripts if "alert" in script.text()]
    assert not page.find_all("b")
    assert "<script>alert(1)</script>" in page.text()


def test_the_first_story_is_in_russian_and_ukrainian(real_site: Build) -> None:
    story = yaml.safe_load((REAL_CONTENT / "story.yml").read_text(encoding="utf-8"))
    assert story["languages"] == ["en", "ru", "uk"]
    for language in ("ru", "uk"):
        translated = yaml.safe_load((REAL_CONTENT / f"story.{language}.yml").read_text(encoding="utf-8"))
        front = read(real_site.site / language / "index.html")
        assert front.find("html").attrs["lang"] == language
        assert translated["title"] in front.text()
        # No editor has reviewed the draft: every page of the language says so.
        for page in ("index.html", "timeline/index.html", "incidents/embassy-strike-2025-07/index.html"):
            banner = read(real_site.site / language / page).find_all("p", "explainer-banner")
            assert banner and translated["translator"] in banner[0].text()
    quote = read(real_site.site / "ru/statements/russia-mfa-patriot/index.html")
    # The ministry spoke Russian; the story has Euronews' English: the Russian is labelled a translation.
    assert quote.find_all(cls="explainer-quote__translated")


def test_arabic_pages_read_right_to_left(tmp_path: Path) -> None:
    build = mkdocs_build(FIXTURES / "arabic", tmp_path / "site")
    assert build.result.returncode == 0, build.output
    page = read(build.site / "ar/incidents/port-attack/index.html")
    assert page.find("html").attrs["lang"] == "ar"
    assert page.find("body").attrs["dir"] == "rtl"
    english = read(build.site / "incidents/port-attack/index.html")
    assert english.find("body").attrs["dir"] == "ltr"
    # The timeline overview runs from the right, in Arabic.
    chart = read(build.site / "ar/index.html").find("div", "explainer-chart")
    assert chart is not None and chart.attrs["dir"] == "rtl"
    assert read(build.site / "index.html").find("div", "explainer-chart").attrs["dir"] == "ltr"


@pytest.mark.parametrize("edited", ["statements/russia-mfa-patriot.ru.yml", "actors/ilham-aliyev.yml"])
def test_a_story_read_again_is_localized_as_if_read_anew(tmp_path: Path, edited: str) -> None:
    """A preview localizes again only the entities an edit changed (localized's `before`): the
    result is what localizing the story from scratch gives, the edit included."""
    folder = Path(shutil.copytree(REAL_CONTENT, tmp_path / "story"))
    first = load_story(folder)
    for language in first.languages[1:]:
        localized(first, language)
    path = folder / edited
    text = path.read_text(encoding="utf-8")
    key = "summary:" if "statements" in edited else "name:"
    path.write_text(text.replace(key, f"{key} Edited", 1), encoding="utf-8")
    again, anew = load_story(folder, first), load_story(folder)
    for language in first.languages[1:]:
        reused, fresh = localized(again, language, first), localized(anew, language)
        for kind, entities in fresh.entities.items():
            for id, entity in entities.items():
                kept = reused.entities[kind][id]
                assert (kept.fields, kept.name, kept.stale, kept.untranslated) == (
                    entity.fields,
                    entity.name,
                    entity.stale,
                    entity.untranslated,
                ), (language, kind, id)
                assert kept.original is again.entities[kind][id]
    kind, id = edited.split("/")[0], edited.split("/")[1].split(".")[0]
    shown = localized(again, "ru", first).entities[kind][id]
    words = shown.fields if edited.endswith(".ru.yml") else shown.original.fields
    assert str(words[key.rstrip(":")]).startswith("Edited")
