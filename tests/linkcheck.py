"""A small checker for the internal links of a built site.

`broken_links(site)` reads every `index.html` under `site`, resolves each relative `href`
and `src` against the URL the page is served at (`site/a/b/index.html` is `/a/b/`), and
reports targets that do not exist (a folder must hold an `index.html`) and `#fragments`
that name no `id` (or `<a name>`) in the target page.

Web addresses (http, https, protocol-relative), `mailto:`, `tel:` and `data:` URLs are not
checked. Any other scheme (`javascript:` above all) is reported: it is never a valid link.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

IGNORED_SCHEMES = {"http", "https", "mailto", "tel", "data"}
LINK_ATTRIBUTES = {"href", "src"}


class _PageLinks(HTMLParser):
    """The links and the ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in LINK_ATTRIBUTES:
                self.links.append(value.strip())
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)

    handle_startendtag = handle_starttag


def _parse(path: Path) -> _PageLinks:
    parser = _PageLinks()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def _page_url(site: Path, page: Path) -> str:
    """Site-relative folder of a page: `site/a/b/index.html` -> `a/b/`, `site/index.html` -> ``."""
    folder = page.parent.relative_to(site).as_posix()
    return "" if folder == "." else folder + "/"


def broken_links(site: Path) -> list[str]:
    """Every internal link in `site` that leads nowhere, as `page: link (reason)`, sorted."""
    site = Path(site)
    pages = sorted(site.rglob("index.html"))
    parsed = {page: _parse(page) for page in pages}
    id_cache: dict[Path, set[str]] = {page.resolve(): result.ids for page, result in parsed.items()}

    def ids_of(target: Path) -> set[str]:
        key = target.resolve()
        if key not in id_cache:
            id_cache[key] = _parse(target).ids
        return id_cache[key]

    problems: list[str] = []
    for page, result in parsed.items():
        url = _page_url(site, page)
        shown = "/" + url
        for link in result.links:
            reason = _check(site, page, url, link, ids_of)
            if reason:
                problems.append(f"{shown}: {link} ({reason})")
    return sorted(set(problems))


def _check(site: Path, page: Path, url: str, link: str, ids_of) -> str | None:
    if link.startswith("//"):
        return None
    try:
        parts = urlsplit(link)
    except ValueError:
        return "not a valid URL"
    if parts.scheme:
        return None if parts.scheme.lower() in IGNORED_SCHEMES else f"scheme '{parts.scheme}:' is not a link"
    path = unquote(parts.path)
    if path == "":
        target = page  # `#x` or `?q`: this very page
    else:
        joined = path.lstrip("/") if path.startswith("/") else posixpath.join(url, path)
        relative = posixpath.normpath(joined) if joined else "."
        if relative == ".." or relative.startswith("../"):
            return "points outside the site"
        target = site if relative == "." else site / relative
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return "target does not exist"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix in (".html", ".htm") and fragment not in ids_of(target):
        return f"no id '{fragment}' in {target.relative_to(site).as_posix()}"
    return None
