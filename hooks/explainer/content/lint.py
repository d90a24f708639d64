"""Warnings: content that is legal but likely wrong. They never fail a build on their own."""

from __future__ import annotations

from explainer.content.problems import Problem
from explainer.content.story import Entity, Story


def lint(story: Story) -> list[Problem]:
    return [*_unreferenced(story, "actors"), *_unreferenced(story, "sources"), *_answers_from_the_future(story)]


def _unreferenced(story: Story, kind: str) -> list[Problem]:
    what = {"actors": "no statement, incident or text mentions this actor", "sources": "nothing cites this source"}[
        kind
    ]
    return [
        _warning(entity, "name" if kind == "actors" else "title", f"{what}: reference it or delete the file")
        for entity in story.entities[kind].values()
        if not story.referred(entity)
    ]


def _answers_from_the_future(story: Story) -> list[Problem]:
    warnings = []
    for statement in story.entities["statements"].values():
        for answered in (story.get("statements", id) for id in statement.fields["responds_to"] or []):
            if answered.dated > statement.dated and not _same_period(answered, statement):
                warnings.append(
                    _warning(
                        statement,
                        "responds_to",
                        f"responds to '{answered.id}', which is dated later ({answered.dated}): check both dates",
                    )
                )
    return warnings


def _same_period(first: Entity, second: Entity) -> bool:
    """Whether two dates of different precision may be the same day (2025-07 and 2025-07-18)."""
    shorter = min(len(first.dated.iso()), len(second.dated.iso()))
    return first.dated.iso()[:shorter] == second.dated.iso()[:shorter]


def _warning(entity: Entity, field: str, message: str) -> Problem:
    line, column = entity.lines.get(field, (1, 1))
    return Problem(entity.path, line, message, column, severity="warning")
