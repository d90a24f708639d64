"""Glossary matching: the prefix-tree pattern finds exactly what one alternation per term would."""

from __future__ import annotations

import random
import re

import pytest

from explainer.content.term_finder import _trie


def plain_alternation(words: list[str]) -> re.Pattern[str]:
    """The obvious pattern, longest word first: correct, but slow with hundreds of terms."""
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=lambda word: (-len(word), word)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@pytest.mark.parametrize("seed", range(5))
def test_the_tree_matches_like_the_alternation(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(500):
        words: dict[str, str] = {}
        for _ in range(rng.randint(1, 8)):
            word = "".join(rng.choices("abAB -.ßİ", k=rng.randint(1, 6))).strip() or "a"
            words.setdefault(word.lower(), word)  # as TermFinder: one spelling per lower case
        text = "".join(rng.choices("abAB -.xßİiSs", k=40))
        tree = re.compile(rf"(?<!\w){_trie(list(words.values()))}(?!\w)", re.IGNORECASE)
        expected = [match.span() for match in plain_alternation(list(words.values())).finditer(text)]
        assert [match.span() for match in tree.finditer(text)] == expected, (list(words.values()), text)


def test_the_longest_term_wins_whatever_its_case() -> None:
    tree = re.compile(rf"(?<!\w){_trie(['Drone', 'drone strike', 'DRONE STRIKES'])}(?!\w)", re.IGNORECASE)
    assert [match.group() for match in tree.finditer("A drone Strike, two drone strikes, a drone.")] == [
        "drone Strike",
        "drone strikes",
        "drone",
    ]
