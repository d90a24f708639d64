"""What a page tells search engines and link previews: Open Graph tags and schema.org JSON-LD.

The theme already prints `<title>` and the meta description from the page's front matter;
this adds the Open Graph tags that link previews read, and for an entity's page a JSON-LD
description of the entity: an `Event` for an incident, a `Person` or `Organization` for an
actor, a `DefinedTerm` for a glossary term, a `Quotation` for a statement. The JSON-LD only
says what the page says: who is involved in an incident is not who performed it, and a
statement known only as a paraphrase has no quotation `text`.
"""

from __future__ import annotations

import gettext
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from explainer.content.history import History, dates_of
from explainer.content.story import Entity, Story
from explainer.site import urls
from explainer.site.languages import Language
from explainer.site.plan import N_, source_of
from explainer.site.share_cards import SharedCard
from explainer.site.urls import Site

ATOM_TITLE = N_("%(story)s: what's new (Atom)")
JSON_FEED_TITLE = N_("%(story)s: what's new (JSON Feed)")

CONTEXT = "https://schema.org"
# `<`, `>` and `&` as JSON escapes: text from YAML such as `</script>` cannot end the script
# element it sits in, and nothing in it reads as HTML.
_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}

Address = Callable[[str], str]  # a site-relative URL as this page can link to it


@dataclass(frozen=True)
class PageFacts:
    """What the theme knows of a page; `title` and `description` as it prints them, HTML."""

    src_uri: str  # e.g. `incidents/x.md`
    url: str  # site-relative, `""` for the home page
    title: str
    description: str
    canonical_url: str | None  # known when mkdocs.yml has a site_url
    is_homepage: bool


@dataclass(frozen=True)
class FeedLink:
    """A `<link rel="alternate">` to one of the feeds of the page's language."""

    type: str
    url: str  # site-relative, `ru/feed.xml`
    title: str  # plain text, for the template to escape


@dataclass(frozen=True)
class Head:
    """Additions to a page's `<head>`: (property, plain text) pairs of Open Graph tags and
    (name, plain text) pairs of Twitter's, for the template to escape, JSON-LD already safe to
    print inside `<script>`, or "" for none, and the feeds."""

    open_graph: list[tuple[str, str]]
    json_ld: str
    feeds: tuple[FeedLink, ...]
    named: list[tuple[str, str]] = field(default_factory=list)  # `<meta name=…>`: Twitter reads no `property`


def page_head(
    story: Story,
    page: PageFacts,
    site: Site,
    language: Language,
    languages: list[Language],
    history: History,
    words: gettext.NullTranslations,
    card: SharedCard | None = None,
) -> Head:
    """The head of a page in `language`, of a story in `languages`, with its share `card`;
    `story` is the story in that language and `page.src_uri` the page's address in the
    story's own language. An entity's page says when its file was first published and last
    changed (`history`)."""
    title = site.name if page.is_homepage else _text(page.title) or site.name
    open_graph = [
        ("og:type", "website" if page.is_homepage else "article"),
        ("og:site_name", site.name),
        ("og:title", title),
        ("og:description", _text(page.description) or site.description),
        ("og:locale", language.open_graph),
        *(("og:locale:alternate", other.open_graph) for other in languages if other != language),
    ]
    if page.canonical_url:
        open_graph.append(("og:url", page.canonical_url))
    named = []
    if card is not None:
        # Absolute where the site's address is known, as link previews need it; else relative to the page.
        address = site.address(card.url) if site.url else urls.RelativeLinks(page.url).href(card.url)
        open_graph += [
            ("og:image", address),
            ("og:image:type", "image/png"),
            ("og:image:width", str(card.width)),
            ("og:image:height", str(card.height)),
            ("og:image:alt", card.alt),
        ]
        named.append(("twitter:card", "summary_large_image"))
    name = {"story": str(story.about.fields["title"])}
    atom, json_feed = urls.feeds(language.prefix)
    feeds = (
        FeedLink("application/atom+xml", atom, words.gettext(ATOM_TITLE) % name),
        FeedLink("application/feed+json", json_feed, words.gettext(JSON_FEED_TITLE) % name),
    )
    entity = entity_of(story, page.src_uri)
    if entity is None:
        return Head(open_graph, "", feeds, named)
    described = {**json_ld(story, entity, _addresser(page, site, language)), "inLanguage": language.code}
    dates = dates_of(history, story.folder, source_of(entity))
    if dates:
        described.update(datePublished=dates.first_published.iso(), dateModified=dates.last_changed.iso())
    return Head(open_graph, script_json(described), feeds, named)


