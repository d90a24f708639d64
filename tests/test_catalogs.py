"""The site's own words in each language: the .pot is what the templates and the Python say
now, every catalog translates all of it, and the pages of a language are in its words."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from conftest import REAL_CONTENT, write_story
from explainer.commands import catalogs
from explainer.content.story import load_story
from explainer.site.catalogs import TEMPLATE, catalog_path
from explainer.site.render import RenderedPage, render_site

LANGUAGES = ["ru", "uk", "ar"]


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=locale)


def ids(message: Message) -> list[str]:
    return [message.id] if isinstance(message.id, str) else list(message.id)


def forms(message: Message) -> list[str]:
    """The translation of `message`, one string per plural form."""
    if isinstance(message.string, str):
        return [message.string]
    return list(message.string or [""])


def template_messages() -> list[Message]:
    return [message for message in read(TEMPLATE) if message.id]


def test_the_pot_is_what_a_fresh_extraction_gives() -> None:
    """A word added to a template or to the Python without `explainer catalogs` fails here."""
    assert TEMPLATE.read_text(encoding="utf-8") == catalogs._text(catalogs.extracted()), (
        "locales/explainer.pot is out of date: run `explainer catalogs` and translate the new entries"
    )


def test_the_pot_has_the_words_of_the_templates_and_of_the_python() -> None:
    found = {ids(message)[0] for message in template_messages()}
    assert {"What happened", "(day not known)", "Translated from %(name)s", "Timeline", "%(num)s incident"} <= found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_in_every_plural_form(language: str) -> None:
    catalog = read(catalog_path(language), language)
    problems = []
    for message in template_messages():
        found = catalog.get(message.id, message.context)
        if found is None:
            problems.append(f"missing: {ids(message)[0]!r}")
            continue
        if found.fuzzy:
            problems.append(f"fuzzy: {ids(message)[0]!r}")
        translated = forms(found)
        if isinstance(message.id, str):
            assert isinstance(found.string, str), message.id
        elif len(translated) != catalog.num_plurals:
            problems.append(f"{len(translated)} plural forms of {catalog.num_plurals}: {ids(message)[0]!r}")
        problems += [f"untranslated: {ids(message)[0]!r}" for form in translated if not form.strip()]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_the_english(language: str) -> None:
    """`%(name)s` left out or misspelt would raise (or print nothing) when the page is written.
    Only `%(num)s` may go: "одно заявление" says the number in words."""
    catalog = read(catalog_path(language), language)
    for message in template_messages():
        found = catalog.get(message.id, message.context)
        assert found is not None, message.id
        expected = set().union(*map(catalogs.placeholders, ids(message)))
        for form in forms(found):
            assert catalogs.placeholders(form) == expected, (message.id, form)


@pytest.mark.parametrize(("language", "plurals"), [("ru", 3), ("uk", 3), ("ar", 6)])
def test_each_catalog_has_its_languages_plural_rule(language: str, plurals: int) -> None:
    assert read(catalog_path(language), language).num_plurals == plurals


def test_the_check_passes_on_the_catalogs_as_committed(capsys: pytest.CaptureFixture[str]) -> None:
    assert catalogs.catalogs_command(check=True) == 0, capsys.readouterr().out


def test_the_check_lists_a_missing_or_fuzzy_translation(tmp_path: Path) -> None:
    template = catalogs.extracted()
    catalog = read(catalog_path("ru"), "ru")
    fuzzy = catalog.get("What happened")
    assert fuzzy is not None
    fuzzy.flags.add("fuzzy")
    catalog.delete("Who")
    problems = catalogs.missing(template, catalog, tmp_path / "ru.po")
    assert any("fuzzy: 'What happened'" in problem for problem in problems)
    assert any("missing: 'Who'" in problem for problem in problems)


# --- the pages of a language are in its words ---------------------------------------------

STORY: dict[str, str | None] = {
    "story.yml": "title: The harbour story\nstandfirst: A story in two languages.\nlanguages: [en, ru]\n",
    "actors/anna-berg.yml": "name: Anna Berg\nkind: person\nrole: Mayor\n",
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
    "story.ru.yml": "title: История гавани\nstandfirst: История на двух языках.\n",
    "actors/anna-berg.ru.yml": "name: Анна Берг\nrole: Мэр\n",
    # No damage: that part stays in English, and the page says so.
    "incidents/port-fire.ru.yml": "title: Пожар в порту\nsummary: Начался пожар, сообщает [[sources/gazette]].\n",
    "statements/berg-blames.ru.yml": "summary: Берг заявила, что пожар устроили намеренно.\n",
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = write_story(tmp_path_factory.mktemp("harbour"), STORY)
    return {page.src_uri: page.markdown for page in render_site(load_story(folder))}


def test_a_russian_page_has_russian_headings_and_english_anchors(pages: dict[str, str]) -> None:
    russian = pages["ru/incidents/port-fire.md"]
    assert "## Что произошло { #what-happened }" in russian
    assert "## Кто что говорит об этом { #claims }" in russian
    assert "<strong>Оспаривается</strong>" in russian
    assert "What happened" not in russian
    english = pages["incidents/port-fire.md"]
    assert "## What happened { #what-happened }" in english
    assert "<strong>Disputed</strong>" in english


def test_a_page_says_which_parts_are_not_translated(pages: dict[str, str]) -> None:
    russian = pages["ru/incidents/port-fire.md"]
    assert '<p class="explainer-note explainer-untranslated">Часть этой страницы ещё не переведена' in russian
    assert "explainer-untranslated" not in pages["incidents/port-fire.md"]


def test_a_quote_says_what_it_is_translated_from_and_keeps_the_words_as_said(pages: dict[str, str]) -> None:
    english = pages["statements/berg-blames.md"]
    assert '<span class="explainer-quote__translated">Translated from Russian</span>' in english
    assert (
        '<details class="explainer-quote__original"><summary>Words as said (Russian)</summary>'
        '<p lang="ru">пожар устроили намеренно</p></details>'
    ) in english
    russian = pages["ru/statements/berg-blames.md"]
    assert '<blockquote class="explainer-quote"><p>пожар устроили намеренно</p></blockquote>' in russian
    assert "explainer-quote__translated" not in russian


def test_the_real_story_has_its_russian_pages_in_russian() -> None:
    rendered: list[RenderedPage] = render_site(load_story(REAL_CONTENT))
    russian = [page for page in rendered if page.src_uri.startswith("ru/incidents/")]
    assert russian
    assert all("## Что произошло { #what-happened }" in page.markdown for page in russian if page.source)
