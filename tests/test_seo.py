"""What each built page tells search engines and link previews: a title, a description, Open
Graph tags, and for an entity's page schema.org JSON-LD of the right type, which YAML text
can never break out of.

Expected values come from the YAML, read here with PyYAML, never from the code under test.
"""

from __future__ import annotations

import functools
import gettext
import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from built_stories import (
    FIXTURES,
    BuiltStory,
    built,  # noqa: F401 (the fixture)
    fold,
)
from conftest import own_language_pages
from explainer.content.story import load_story
from explainer.data.open_data import Site
from explainer.site.languages import languages_of
from explainer.site.seo import PageFacts, page_head, script_json
from html_reading import EVERY_TAG, JSON_LD, meta, parse
from html_reading import json_ld as json_ld_texts

JSON_LD_TYPES = {"incidents": "Event", "statements": "Quotation", "glossary": "DefinedTerm"}  # actors: by their kind
HOSTILE_PIECES = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


@dataclass
class Head:
    """What a page's <head> says, read as a browser reads it."""

    title: str = ""
    meta: dict[str, list[str]] = field(default_factory=dict)  # name or property -> contents
    canonical: str | None = None
    json_ld: list[str] = field(default_factory=list)  # the raw text of each JSON-LD script
    scripts: list[str] = field(default_factory=list)  # the raw text of every other inline script
    tags: list[str] = field(default_factory=list)

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, (key, values)
        return values[0]


@functools.cache  # each built site is in its own folder
def read_head(page: Path) -> Head:
    """The page's <head>; every tag in it counts, even one inside <title>, which a browser shows as text."""
    found = parse(page.read_text(encoding="utf-8"), raw_text=EVERY_TAG).find("head")
    if found is None:
        return Head()
    titles = found.find_all("title")
    canonical = [link.attrs["href"] for link in found.find_all("link", rel="canonical")]
    return Head(
        title=titles[-1].text() if titles else "",
        meta=meta(found),
        canonical=canonical[-1] if canonical else None,
        json_ld=json_ld_texts(found),
        scripts=[script.text() for script in found.find_all("script") if script.attrs.get("type", "") != JSON_LD],
        tags=[found.tag, *(element.tag for element in found.iter())],
    )


def pages(built: BuiltStory) -> dict[str, Head]:
    """Every page by its site-relative URL (`incidents/x/`, `` for the home page)."""
    found = own_language_pages(built.site)
    return {
        ("" if page.parent == built.site else page.parent.relative_to(built.site).as_posix() + "/"): read_head(page)
        for page in found
    }


def json_ld(head: Head) -> dict[str, Any]:
    [text] = head.json_ld
    return json.loads(text)


def resolve(page_url: str, href: str) -> str:
    """A URL from a page's JSON-LD as a site-relative URL."""
    return posixpath.normpath(posixpath.join("/" + page_url, href)).lstrip("/") + "/" if "://" not in href else href


# --- Every page: title, description, Open Graph ----------------------------------------------


def test_every_page_has_a_title_a_description_and_open_graph_tags(built: BuiltStory):
    heads = pages(built)
    site_name = heads[""].one("og:site_name")
    assert heads[""].title == site_name
    for url, head in heads.items():
        assert head.one("og:site_name") == site_name, url
        title = head.one("og:title")
        assert title and head.title in (title, f"{title} - {site_name}"), url
        description = head.one("description")
        assert description and fold(head.one("og:description")) == fold(description), url
        assert head.one("og:type") == ("website" if url == "" else "article"), url
        assert head.meta.get("og:url") == ([head.canonical] if head.canonical else None), url


def test_entity_pages_are_titled_by_their_entity(built: BuiltStory):
    for url, head in pages(built).items():
        entity = built.entity(url)
        if entity and entity[0] != "statements":
            kind, _, typed = entity
            assert head.one("og:title") == fold(
                typed["title" if kind == "incidents" else "term" if kind == "glossary" else "name"]
            ), url


# --- JSON-LD by page kind ---------------------------------------------------------------------


def expected_type(kind: str, typed: dict[str, Any]) -> str:
    if kind == "actors":
        return "Person" if typed["kind"] == "person" else "Organization"
    return JSON_LD_TYPES[kind]


def test_entity_pages_describe_their_entity_in_json_ld_and_other_pages_none(built: BuiltStory):
    for url, head in pages(built).items():
        entity = built.entity(url)
        if entity is None:
            assert head.json_ld == [], url
            continue
        kind, _, typed = entity
        data = json_ld(head)
        assert data["@context"] == "https://schema.org", url
        assert data["@type"] == expected_type(kind, typed), url
        assert resolve(url, data["url"]) == url