def entity_of(story: Story, src_uri: str) -> Entity | None:
    """The entity whose page is at `src_uri` (`incidents/x.md`), if it is an entity's page."""
    address = urls.entity_at(src_uri)
    return story.entities.get(address[0], {}).get(address[1]) if address else None


def script_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)


def _text(html: str) -> str:
    """The words of a title or description that the theme holds as HTML."""
    return Markup(html).striptags()


def _addresser(page: PageFacts, site: Site, language: Language) -> Address:
    """Absolute URLs of the pages in `language` when the site's address is known, else URLs
    relative to the page, which JSON-LD readers resolve against the page's address."""
    address = site.address if site.url else urls.RelativeLinks(page.url).href
    return lambda url: address(urls.in_language(url, language.prefix))


def json_ld(story: Story, entity: Entity, address: Address) -> dict[str, Any]:
    describe = {
        "incidents": _event,
        "actors": _actor,
        "glossary": _term,
        "statements": _quotation,
        "sources": _creative_work,
    }
    return {"@context": CONTEXT, **describe[entity.kind](story, entity, address)}


def _event(story: Story, incident: Entity, address: Address) -> dict[str, Any]:
    fields = incident.fields
    return _without_blanks(
        {
            "@type": "Event",
            "name": incident.name,
            "description": story.plain_text(fields["summary"]),
            "startDate": incident.dated.iso(),  # ISO 8601 at the precision known: 2025, 2025-07
            "endDate": fields["end_date"].iso() if fields["end_date"] else None,
            "location": _place(incident) if fields["location"] else None,
            "url": address(urls.entity_url(incident)),
        }
    )


def _place(incident: Entity) -> dict[str, Any]:
    place: dict[str, Any] = {"@type": "Place", "name": incident.fields["location"]["name"]}
    if incident.coordinates:
        latitude, longitude = incident.coordinates
        place["geo"] = {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}
    return place


def _agent(actor: Entity, address: Address) -> dict[str, Any]:
    return {
        "@type": "Person" if actor.fields["kind"] == "person" else "Organization",
        "name": actor.name,
        "url": address(urls.entity_url(actor)),
    }


def _actor(story: Story, actor: Entity, address: Address) -> dict[str, Any]:
    fields = actor.fields
    return _without_blanks(
        {
            **_agent(actor, address),
            "alternateName": fields["aliases"],
            "jobTitle": fields["role"] if fields["kind"] == "person" else None,
            "description": story.plain_text(fields["summary"]) or fields["role"],
            "memberOf": _agent(story.get("actors", fields["member_of"]), address) if fields["member_of"] else None,
            "sameAs": [link["url"] for link in fields["links"] or []],
        }
    )


def _term(story: Story, term: Entity, address: Address) -> dict[str, Any]:
    return _without_blanks(
        {
            "@type": "DefinedTerm",
            "name": term.name,
            "alternateName": term.fields["aliases"],
            "description": story.plain_text(term.fields["definition"]),
            "inDefinedTermSet": {
                "@type": "DefinedTermSet",
                "name": "Glossary",
                "url": address(urls.index_of("glossary")),
            },
            "url": address(urls.entity_url(term)),
        }
    )


def _quotation(story: Story, statement: Entity, address: Address) -> dict[str, Any]:
    fields = statement.fields
    return _without_blanks(
        {
            "@type": "Quotation",
            "text": fields["quote"],
            "description": story.plain_text(fields["summary"]),
            "creator": _agent(story.get("actors", fields["speaker"]), address),
            "dateCreated": statement.dated.iso(),
            "locationCreated": {"@type": "Place", "name": fields["venue"]} if fields["venue"] else None,
            "about": [_event_link(story.get("incidents", id), address) for id in fields["about"] or []],
            "citation": [_creative_work(story, source, address) for source in story.sources_of([statement])],
            "url": address(urls.entity_url(statement)),
        }
    )


def _event_link(incident: Entity, address: Address) -> dict[str, Any]:
    return {"@type": "Event", "name": incident.name, "url": address(urls.entity_url(incident))}


def _creative_work(story: Story, source: Entity, address: Address) -> dict[str, Any]:
    """A source, at the address where it was published."""
    fields = source.fields
    return _without_blanks(
        {
            "@type": "CreativeWork",
            "name": source.name,
            "url": fields["url"],
            "publisher": {"@type": "Organization", "name": fields["publisher"]},
            "datePublished": fields["published"].iso() if fields["published"] else None,
            "archivedAt": fields["archive_url"],
            "inLanguage": fields["language"],
        }
    )


def _without_blanks(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out what the editor did not give, rather than print nulls and empty lists."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}
