"""The site's addresses: where each page, entity and anchor is, and how one page links to another.

Every address here is site-relative and names a folder (`incidents/x/`, `""` for the home
page), with `#anchor` where it leads into a page. Pages, the open data, JSON-LD, the feeds
and the link check all ask this module, so they cannot disagree on where a thing lives.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explainer.content.story import Entity

SOURCES = "sources/"  # the sources page, an entry per source
UPDATES = "updates/"  # what's new: the updates, corrections and first publications, newest first
ATOM_FEED = "feed.xml"  # the same list as an Atom 1.0 feed, in each language's folder
JSON_FEED = "feed.json"  # and as a JSON Feed 1.1
EMBEDS = "embed/"  # a page to show in another site's iframe, under the page it shows: `embed/timeline/`
EMBED_SCRIPT = "embed.js"  # the host page's script that sizes those iframes, one for every language
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_HIDDEN = re.compile(r"[\x00-\x20\x7f\\]")  # white space, control characters and backslashes


def relative_to_page(url: str) -> bool:
    """Whether `url` stays on the site, relative to the page: no scheme (`javascript:` least of
    all) and no other host (`//host`, which a backslash also spells). Browsers drop tabs and line
    breaks inside a URL, so white space or a control character could hide either: refused too."""
    return not (_HIDDEN.search(url) or url.startswith("//") or _SCHEME.match(url))


def src_uri(kind: str, id: str) -> str:
    """Where an entity's page sits among the docs: `incidents/<id>.md` is served at `/incidents/<id>/`."""
    return f"{kind}/{id}.md"


def url_of(src_uri: str) -> str:
    """Where MkDocs serves a Markdown file: `a/index.md` and `a.md` at `a/`, `index.md` at the root."""
    if src_uri == "index.md":
        return ""
    return posixpath.dirname(src_uri) + "/" if src_uri.endswith("/index.md") else src_uri.removesuffix(".md") + "/"


def card_of(src_uri: str) -> str:
    """The share card of the page at `src_uri`: `cards/index.png`, `cards/incidents/<id>.png`,
    `cards/ru/incidents/<id>.png`. All cards are in one folder, apart from the pages, so that a
    server can give them their own cache rules and the link check and search never mistake one
    for a page; the page's language is part of the path (`in_language` would not add it: a file
    is one for all languages, and a card's words are its language's)."""
    return "cards/" + src_uri.removesuffix(".md") + ".png"


def in_language(url: str, prefix: str) -> str:
    """`url` in the language whose pages are under `prefix` (`ru/`): a page's address is a
    folder, and every language has its own; a file (`media/x.webp`, `data/explainer.json`)
    is one for all languages."""
    path = url.partition("#")[0]
    return url if not prefix or (path and not path.endswith("/")) else prefix + url


def feeds(prefix: str) -> tuple[str, str]:
    """The Atom feed and the JSON Feed of the language whose pages are under `prefix`: unlike
    the other files, each language has its own."""
    return prefix + ATOM_FEED, prefix + JSON_FEED


def index_of(kind: str) -> str:
    """The index page of a kind, `glossary/`."""
    return f"{kind}/"


def entity_page(entity: Entity) -> str:
    """The page about `entity`, `incidents/<id>/`; a source has one only in a long story."""
    return f"{entity.kind}/{entity.id}/"


def entity_url(entity: Entity) -> str:
    """Where a reader finds `entity`: its page, or for a source its entry on the sources page."""
    return f"{SOURCES}#{entity.id}" if entity.kind == "sources" else entity_page(entity)


def citations_url(source: Entity, source_pages: bool) -> str:
    """Where what cites `source` is listed: its own page when sources have pages, else its entry."""
    return entity_page(source) if source_pages else entity_url(source)


def entry_anchor(entity: Entity) -> str:
    """The id of an incident's or statement's entry in the timeline's list, `incidents-<id>`."""
    return f"{entity.kind}-{entity.id}"


def period_anchor(period: str) -> str:
    """The id of a year's or month's heading in a listing: `y2025`, `y2025-03`."""
    return f"y{period}"


def embedded(address: str) -> str:
    """The embed of the page at `address`, a URL or a src_uri: `embed/incidents/x/` for
    `incidents/x/`. In another language, its folder comes first (`in_language`)."""
    return EMBEDS + address


def absolute(url: str, site_url: str | None) -> str:
    """A site-relative URL (`incidents/x/`) under the site's address when it is known."""
    return site_url.rstrip("/") + "/" + url if site_url else url


def entity_at(src_uri: str) -> tuple[str, str] | None:
    """The (kind, id) whose page would be at `src_uri` (`incidents/x.md`), if it is an entity's address."""
    kind, _, name = src_uri.partition("/")
    return (kind, name.removesuffix(".md")) if name.endswith(".md") and "/" not in name else None


class RelativeLinks:
    """Links from the page served at `url` to any other address of the site.

    Both are folders ending in "/", so folder names are compared rather than asking
    posixpath.relpath, which looks up the working directory on every one of the hundreds of
    thousands of links in a large site."""

    def __init__(self, url: str):
        self.url = url
        self._up = "../" * url.count("/")  # from this page to the root of the site
        self._top = url[: url.find("/") + 1] or "/"  # `incidents/` for `incidents/x/`; "/" never starts a link

    def href(self, url: str) -> str:
        """`url` (site-relative, like `actors/x/`, `sources/#y` or `ru/feed.xml`) relative to this page."""
        path, hash_, fragment = url.partition("#")
        if path and not path.startswith(self._top):  # most links leave the page's top folder: up to the root
            return self._up + path + hash_ + fragment
        here, (*there, name) = self.url.split("/")[:-1], path.split("/")  # name: "" for a folder, `feed.xml` for a file
        shared = 0
        while shared < min(len(here), len(there)) and here[shared] == there[shared]:
            shared += 1
        relative = "../" * (len(here) - shared) + "".join(folder + "/" for folder in there[shared:]) + name
        return relative + hash_ + fragment if relative or hash_ else "./"


@dataclass(frozen=True)
class Site:
    """The site as a whole: its name and description, and where it is served."""

    name: str
    description: str
    url: str | None  # e.g. `https://example.org/story/`; None when mkdocs.yml leaves it out

    def address(self, url: str) -> str:
        """A site-relative URL (`incidents/x/`) made absolute when the site's address is known,
        so that links still work in a copy of the data used elsewhere."""
        return absolute(url, self.url)
