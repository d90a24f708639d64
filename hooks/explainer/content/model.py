"""The content model: which kinds of entity exist and the fields of each.

This module is the single statement of the rules. Validation walks it; the editor guide, the
JSON Schemas, the open data and the scaffolding of new files read their descriptions from it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from explainer.content.dates import covers
from explainer.content.fields import (
    Check,
    ChoiceField,
    ContactField,
    DateField,
    Field,
    LanguageField,
    ListField,
    NumberField,
    RecordField,
    RefField,
    RichTextField,
    SourcedTextField,
    TextField,
    UrlField,
    WholeNumberField,
)
from explainer.content.folder import KINDS
from explainer.content.reader import Position

__all__ = [
    "DEFAULT_LANGUAGE",
    "KINDS",
    "MAX_NAME_LENGTH",
    "MAX_TERM_LENGTH",
    "SCHEMAS",
    "STORY",
    "TRANSLATION_FIELDS",
    "translation_record",
]

MAX_TERM_LENGTH = 80
DEFAULT_LANGUAGE = "en"  # a story.yml without `languages` is in English, as before it could say
MAX_ALT_LENGTH = 250
# A name or title labels its entity wherever it is referred to, so its length is multiplied by
# the references: a name of thousands of characters made pages of megabytes.
MAX_NAME_LENGTH = 250

# Rules that span several fields of one entity. They run even when another field has a
# problem, so that one run reports everything; `values` holds only the fields that checked.


def _end_not_before_start(values: dict[str, Any], lines: dict[str, Position], check: Check) -> None:
    start, end = values.get("date"), values.get("end_date")
    if start and end and not covers(start, end):
        check.problem(lines["end_date"], f"end_date {end.iso()} is before date {start.iso()}")


def _alt_says_what_it_shows(values: dict[str, Any], lines: dict[str, Position], check: Check) -> None:
    decorative = values.get("decorative") == "true"
    if values.get("alt") == "" and not decorative:
        check.problem(
            lines["alt"],
            "'alt' is empty: say what the picture shows, or add 'decorative: true' if it shows nothing a reader needs",
        )
    elif values.get("alt") and decorative:
        check.problem(
            lines["decorative"],
            "a decorative picture has 'alt: \"\"': screen readers skip it, so its description would never be heard",
        )


def _ids(kind: str) -> ListField:
    return ListField(RefField(kind))


LOCATION = RecordField(
    {
        "name": Field(TextField(), "place name, e.g. 'Kyiv, Ukraine'", required=True),
        "lat": Field(NumberField(-90, 90), "latitude in decimal degrees, −90 to 90"),
        "lon": Field(NumberField(-180, 180), "longitude in decimal degrees, −180 to 180"),
    }
)
CASUALTIES = RecordField(
    {
        "killed": Field(WholeNumberField(), "number of people killed"),
        "injured": Field(WholeNumberField(), "number of people injured"),
    }
)
LINK = RecordField(
    {
        "title": Field(TextField(), "what the link leads to", required=True),
        "url": Field(UrlField(), "https:// address", required=True),
    }
)
# A picture, in the story's media/ folder. The file itself is checked once every file is read.
IMAGE = RecordField(
    {
        "file": Field(
            TextField(), "file name in the story's media/ folder: JPEG, PNG or WebP", required=True, verbatim=True
        ),
        "alt": Field(
            TextField(max_length=MAX_ALT_LENGTH, may_be_empty=True),
            'what the picture shows, for readers who cannot see it ("" if decorative)',
            required=True,
        ),
        "credit": Field(TextField(), "who made it, as it should be credited", required=True, verbatim=True),
        "license": Field(TextField(), "its licence, e.g. 'CC BY 4.0' or 'All rights reserved'", verbatim=True),
        "source_url": Field(UrlField(), "https:// address where it was published"),
        "caption": Field(RichTextField(), "what readers should take from it"),
        "decorative": Field(ChoiceField("true", "false"), 'true if it shows nothing a reader needs (then alt is "")'),
    },
    rules=(_alt_says_what_it_shows,),
)
PICTURE = Field(IMAGE, "a picture: {file, alt, credit, license, source_url, caption}")

# Any entity may say what was corrected in it after publication: readers see it on its
# page and on the corrections page.
CORRECTIONS = Field(
    ListField(
        RecordField(
            {
                "date": Field(DateField(), "when the correction was made", required=True),
                "text": Field(TextField(), "what was wrong and what it says now", required=True),
            }
        )
    ),
    "corrections made after publication: list of {date, text}",
)

# The developing story's log, written by editors: readers see it on /updates/ and in the feeds.
UPDATES = Field(
    ListField(
        RecordField(
            {
                "date": Field(DateField(), "when the story was updated", required=True),
                "text": Field(TextField(), "what changed, e.g. 'Russia's foreign ministry responded'", required=True),
            }
        )
    ),
    "what changed in the story since it was first published: list of {date, text}",
)

SCHEMAS: dict[str, RecordField] = {
    "actors": RecordField(
        {
            "name": Field(TextField(max_length=MAX_NAME_LENGTH), "the name readers know", required=True),
            "kind": Field(
                ChoiceField("person", "state", "institution", "company", "organization", "media"),
                "what sort of actor",
                required=True,
            ),
            "role": Field(TextField(), "job or function, e.g. 'President of Azerbaijan'"),
            "country": Field(TextField(), "country the actor belongs to"),
            "member_of": Field(RefField("actors"), "id of the actor this one belongs to"),
            "aliases": Field(ListField(TextField()), "other names"),
            "summary": Field(RichTextField(), "who they are, in a sentence or two"),
            "links": Field(ListField(LINK), "official pages: list of {title, url}"),
            "image": PICTURE,
            "corrections": CORRECTIONS,
        }
    ),
    "sources": RecordField(
        {
            # A source is cited as it was published: its headline is not translated.
            "title": Field(
                TextField(max_length=MAX_NAME_LENGTH), "headline or document title", required=True, verbatim=True
            ),
            "publisher": Field(TextField(), "who published it", required=True, verbatim=True),
            "url": Field(UrlField(), "https:// address of the source", required=True),
            "published": Field(DateField(), "publication date"),
            "author": Field(TextField(), "author or authors", verbatim=True),
            "archive_url": Field(UrlField(), "https:// address of an archived copy"),
            "language": Field(TextField(), "language code, e.g. 'en'", verbatim=True),
            "corrections": CORRECTIONS,
        }
    ),
    "glossary": RecordField(
        {
            # Terms are matched in every text of the story: a short word or phrase, not a sentence.
            "term": Field(TextField(max_length=MAX_TERM_LENGTH), "the term as readers meet it", required=True),
            "definition": Field(RichTextField(), "what it means, in a sentence or two", required=True),
            "aliases": Field(
                ListField(TextField(max_length=MAX_TERM_LENGTH)), "other spellings and forms that should link here"
            ),
            "category": Field(TextField(), "a group such as 'weapons' or 'diplomacy'"),
            "sources": Field(_ids("sources"), "ids of sources for the definition"),
            "corrections": CORRECTIONS,
        }
    ),
    "incidents": RecordField(
        {
            "title": Field(TextField(max_length=MAX_NAME_LENGTH), "short neutral headline", required=True),
            "date": Field(DateField(), "when it happened: YYYY-MM-DD, YYYY-MM or YYYY", required=True),
            "summary": Field(RichTextField(), "what happened, every claim attributed", required=True),
            "sources": Field(ListField(RefField("sources"), at_least=1), "ids of the sources", required=True),
            "end_date": Field(DateField(), "last day, for an incident that lasted"),
            "location": Field(LOCATION, "{name, lat, lon}"),
            "actors": Field(_ids("actors"), "ids of the actors involved"),
            "terms": Field(_ids("glossary"), "ids of glossary terms that explain it"),
            "damage": Field(RichTextField(), "damage reported, attributed"),
            "casualties": Field(CASUALTIES, "{killed, injured}"),
            "status": Field(ChoiceField("confirmed", "reported", "disputed"), "how established the facts are"),
            "tags": Field(ListField(TextField()), "keywords"),
            "image": PICTURE,
            "corrections": CORRECTIONS,
        },
        rules=(_end_not_before_start,),
    ),
    "statements": RecordField(
        {
            "speaker": Field(RefField("actors"), "id of the actor who said it", required=True),
            "date": Field(DateField(), "when it was said", required=True),
            "sources": Field(ListField(RefField("sources"), at_least=1), "ids of the sources", required=True),
            "quote": Field(TextField(), "the words said, verbatim, or as the source translated them"),
            "quote_language": Field(
                LanguageField(),
                "the language the words were said in, when the quote is a translation of them, e.g. 'ru'",
            ),
            "quote_original": Field(
                TextField(), "the words as they were said, in quote_language, where the story has them", verbatim=True
            ),
            "summary": Field(RichTextField(), "a paraphrase of what was said"),
            "venue": Field(TextField(), "where it was said"),
            "context": Field(RichTextField(), "what prompted it, and what is unclear"),
            "about": Field(_ids("incidents"), "ids of the incidents it is about"),
            "responds_to": Field(_ids("statements"), "ids of the statements it answers"),
            "attributes_to": Field(_ids("actors"), "ids of the actors the speaker holds responsible"),
            "stance": Field(TextField(), "the claim in one short line"),
            "image": PICTURE,
            "corrections": CORRECTIONS,
        },
        one_of=("quote", "summary"),
    ),
}

# story.yml: the story itself, at the root of the content folder.
STORY = RecordField(
    {
        "title": Field(TextField(max_length=MAX_NAME_LENGTH), "the story's headline: it names the site", required=True),
        "standfirst": Field(TextField(), "one or two sentences that say what the story is", required=True),
        "summary": Field(RichTextField(), "the lede: what happened and why it matters, every claim attributed"),
        "key_facts": Field(
            ListField(SourcedTextField()), "At a glance: each fact names its source or entity with [[kind/id]]"
        ),
        "open_questions": Field(ListField(RichTextField()), "What we don't know: questions the sources leave open"),
        "focus": Field(_ids("incidents"), "ids of the incidents whose claims the front page sets side by side"),
        "languages": Field(
            ListField(LanguageField(), at_least=1),
            "the story's languages, BCP 47 codes: the first is the one it is written in, e.g. [en, ru, uk]",
        ),
        "byline": Field(TextField(), "who wrote the explainer", verbatim=True),
        "published": Field(DateField(), "when the explainer was first published"),
        "updated": Field(DateField(), "when it was last updated (default: the content's last commit)"),
        "updates": UPDATES,
        "image": Field(
            IMAGE, "the hero picture, at least 1200 px wide: {file, alt, credit, license, source_url, caption}"
        ),
        "newsroom": Field(
            RecordField(
                {
                    "name": Field(
                        TextField(), "the newsroom's name, shown in the footer", required=True, verbatim=True
                    ),
                    "url": Field(UrlField(), "https:// address of the newsroom"),
                    "corrections": Field(ContactField(), "where readers report an error: https:// or mailto: address"),
                }
            ),
            "who publishes it: {name, url, corrections}",
        ),
    }
)

# What a translation file says of itself, besides the translated fields.
TRANSLATION_FIELDS = {
    "translator": Field(TextField(), "who made the translation", verbatim=True),
    "reviewed_by": Field(TextField(), "the editor who checked it against the original", verbatim=True),
    "translated_from": Field(
        TextField(),
        "the fingerprint of the original's words it was made from; `explainer validate` says it when they change",
        verbatim=True,
    ),
}


@cache  # the model never changes: asked for each entity of thousands, it is made once per kind
def translation_record(kind: str) -> RecordField:
    """The keys a translation of an entity of `kind` (or of story.yml, `story`) may hold."""
    original = STORY if kind == "story" else SCHEMAS[kind]
    translated = original.translated()
    return RecordField({**(translated.fields if translated else {}), **TRANSLATION_FIELDS})
