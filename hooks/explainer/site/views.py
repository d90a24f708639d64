"""What a template knows about the page it renders: links relative to it, the story's text
rendered for it, and which glossary terms it has linked already."""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from babel.numbers import format_decimal
from markupsafe import Markup

from explainer.content import rich_text
from explainer.content.story import NAME_FIELD, Entity, Story, sort_key
from explainer.content.term_finder import ends_quoted
from explainer.site import urls
from explainer.site.languages import Language, languages_of
from explainer.site.link_layer import links_apart
from explainer.site.listings import PlaceIncidents, place_anchor
from explainer.site.locator_map import Place, locator, story_map
from explainer.site.overview import overview
from explainer.site.pictures import Picture
from explainer.site.plan import MAP_PAGE, is_long

MAP_LINKED_PLACES = 500


@dataclass(frozen=True)
class Quote:
    """A statement's quote as a page in one language shows it. Never as said in a language it
    was not said in: words that are a translation say from which language, and the words as
    said, where the story has them, stay one click away."""

    words: str
    lang: str | None  # the language of `words` where it is not the page's
    translated_from: str | None  # the name, in the page's language, of the language the words were said in
    original: str | None  # the words as said, when `words` are a translation of them
    original_lang: str | None
    original_unknown: bool  # a translation of words the story does not have as said


