"""The links of a built site: internal ones must all resolve; web links are checked on request.

`broken_links(site)` reads every `index.html` under `site`, resolves each relative `href`
and `src` against the URL the page is served at (`site/a/b/index.html` is `/a/b/`), and
reports targets that do not exist (a folder must hold an `index.html`) and `#fragments`
that name no `id` (or `<a name>`) in the target page. Every build runs it.

Web addresses (http, https, protocol-relative), `mailto:`, `tel:` and `data:` URLs are not
internal. Any other scheme (`javascript:` above all) is reported: it is never a valid link.

Web links are checked by `explainer check-links` (commands/check_links.py), which needs the
network and so is never part of a build.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

IGNORED_SCHEMES = {"http", "https", "mailto", "tel", "data"}
LINK_ATTRIBUTES = {"href", "src"}

# A regular-expression reading of HTML, several times faster than html.parser on the
# thousands of pages of a large story. It sees what a browser sees for the markup MkDocs
# writes: comments and the text of scripts and styles are not markup, and an attribute
# value may hold any character but its own quote. The start tag's parts are possessive
# (`++`, `*+`): none can give back what it took and still match, so trying costs nothing,
# and a run of plain characters is taken at once rather than one at a time.
_NOT_MARKUP = re.compile(r"<(?:!--.*?-->|(script|style)\b([^>]*)>.*?</\1\s*>)", re.S | re.I)
_START_TAG = re.compile(r"""<([a-zA-Z][a-zA-Z0-9-]*+)(\s(?:[^>"']++|"[^"]*+"|'[^']*+')*+)>""")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_WANTED = LINK_ATTRIBUTES | {"id", "name", "rel"}


@dataclass
class _PageLinks:
    """The links and the ids of one HTML page; `web` are the `<a>` links a reader follows."""

    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    web: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Tag:
    """What one start tag adds to its page."""

    links: tuple[str, ...]
    ids: tuple[str, ...]
    web: tuple[str, ...]


_NOTHING = _Tag((), (), ())
_TagCache = dict[tuple[str, str], _Tag]
# Tags kept read, at most: the nav's come back on every page, but most others (a link with
# its tooltip) only once, and 10,000 entities have some 160,000 of those.
_TAGS_KEPT = 20_000


def _parse(path: Path, cache: _TagCache) -> _PageLinks:
    page = _PageLinks()
    text = _NOT_MARKUP.sub(_keep_start_tag, path.read_text(encoding="utf-8", errors="replace"))
    for key in _START_TAG.findall(text):
        # Most tags (the nav on every page) repeat word for word: read each once.
        tag = cache.get(key)
        if tag is None:
            if len(cache) >= _TAGS_KEPT:
                cache.clear()
            tag = cache[key] = _read_tag(*key)
        if tag is _NOTHING:  # most tags: no link, no id
            continue
        page.links += tag.links
        page.ids.update(tag.ids)
        page.web += tag.web
    return page


def _keep_start_tag(match: re.Match[str]) -> str:
    """A comment goes; a script or style keeps its start tag, whose `src` is a link."""
    return f"<{match[1]}{match[2]}>" if match[1] else ""


def _read_tag(name: str, attribute_text: str) -> _Tag:
    attributes: dict[str, str] = {}
    for attribute, double_quoted, single_quoted, unquoted in _ATTRIBUTE.findall(attribute_text):
        attribute = attribute.lower()
        if (
            attribute in _WANTED and attribute not in attributes
        ):  # the first of a repeated attribute wins, as in browsers
            value = double_quoted or single_quoted or unquoted
            attributes[attribute] = html.unescape(value) if "&" in value else value
    anchor = name.lower() == "a"
    tag = _Tag(
        links=tuple(attributes[key].strip() for key in sorted(LINK_ATTRIBUTES & attributes.keys())),
        ids=tuple(attributes[key] for key in ("id", "name") if key in attributes and (key == "id" or anchor)),
        # Edit links all lead into the repository, one per page: not the story's links.
        web=(attributes["href"].strip(),)
        if anchor and "href" in attributes and attributes.get("rel") != "edit"
        else (),
    )
    return _NOTHING if tag == _NOTHING else tag


# --- Internal links ---------------------------------------------------------------------


def broken_links(site: Path) -> list[str]:
    """Every internal link in `site` that leads nowhere, as `/page/: link (reason)`, sorted."""
    return read_site(Path(site)).broken()


class LinkReader:
    """The links of the pages of `site`, read one at a time (the build's second process reads
    each page as MkDocs writes it), each resolved to the file and `#fragment` it leads to as
    it is read; `broken()` then needs to look up each target once, however many link to it."""

    def __init__(self, site: Path):
        self.site = site
        self.web: dict[str, tuple[str, ...]] = {}  # a page's URL: the web addresses it links to
        self._read: dict[str, set[str]] = {}  # the ids of each page read, by its site-relative folder
        self._unread: dict[Path, set[str]] = {}  # the ids of the other HTML files that links name ids in
        # Where links lead, or why nowhere: for each, the URLs of the pages with each link
        # that leads there (a large site has millions of links, and few ways of writing each).
        self._linked: dict[_Target | str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self._resolved: dict[tuple[str, str], _Target | str | None] = {}  # _lead's answers, by _from_parent
        self._files: dict[str, Path | None] = {}
        self._tags: _TagCache = {}

    def read(self, page: Path) -> None:
        parsed = _parse(page, self._tags)
        url = _page_url(self.site, page)
        self._read[url.rstrip("/") or "."] = parsed.ids
        self.web[url] = tuple(parsed.web)
        for link in set(parsed.links):
            key = _from_parent(url, link)
            if key not in self._resolved:
                self._resolved[key] = _lead(*key)
            lead = self._resolved[key]
            if lead is not None and not self._leads_to_what_was_read(lead):
                self._linked[lead][link].append(url)

    def _leads_to_what_was_read(self, lead: _Target | str) -> bool:
        """Whether `lead` is a page already read, and an id in it if it names one: a link
        that is certain to resolve needs no keeping."""
        if not isinstance(lead, _Target):
            return False
        ids = self._read.get(lead.path)
        return ids is not None and (not lead.fragment or lead.fragment in ids)

    def broken(self) -> list[str]:
        """Every link of the pages read that leads nowhere, as `/page/: link (reason)`, sorted."""
        problems = []
        for lead, links in self._linked.items():
            reason = self._reason(lead) if isinstance(lead, _Target) else lead
            if reason:
                problems += [f"/{url}: {link} ({reason})" for link, urls in links.items() for url in urls]
        return sorted(problems)

    def _reason(self, target: _Target) -> str | None:
        """Why `target` is not in the site, or None if it is."""
        file = self._file(target.path)
        if file is None:
            return "target does not exist"
        if target.fragment and file.suffix in (".html", ".htm") and target.fragment not in self._ids_of(target, file):
            return f"no id '{target.fragment}' in {file.relative_to(self.site).as_posix()}"
        return None

    def _file(self, relative: str) -> Path | None:
        """The file served at a site-relative path: a folder serves its `index.html`."""
        if relative not in self._files:
            target = self.site if relative == "." else self.site / relative
            page = target / "index.html"
            if relative in self._read:  # a page read: no need to ask the disk
                self._files[relative] = page
            elif target.is_dir():
                self._files[relative] = page if page.is_file() else None
            else:
                self._files[relative] = target if target.is_file() else None
        return self._files[relative]

    def _ids_of(self, target: _Target, file: Path) -> set[str]:
        if target.path in self._read:
            return self._read[target.path]
        if file not in self._unread:  # a page not read: one copied from docs_dir as it is
            self._unread[file] = _parse(file, {}).ids
        return self._unread[file]


class _Target(NamedTuple):
    path: str  # site-relative, normalised: `incidents/x`, `.` for the home page
    fragment: str


def _from_parent(url: str, link: str) -> tuple[str, str]:
    """The same link from the parent folder, for each `../` it starts with: `../../x/` from
    `incidents/a/` is `x/` from the root, as from every other incident's page."""
    ups = 0
    while link.startswith("../", 3 * ups):
        ups += 1
    if not ups or not url:
        return url, link
    folders = url[:-1].split("/")
    ups = min(ups, len(folders))  # past the root, the link keeps its `../`: it points outside the site
    kept = folders[: len(folders) - ups]
    return "/".join(kept) + "/" if kept else "", link[3 * ups :]


def _lead(url: str, link: str) -> _Target | str | None:
    """Where `link` on the page served at `url` leads, or why it is no link; None for a link
    out of the site."""
    if link.startswith("//"):
        return None
    try:
        parts = urlsplit(link)
    except ValueError:
        return "not a valid URL"
    if parts.scheme:
        return None if parts.scheme.lower() in IGNORED_SCHEMES else f"scheme '{parts.scheme}:' is not a link"
    path = unquote(parts.path)
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(url, path)  # `#x` or `?q`: this very page
    relative = posixpath.normpath(joined) if joined else "."
    if relative == ".." or relative.startswith("../"):
        return "points outside the site"
    return _Target(relative, unquote(parts.fragment))


def read_site(site: Path) -> LinkReader:
    reader = LinkReader(site)
    for page in sorted(site.rglob("index.html")):
        reader.read(page)
    return reader


def _page_url(site: Path, page: Path) -> str:
    """Site-relative folder of a page: `site/a/b/index.html` -> `a/b/`, `site/index.html` -> ``."""
    folder = page.parent.relative_to(site).as_posix()
    return "" if folder == "." else folder + "/"
