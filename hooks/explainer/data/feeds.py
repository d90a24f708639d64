"""The feeds that let readers follow the story: an Atom 1.0 feed (`feed.xml`) and a JSON Feed
1.1 (`feed.json`) in each language's folder, listing what is new (listings.whats_new): the
editors' updates, the corrections and the entities first published, newest first.

Every text is plain text, never HTML from the content: Atom's `type="text"` and JSON Feed's
`content_text`, escaped by the XML and JSON writers. Dates known only to the month or the year
are given as their first day, as both formats want a full date.
"""

from __future__ import annotations

import gettext
import json
import uuid
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from explainer.content.dates import PartialDate
from explainer.content.history import History
from explainer.content.rich_text import RichText
from explainer.content.story import Entity, Story
from explainer.site import catalogs, urls
from explainer.site.languages import Language, editions
from explainer.site.listings import Change, whats_new
from explainer.site.plan import N_
from explainer.site.urls import Site

ATOM = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# The newest entries only: a feed is read for what is new, and a reader fetches it often. At
# 10,000 entities each feed stays far under 1 MB (the README has the size measured).
FEED_ENTRIES = 100

NO_CHANGE_KNOWN = "1970-01-01T00:00:00Z"  # Atom wants a date even for a feed of no entries: a story without history
CORRECTION = N_("Correction: %(name)s")
PUBLISHED = N_("New: %(name)s")


@dataclass(frozen=True)
class Entry:
    """A change as both feeds print it: plain text, an absolute or feed-relative link."""

    id: str
    title: str
    text: str
    link: str
    date: str  # RFC 3339


def feed_files(story: Story, site: Site, history: History) -> dict[str, str]:
    """Both feeds of each of the story's languages, by their path in the built site."""
    files = {}
    for edition in editions(story):
        language = edition.language
        words = catalogs.translations(language.code)
        changes = whats_new(edition.story, history, FEED_ENTRIES)
        entries = [_entry(edition.story, change, site, language, words) for change in changes]
        atom, json_feed = urls.feeds(language.prefix)
        files[atom] = atom_feed(edition.story, entries, site, language)
        files[json_feed] = json_feed_text(edition.story, entries, site, language)
    return files


def atom_feed(story: Story, entries: list[Entry], site: Site, language: Language) -> str:
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language.code})
    about = story.about.fields
    atom, _ = urls.feeds(language.prefix)
    _child(feed, "title", str(about["title"]), type="text")
    _child(feed, "subtitle", str(about["standfirst"]), type="text")
    _child(feed, "id", _id(site, atom))
    _child(feed, "updated", entries[0].date if entries else NO_CHANGE_KNOWN)
    _child(feed, "link", rel="alternate", type="text/html", href=_link(site, language, ""))
    if site.url:
        _child(feed, "link", rel="self", type="application/atom+xml", href=site.address(atom))
    author = _child(feed, "author")
    _child(author, "name", _author(story))
    for entry in entries:
        element = _child(feed, "entry")
        _child(element, "id", entry.id)
        _child(element, "title", entry.title, type="text")
        _child(element, "updated", entry.date)
        _child(element, "link", rel="alternate", type="text/html", href=entry.link)
        _child(element, "summary", entry.text, type="text")
    # ElementTree's registry of prefixes is shared with the sitemaps: Atom is the default just for this.
    ElementTree.register_namespace("", ATOM)
    return ElementTree.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def json_feed_text(story: Story, entries: list[Entry], site: Site, language: Language) -> str:
    about = story.about.fields
    _, json_feed = urls.feeds(language.prefix)
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": str(about["title"]),
        "description": str(about["standfirst"]),
        "language": language.code,
        "authors": [{"name": _author(story)}],
    }
    if site.url:  # both must be absolute
        feed.update(home_page_url=site.address(language.prefix), feed_url=site.address(json_feed))
    feed["items"] = [
        {
            "id": entry.id,
            "url": entry.link,
            "title": entry.title,
            "content_text": entry.text,
            "date_published": entry.date,
        }
        for entry in entries
    ]
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


def _entry(story: Story, change: Change, site: Site, language: Language, words: gettext.NullTranslations) -> Entry:
    entity = change.entity
    if change.kind == "update":  # about the story as a whole: its front page
        title, text, page = change.text, change.text, ""
    elif change.kind == "correction":
        title, text, page = words.gettext(CORRECTION) % {"name": entity.name}, change.text, urls.entity_url(entity)
    else:
        title, text = words.gettext(PUBLISHED) % {"name": entity.name}, _gist(story, entity)
        page = urls.entity_url(entity)
    link = _link(site, language, page)
    return Entry(_id(site, language.prefix + change.key), str(title), str(text), link, _timestamp(change.date))


def _id(site: Site, key: str) -> str:
    """A permanent, absolute id. Not the page's URL: one page has several entries (its first
    publication, each correction). Not a tag URI: it wants a day on which the site owned its
    domain, which a build does not know. A name-based UUID of the site's address and what the
    entry is (`ru/incidents/x/published`) is the same in every build, and differs between
    languages, whose entries are about different pages."""
    return uuid.uuid5(uuid.NAMESPACE_URL, site.address(key)).urn


def _link(site: Site, language: Language, url: str) -> str:
    """`url` in `language`: absolute when the site's address is known, else relative to the
    language's folder, where its feeds are."""
    address = urls.in_language(url, language.prefix)
    return site.address(address) if site.url else urls.RelativeLinks(language.prefix).href(address)


def _gist(story: Story, entity: Entity) -> str:
    """What a newly published entity is, in a sentence or two of plain text."""
    fields = entity.fields
    for key in ("summary", "definition", "quote", "role"):
        if fields.get(key):
            value = fields[key]
            return story.plain_text(value) if isinstance(value, RichText) else str(value)
    return entity.name


def _author(story: Story) -> str:
    newsroom = story.about.fields["newsroom"]
    return str(newsroom["name"] if newsroom else story.about.fields["title"])


def _timestamp(date: PartialDate) -> str:
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T00:00:00Z"


def _child(parent: ElementTree.Element, name: str, text: str | None = None, **attributes: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
    element.text = text
    return element