class PageView:
    """What a template needs to know about the page it renders: links relative to it, and
    which glossary terms it has linked already (the first mention of each gets the link)."""

    def __init__(
        self,
        story: Story,
        url: str,
        subject: Entity | None = None,
        fragments: dict[tuple[Any, ...], Markup] | None = None,
        pictures: Mapping[str, Picture] | None = None,
        words: gettext.NullTranslations | None = None,
        language: Language | None = None,
        site_url: str | None = None,
    ):
        self.story = story
        self.site_url = site_url
        self.pictures = pictures or {}
        self.url = url
        self.subject = subject
        self.long_story = is_long(story)
        self._fragments = {} if fragments is None else fragments
        self.words = words or gettext.NullTranslations()
        self.language = language or languages_of(story)[0]
        links = urls.RelativeLinks(url)
        # Pages link to the pages of their own language; every language shares the files.
        self.href = lambda url: links.href(urls.in_language(url, self.language.prefix))
        self.shown: set[Entity] = {subject} if subject else set()  # see RenderedPage.shows
        self._linked_terms: set[Entity] = set()
        self._quoted = False  # inside a quotation, while rendering one text field

    def link(self, entity: Entity, label: str | None = None) -> Markup:
        """A link to `entity`'s page, named by `label` or its name. A name a translation left
        in the original's language says so; on a right-to-left page every name is isolated,
        so that a Latin name ("SOCAR") keeps its order inside Arabic text."""
        self.shown.add(entity)
        href = rich_text.escape(self.href(urls.entity_url(entity)))
        attributes = ""
        if label is None and NAME_FIELD.get(entity.kind) in entity.untranslated:
            attributes = f' lang="{rich_text.escape(self.story.languages[0])}" dir="auto"'
        elif self.language.direction == "rtl":
            attributes = ' dir="auto"'
        return Markup(f'<a href="{href}"{attributes}>{rich_text.escape(label or entity.name)}</a>')

    def address(self, url: str) -> str:
        """`url` (site-relative) in the page's language as another site links to it: absolute
        when the site's address (`site_url`) is known, else from the site's root."""
        return urls.absolute(urls.in_language(url, self.language.prefix), self.site_url)

    def once(self, macro: jinja2.runtime.Macro, *arguments: Any) -> Markup:
        """`macro(*arguments)`, rendered once for every page of the site that shows it. Only
        for fragments that do not depend on the page: no relative link made inside the
        macro, no glossary term linked (the first mention on each page gets the link)."""
        key = (macro.name, *arguments)
        self.shown.update(argument for argument in arguments if isinstance(argument, Entity))
        if key not in self._fragments:
            self._fragments[key] = Markup(macro(*arguments))
        return self._fragments[key]

    def overview(self) -> Markup:
        """The story's timeline overview, its marks linked to the timeline from this page."""
        return links_apart(overview(self.story, self.href, self.words, self.language))

    def story_map(self, places: list[PlaceIncidents]) -> Markup:
        marks = [
            Place(
                place.name,
                place.lat,
                place.lon,
                "#" + place.anchor,
                self.words.ngettext("%(place)s: %(num)s incident", "%(place)s: %(num)s incidents", len(place.incidents))
                % {"place": place.name, "num": self.number(len(place.incidents))},
            )
            for place in places
        ]
        label = self.words.ngettext(
            "Map of %(num)s place where the story's incidents happened",
            "Map of %(num)s places where the story's incidents happened",
            len(places),
        ) % {"num": self.number(len(places))}
        drawn = story_map(marks, label, rtl=self.language.direction == "rtl")
        # Past this many, a link per point would double a map that is large already: the
        # list of places under it links every one.
        return links_apart(drawn, linked=len(places) <= MAP_LINKED_PLACES)

    def quote(self, statement: Entity) -> Quote | None:
        """The statement's quote on this page (see Quote), or None if it has none."""
        shown = statement.fields["quote"]
        if not shown:
            return None
        story_language = self.story.languages[0]
        said_in = statement.fields["quote_language"] or story_language
        original = statement.original or statement
        # The words as said: quote_original, or the story's own quote when it was said in the story's language.
        words = statement.fields["quote_original"] or (original.fields["quote"] if said_in == story_language else None)
        as_said = str(words) if words else None  # its language is said_in, which Quote gives
        lang = getattr(shown, "lang", None)  # an untranslated quote is in the story's language
        if said_in == self.language.code and as_said:
            return Quote(as_said, None, None, None, None, False)
        if lang == said_in or (lang is None and self.language.code == said_in):
            return Quote(str(shown), lang, None, None, None, False)  # the words as said, on a page in another language
        said_in_name = Language(said_in, "").name_in(self.language)
        return Quote(str(shown), lang, said_in_name, as_said, said_in if as_said else None, as_said is None)

    def locator(self, incident: Entity) -> Markup:
        """A small map around the incident's place, or nothing when it has no coordinates."""
        if not incident.coordinates:
            return Markup("")
        location = incident.fields["location"]
        place = Place(
            location["name"],
            *incident.coordinates,
            self.href(urls.url_of(MAP_PAGE)) + "#" + place_anchor(location),
            location["name"],
        )
        label = self.words.gettext("Map: %(place)s") % {"place": location["name"]}
        return links_apart(locator(place, label, self.href, rtl=self.language.direction == "rtl"))

    def number(self, number: int) -> str:
        """`number` as the page's language writes it: "1,234", "1 234"."""
        return format_decimal(number, locale=self.language.locale)

    def picture(self, image: dict[str, Any]) -> Picture | None:
        """The responsive files made of an `image:` for this build (None in a build without them)."""
        return self.pictures.get(image["file"])

    def captioned(self, image: dict[str, Any]) -> dict[str, Any]:
        """`image` with its caption rendered for this page."""
        return {**image, "caption": self.text(image["caption"]) if image.get("caption") else None}

    def citations(self, source: Entity) -> str:
        """Where what cites `source` is listed: its own page in a long story, else its entry."""
        return urls.citations_url(source, self.long_story)

    def text(self, text: rich_text.RichText | None) -> Markup:
        """A text field as HTML, with references linked and glossary terms explained; words a
        translation left out are marked with their language."""
        if text is None:
            return Markup("")
        self._quoted = False
        html = rich_text.render(text, self._terms_linked, self._reference)
        if text.lang:
            return Markup(f'<span lang="{rich_text.escape(text.lang)}" dir="auto">{html}</span>')
        return Markup(html)

    def prose(self, html: str, quoted: bool) -> str:
        """A run of text from a hand-written page's HTML, with the first mention on the page
        of each glossary term linked and the rest left as written; `quoted` says whether it
        starts inside a quotation."""
        self._quoted = quoted
        return self._terms_linked(html, keep=str)

    def plain(self, text: rich_text.RichText | None) -> str:
        return "" if text is None else rich_text.plain_text(text, self._name_of)

    def entities(self, kind: str, ids: list[str]) -> list[Entity]:
        return sorted((self.story.get(kind, id) for id in ids), key=sort_key)

    def _reference(self, ref: rich_text.Ref) -> str:
        return self.link(self.story.get(ref.kind, ref.id), ref.label)

    def _name_of(self, ref: rich_text.Ref) -> str:
        entity = self.story.get(ref.kind, ref.id)
        self.shown.add(entity)
        return entity.name

    def _terms_linked(self, text: str, keep: Callable[[str], str] = rich_text.escape) -> str:
        """`text` with the first mention on the page of each glossary term linked; `keep`
        makes HTML of the words themselves."""
        html, position = [], 0
        mentions = list(self.story.terms.find(text, self._quoted))
        self._quoted = ends_quoted(text, self._quoted)
        for start, end, term in mentions:
            if term is self.subject or term in self._linked_terms:
                continue
            self._linked_terms.add(term)
            self.shown.add(term)  # its definition is the link's title
            html.append(keep(text[position:start]))
            definition = self.plain(term.fields["definition"])
            html.append(
                f'<a class="explainer-term" href="{rich_text.escape(self.href(urls.entity_page(term)))}" '
                f'title="{rich_text.escape(definition)}">{keep(text[start:end])}</a>'
            )
            position = end
        html.append(keep(text[position:]))
        return "".join(html)