def test_events_have_their_date_at_its_precision_and_their_place(built: BuiltStory):
    for id, typed in built.story["incidents"].items():
        data = json_ld(pages(built)[f"incidents/{id}/"])
        assert data["name"] == fold(typed["title"])
        assert data["startDate"] == str(typed["date"])
        assert data.get("endDate") == (str(typed["end_date"]) if "end_date" in typed else None)
        location = typed.get("location")
        if location is None:
            assert "location" not in data
            continue
        assert data["location"]["@type"] == "Place" and data["location"]["name"] == fold(location["name"])
        if {"lat", "lon"} <= set(location):
            assert data["location"]["geo"] == {
                "@type": "GeoCoordinates",
                "latitude": location["lat"],
                "longitude": location["lon"],
            }
        else:
            assert "geo" not in data["location"]


def test_quotations_credit_their_speaker_and_cite_their_sources(built: BuiltStory):
    for id, typed in built.story["statements"].items():
        url = f"statements/{id}/"
        data = json_ld(pages(built)[url])
        speaker = built.story["actors"][typed["speaker"]]
        assert data["creator"]["@type"] == expected_type("actors", speaker)
        assert data["creator"]["name"] == fold(speaker["name"])
        assert resolve(url, data["creator"]["url"]) == f"actors/{typed['speaker']}/"
        assert data["dateCreated"] == str(typed["date"])
        # A paraphrase is no quotation: only words said verbatim are its text.
        assert data.get("text") == (fold(typed["quote"]) if "quote" in typed else None)
        cited = {work["url"] for work in data["citation"]}
        assert all(work["@type"] == "CreativeWork" for work in data["citation"])
        assert {built.story["sources"][source]["url"] for source in typed["sources"]} <= cited


def test_actors_and_terms_carry_their_other_names(built: BuiltStory):
    for kind, name_key in (("actors", "name"), ("glossary", "term")):
        for id, typed in built.story[kind].items():
            data = json_ld(pages(built)[f"{kind}/{id}/"])
            assert data["name"] == fold(typed[name_key])
            assert data.get("alternateName") == (
                [fold(alias) for alias in typed["aliases"]] if typed.get("aliases") else None
            )
    for id in built.story["glossary"]:
        term_set = json_ld(pages(built)[f"glossary/{id}/"])["inDefinedTermSet"]
        assert term_set["@type"] == "DefinedTermSet" and resolve(f"glossary/{id}/", term_set["url"]) == "glossary/"


# --- Hostile text stays text ------------------------------------------------------------------


def test_hostile_yaml_cannot_break_out_of_the_head(built: BuiltStory):
    for url, head in pages(built).items():
        for text in head.json_ld:
            # A `<` would let `</script>` in YAML end the element early; parsing proves it did not.
            assert not {"<", ">", "&"} & set(text), url
            json.loads(text)
        assert "img" not in head.tags, url
        assert not any(piece in script for script in head.scripts for piece in HOSTILE_PIECES), url


def test_hostile_names_reach_previews_and_json_ld_exactly_as_typed(built: BuiltStory):
    for kind, name_key in (("actors", "name"), ("incidents", "title")):
        for id, typed in built.story[kind].items():
            head = pages(built)[f"{kind}/{id}/"]
            assert head.one("og:title") == fold(typed[name_key])
            assert json_ld(head)["name"] == fold(typed[name_key])


def test_script_json_escapes_what_could_end_a_script():
    data = {"name": "</script><script>alert(1)</script><!-- & -->", "nested": ["<b>"]}
    text = script_json(data)
    assert not {"<", ">", "&"} & set(text)
    assert json.loads(text) == data


# --- Addresses --------------------------------------------------------------------------------


def test_with_a_site_url_json_ld_addresses_are_absolute():
    story = load_story(FIXTURES / "minimal")
    url = "https://example.org/story/"
    page = PageFacts(
        "statements/berg-accusation.md",
        "statements/berg-accusation/",
        "Berg",
        "",
        f"{url}statements/berg-accusation/",
        False,
    )
    (language,) = languages_of(story)
    head = page_head(story, page, Site("Story", "A story", url), language, [language], {}, gettext.NullTranslations())
    data = json.loads(head.json_ld)
    assert data["url"] == page.canonical_url and data["creator"]["url"] == f"{url}actors/anna-berg/"
    assert ("og:url", page.canonical_url) in head.open_graph
