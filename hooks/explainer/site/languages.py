"""The story's languages as the site shows them: where each lives, which way it reads, what
the theme, the search and link previews call it; and the story in each (an Edition).

The story's own language is at `/`; each other one at `/<code>/`, with the same paths below.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from babel import Locale
from babel.core import get_global

from explainer.content.localized import localized
from explainer.content.story import Story

# Languages that Material's search (lunr-languages) knows: their letters and stop words. Others
# get neither: lunr's English trimmer would strip every letter outside A–Z from a word.
SEARCH_LANGUAGES = frozenset(
    "en ar da de du el es fi fr he hi hu hy it ja jp kn ko nl no pt ro ru sa sv ta te th tr vi zh".split()
)
# Material's own strings (search, skip link, palette toggle) come in these languages.
_THEME_LANGUAGES = frozenset(
    "af ar az be bg bn ca cs cy da de el en eo es et eu fa fi fr gl he hi hr hu hy id is it ja ka kn ko "
    "ku-IQ lb lt lv mk mn ms my nb nl nn pl pt pt-BR ro ru sa sh si sk sl sq sr sv ta te th tl tr uk ur "
    "uz vi zh zh-Hant zh-TW".split()
)


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47, as story.yml writes it
    prefix: str  # "" for the story's own language, "ru/" for the others

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(self.code, sep="-")

    @property
    def original(self) -> bool:
        return not self.prefix

    @property
    def direction(self) -> str:
        return "rtl" if self.locale.text_direction == "rtl" else "ltr"

    @property
    def name(self) -> str:
        """The language's name in itself, as a language switcher shows it: "Русский"."""
        name = self.locale.get_display_name(self.locale) or self.code
        return name[:1].upper() + name[1:]

    def name_in(self, other: Language) -> str:
        """This language's name in `other`'s words: "английский" for English on a Russian page."""
        return self.locale.get_display_name(other.locale) or self.code

    @property
    def theme(self) -> str:
        """The file of Material's strings for it: `pt-BR`, else its language alone, else English."""
        for candidate in (self.code, self.locale.language):
            if candidate in _THEME_LANGUAGES:
                return candidate
        return "en"

    @property
    def search(self) -> str | None:
        """Its lunr-languages code, if lunr knows it."""
        return self.locale.language if self.locale.language in SEARCH_LANGUAGES else None

    @property
    def open_graph(self) -> str:
        """`ru_RU`: Open Graph wants a territory, which a bare code leaves to CLDR's likely one."""
        if self.locale.territory:
            return f"{self.locale.language}_{self.locale.territory}"
        likely = get_global("likely_subtags").get(self.locale.language, "")
        return f"{self.locale.language}_{likely.split('_')[-1]}" if likely else self.locale.language


@dataclass(frozen=True)
class Edition:
    """The story in one of its languages."""

    language: Language
    story: Story


def languages_of(story: Story) -> list[Language]:
    codes = story.languages
    return [Language(code, "" if index == 0 else f"{code}/") for index, code in enumerate(codes)]


def editions(story: Story, before: Story | None = None) -> list[Edition]:
    """The story in each of its languages, its own first; `before` as localized takes it."""
    return [Edition(language, localized(story, language.code, before)) for language in languages_of(story)]


def language_of(url: str, languages: list[Language]) -> tuple[Language, str]:
    """The language of a site-relative address (`ru/incidents/x/`) and the address in the
    story's own language (`incidents/x/`)."""
    for language in languages[1:]:
        if url.startswith(language.prefix) or url + "/" == language.prefix:
            return language, url[len(language.prefix) :]
    return languages[0], url


def hand_written_name(src_uri: str, language: Language) -> str:
    """The file of a hand-written page's translation into `language`: `about.md` → `about.ru.md`."""
    stem, _, suffix = src_uri.rpartition(".")
    return f"{stem}.{language.code}.{suffix}"


def hand_written_translation(src_uri: str, languages: list[Language]) -> tuple[str, Language] | None:
    """The page a hand-written Markdown file translates, and into which language:
    `about.ru.md` → (`about.md`, ru); None for a page that is no translation."""
    stem, dot, suffix = src_uri.rpartition(".")
    original, _, code = stem.rpartition(".")
    for language in languages[1:]:
        if dot and original and code == language.code:
            return f"{original}.{suffix}", language
    return None
