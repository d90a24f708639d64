"""The attribution ledger of an incident: every claim made about it, each response threaded
under the claim it answers, so that readers see who says what, and who answers whom."""

from __future__ import annotations

from dataclasses import dataclass, field

from explainer.content.story import Entity, Story


@dataclass
class Claim:
    statement: Entity
    responses: list[Claim] = field(default_factory=list)


def ledger(story: Story, incident: Entity) -> list[Claim]:
    """The statements about `incident`, oldest first. A statement that responds to another
    about the same incident is shown under it (under the oldest, if it answers several),
    even when it is dated more vaguely than what it answers; any other stands on its own. An
    answer that would close a loop (statements answering each other) stands on its own too."""
    statements = story.referrers(incident, "statements", "about")
    claims = {statement.id: Claim(statement) for statement in statements}
    order = list(claims)
    answers: dict[str, str] = {}  # statement id -> the id of the claim it is shown under
    for statement in statements:
        answered_here = sorted((id for id in statement.fields["responds_to"] or [] if id in claims), key=order.index)
        for answered in answered_here:
            if not _leads_to(answered, statement.id, answers):
                answers[statement.id] = answered
                break
    threads: list[Claim] = []
    for statement in statements:  # in reading order, so responses are too
        under = answers.get(statement.id)
        (claims[under].responses if under else threads).append(claims[statement.id])
    return threads


def _leads_to(start: str, target: str, answers: dict[str, str]) -> bool:
    """Whether `start` is `target` or is shown, at any depth, under it."""
    while start != target and start in answers:
        start = answers[start]
    return start == target
