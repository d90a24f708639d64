"""A story in one of its languages, and what is translated, missing and stale in each.

Every page exists in every language: an entity takes its translation's words, and the words
a translation leaves out stay the original's, marked with the original's language
(rich_text.Untranslated, RichText.lang) so pages can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from explainer.content.fields import RecordField, known_language
from explainer.content.model import SCHEMAS, STORY, TRANSLATION_FIELDS, translation_record
from explainer.content.rich_text import RichText, Untranslated
from explainer.content.story import NAME_FIELD, Entity, Story, name_statements
from explainer.content.term_finder import TermFinder
from explainer.content.translations import Translation, fingerprint

STORY_KEY = ("story", "story")  # story.<language>.yml among a language's translations


def localized(story: Story, language: str, before: Story | None = None) -> Story:
    """`story` with the words of its `language` translations; the story itself for its own
    language. `before`, an earlier load of the story, lends the entities that neither their
    file nor their translation changed since (a preview localizes again on every save)."""
    if language == story.language:
        return story
    if language not in story.localizations:
        earlier = before.localizations.get(language) if before else None
        story.localizations[language] = _translated(story, language, earlier)
    return story.localizations[language]


def _translated(story: Story, language: str, earlier: Story | None) -> Story:
    translations = story.translations[language]

    def entity_in(original: Entity, key: tuple[str, str]) -> Entity:
        translation = translations.get(key)
        known = (earlier.about if key == STORY_KEY else earlier.entities[key[0]].get(key[1])) if earlier else None
        # A file read again unchanged keeps its fields (story.py), a translation itself.
        if known and known.original and known.original.fields is original.fields and known.translation is translation:
            return replace(known, original=original)
        return _entity(original, translation, story.language)

    about = entity_in(story.about, STORY_KEY)
    entities = {
        kind: {id: entity_in(entity, (kind, id)) for id, entity in of_kind.items()}
        for kind, of_kind in story.entities.items()
    }
    name_statements(entities, language)

    def same(entity: Entity) -> Entity:
        return about if entity.kind == "story" else entities[entity.kind][entity.id]

    # What names what by field is the same in every language; glossary mentions are found
    # again, in the translated words, when a page asks for them.
    referrers = {
        target: [(same(entity), name) for entity, name in named if name != "text"]
        for target, named in story._referrers.items()
    }
    terms = TermFinder(list(entities["glossary"].values()))
    return Story(story.folder, about, entities, terms, story.images, referrers, story.translations, language)


def _entity(original: Entity, translation: Translation | None, original_language: str) -> Entity:
    fields = dict(original.fields)
    untranslated: set[str] = set()
    words = translation.words if translation else {}
    for key, spec in translation_record(original.kind).fields.items():
        value = original.fields.get(key)
        if key in TRANSLATION_FIELDS or value is None:
            continue
        if isinstance(spec.type, RecordField):  # image, location: only some of their keys are words
            given = words.get(key, {})
            merged = dict(value)
            for part in spec.type.fields:
                if part in given:
                    merged[part] = given[part]
                elif value.get(part) is not None:
                    merged[part] = _marked(value[part], original_language)
                    untranslated.add(f"{key}.{part}")
            fields[key] = merged
        elif key in words:
            fields[key] = words[key]
        else:
            fields[key] = _marked(value, original_language)
            untranslated.add(key)
    _mark_verbatim(
        fields,
        STORY if original.kind == "story" else SCHEMAS[original.kind],
        _words_language(original, original_language),
    )
    references = original.references + (translation.references if translation else [])
    return Entity(
        original.kind,
        original.id,
        original.path,
        fields,
        original.lines,
        references,
        name=str(fields.get(NAME_FIELD.get(original.kind, "")) or ""),
        original=original,
        translation=translation,
        untranslated=frozenset(untranslated),
        stale=translation is not None
        and translation.fields.get("translated_from") != fingerprint(original.fields, original.kind),
    )


def _words_language(original: Entity, story_language: str) -> str:
    """The language of what an entity keeps as published: a source's own when it gives a
    code (its `language` is free text), else the story's."""
    code = str(original.fields.get("language") or "") if original.kind == "sources" else ""
    return code if known_language(code) else story_language


def _mark_verbatim(fields: dict[str, Any], record: RecordField, language: str) -> None:
    """Words kept as published (a headline, a credit) are in `language`, whatever the page's;
    the words of a quote as said are in the language they were said in."""
    for key, spec in record.fields.items():
        value = fields.get(key)
        if spec.verbatim and isinstance(value, str) and not isinstance(value, Untranslated):
            said_in = fields.get("quote_language") if key == "quote_original" else None
            fields[key] = Untranslated(value, said_in or language)
        elif isinstance(spec.type, RecordField) and isinstance(value, dict):
            fields[key] = dict(value)
            _mark_verbatim(fields[key], spec.type, language)


def _marked(value: Any, language: str) -> Any:
    if isinstance(value, RichText):
        return value.in_language(language)
    if isinstance(value, str):
        return Untranslated(value, language)
    if isinstance(value, list):
        return [_marked(item, language) for item in value]
    return value


@dataclass
class LanguageReport:
    """What `explainer validate` says of one language: the files translated, the originals
    with no translation (or fields left out of one), and the translations made from words
    that have changed since, with the fingerprint of the words they have now."""

    language: str
    translated: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stale: list[tuple[Path, str]] = field(default_factory=list)
    unmarked: list[Path] = field(default_factory=list)  # stale ones that never said what they were made from


def translation_report(story: Story) -> list[LanguageReport]:
    """A report for each of the story's languages other than its own."""
    if len(story.languages) == 1:
        return []  # and so no need to put every entity in reading order
    reports = []
    originals = [story.about, *(entity for kind in story.entities for entity in story.all(kind))]
    for language in story.languages[1:]:
        report = LanguageReport(language)
        translations = story.translations.get(language, {})
        for original in originals:
            record = translation_record(original.kind)
            wanted = [key for key in record.fields if key not in TRANSLATION_FIELDS and original.fields.get(key)]
            if original.fields.get("quote_language") == language and original.fields.get("quote_original"):
                wanted.remove("quote")  # its page shows the words as they were said
            if not wanted:
                continue  # a source: nothing to translate
            key = STORY_KEY if original.kind == "story" else (original.kind, original.id)
            translation = translations.get(key)
            if translation is None:
                report.missing.append(_display(original.path, story))
                continue
            report.translated.append(translation.path)
            left_out = [name for name in wanted if name not in translation.fields]
            if left_out:
                report.missing.append(f"{_display(translation.path, story)}: {', '.join(left_out)} not translated")
            now = fingerprint(original.fields, original.kind)
            if translation.fields.get("translated_from") != now:
                report.stale.append((translation.path, now))
                if "translated_from" not in translation.fields:
                    report.unmarked.append(translation.path)
        reports.append(report)
    return reports


def _display(path: Path, story: Story) -> str:
    return path.relative_to(story.folder).as_posix()
