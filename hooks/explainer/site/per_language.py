"""What each language needs of the files written for the whole site: a search index of its
own pages, sitemap entries that name every language of a page, and hand-written pages that
link to the files every language shares.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from explainer.site import urls
from explainer.site.languages import Language, language_of

SEARCH_INDEX = "search/search_index.json"
EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'
)
_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XHTML = "http://www.w3.org/1999/xhtml"
# A Markdown link or image to a relative address: `[text](data/x.csv)`, `![alt](media/y.png "t")`.
ElementTree.register_namespace("xhtml", _XHTML)
_MARKDOWN_LINK = re.compile(r"(\]\()(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^)\s]+)")


@dataclass(frozen=True)
class EmptySitemaps:
    """The theme's script asks for sitemap.xml beside each page's hreflang alternates (it
    expects them to be language roots): an empty one answers it without an error. The
    language roots have their own (language_sitemap)."""

    site_dir: Path
    roots: frozenset[str]  # the languages' folders, as urls.py writes them: "", "ru/"

    def beside(self, page: Path) -> None:
        """An empty sitemap beside `page`, an index.html in site_dir."""
        folder = page.parent.relative_to(self.site_dir).as_posix()
        if (folder + "/" if folder != "." else "") not in self.roots:
            (page.parent / "sitemap.xml").write_text(EMPTY_SITEMAP, encoding="utf-8")


def search_indexes(index: dict[str, Any], languages: list[Language]) -> dict[str, str]:
    """The search index of the whole site (Material's search plugin writes one) split into one
    per language, at `search/search_index.json` under the language's folder, with locations
    relative to that folder (pages of a language set the search's base there) and lunr's
    support for the language, or none: lunr's English trimmer would strip every other letter."""
    docs: dict[str, list[dict[str, Any]]] = {language.code: [] for language in languages}
    for doc in index["docs"]:
        language, location = language_of(doc["location"], languages)
        docs[language.code].append({**doc, "location": location})
    indexes = {}
    for language in languages:
        config = dict(index["config"])
        if language.search == "en":
            pass  # as mkdocs.yml configures the search
        elif language.search:
            # The language's trimmer (which knows its letters) and stop words. Not its stemmer:
            # with Material's trailing wildcard on every word, a stemmed index answered no
            # Russian search at all; the wildcard finds a word's endings ("посольств…") anyway.
            config["lang"], config["pipeline"] = [language.search], ["trimmer", "stopWordFilter"]
        else:
            config["lang"], config["pipeline"] = ["en"], []
        indexes[language.prefix + SEARCH_INDEX] = json.dumps({"config": config, "docs": docs[language.code]})
    return indexes


def sitemap_with_alternates(sitemap: str, site_url: str, languages: list[Language]) -> str:
    """MkDocs' sitemap with, for each page, an `xhtml:link` to it in every language and to the
    story's own language as `x-default`."""
    root = ElementTree.fromstring(sitemap)
    for entry, base, _, page in _entries(root, site_url, languages):
        targets = [(language.code, urls.in_language(page, language.prefix)) for language in languages]
        for code, url in [*targets, ("x-default", page)]:
            ElementTree.SubElement(
                entry, f"{{{_XHTML}}}link", {"rel": "alternate", "hreflang": code, "href": base + url}
            )
    return _written(root)


def language_sitemap(sitemap: str, site_url: str, language: Language, languages: list[Language]) -> str:
    """The entries of `sitemap` for the pages in `language`: the theme's language switcher
    reads `sitemap.xml` under each language's folder."""
    root = ElementTree.fromstring(sitemap)
    for entry, _, of_language, _ in _entries(root, site_url, languages):
        if of_language != language:
            root.remove(entry)
    return _written(root)


def _written(root: ElementTree.Element) -> str:
    """A sitemap as MkDocs writes one, without prefixes; ElementTree's registry of them is
    shared with the feeds, so the default is set just for this."""
    ElementTree.register_namespace("", _SITEMAP)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True)


def _entries(
    root: ElementTree.Element, site_url: str, languages: list[Language]
) -> list[tuple[ElementTree.Element, str, Language, str]]:
    """Each `<url>` of a sitemap under `site_url`, with that address, the page's language and
    its address in the story's own language."""
    base = site_url.rstrip("/") + "/"
    found = []
    for entry in root.findall(f"{{{_SITEMAP}}}url"):
        location = entry.find(f"{{{_SITEMAP}}}loc")
        address = "" if location is None else location.text or ""
        if address.startswith(base):
            found.append((entry, base, *language_of(address[len(base) :], languages)))
    return found


def shared_files_linked(markdown: str, language: Language) -> str:
    """A hand-written page's Markdown for its place in `language`'s folder: links to other
    pages (`timeline.md`) stay, since every language has them; links to files (`data/x.csv`),
    which every language shares, go up to the root."""
    up = "../" * language.prefix.count("/")

    def linked(match: re.Match[str]) -> str:
        target = match[2]
        path = target.partition("#")[0]
        if not path or path.endswith((".md", "/")):
            return match[0]
        return match[1] + up + target

    return _MARKDOWN_LINK.sub(linked, markdown) if up else markdown
