"""Word differences: rapidfuzz's opcodes over tokens, checked against difflib."""

from __future__ import annotations

import difflib
import random
from pathlib import Path

import pytest

from app.compare.diff import changed_tokens, divergence, tokenize, word_diff, words
from app.services.comparison_view import pieces

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "dw-2025-02-17-mexico-border"


def marked(base: str, other: str) -> tuple[set[int], set[int]]:
    return changed_tokens(word_diff(base, other))


def test_identical_versions_show_no_differences():
    text = "The border wall, built in 2019, stretches 700 kilometres."
    assert marked(text, text) == (set(), set())
    assert [p.kind for p in pieces(word_diff(text, text))] == ["same"]


def test_one_changed_word_shows_exactly_that_word():
    base = "Migrants wait at the border for weeks."
    other = "Migrants wait at the frontier for weeks."
    old, new = marked(base, other)
    assert [tokenize(base)[k].text for k in old] == ["border"]
    assert [tokenize(other)[k].text for k in new] == ["frontier"]
    shown = pieces(word_diff(base, other))
    assert [(p.kind, p.text) for p in shown if p.kind != "same"] == [
        ("del", "border "),
        ("ins", "frontier "),
    ]


def test_an_inserted_word_is_marked_as_inserted_and_nothing_else():
    changes = word_diff("They crossed the river.", "They finally crossed the river.")
    assert [(c.tag, [t.text for t in c.new]) for c in changes if c.tag != "equal"] == [
        ("insert", ["finally"])
    ]


def test_the_text_is_shown_as_written():
    other = "Two  lines,\nkept apart — and a dash."
    shown = pieces(word_diff("Something else entirely.", other))
    assert "".join(p.text for p in shown if p.kind != "del") == other


def test_tokens_are_words_numbers_and_single_punctuation_marks():
    assert words("It's 1,200 km—long, isn't it?") == [
        "It's", "1", ",", "200", "km", "—", "long", ",", "isn't", "it", "?"
    ]  # fmt: skip


def difflib_marked(a: list[str], b: list[str]) -> tuple[set[int], set[int]]:
    old, new = set(), set()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            old.update(range(i1, i2))
            new.update(range(j1, j2))
    return old, new


def mutate(rng: random.Random, tokens: list[str], vocabulary: list[str]) -> list[str]:
    out = list(tokens)
    for _ in range(rng.randint(0, 4)):
        action = rng.choice(["replace", "insert", "delete"])
        k = rng.randrange(len(out) + 1)
        if action == "insert" or not out:
            out.insert(k, rng.choice(vocabulary))
        elif action == "delete":
            del out[min(k, len(out) - 1)]
        else:
            out[min(k, len(out) - 1)] = rng.choice(vocabulary)
    return out


def test_differences_agree_with_difflib_on_at_least_99_percent_of_tokens():
    """Over the corpus' paragraphs edited at random, a token is marked changed by the
    comparison exactly when difflib marks it, for 99% of all tokens or more."""
    paragraphs = [p for p in (CORPUS / "en.txt").read_text().split("\n\n") if p.strip()]
    vocabulary = sorted({w for p in paragraphs for w in words(p)})
    rng = random.Random(7)
    agree = total = 0
    for paragraph in paragraphs * 5:
        base = words(paragraph)
        other = mutate(rng, base, vocabulary)
        ours = marked(" ".join(base), " ".join(other))
        theirs = difflib_marked(base, other)
        for side, length in ((0, len(base)), (1, len(other))):
            for k in range(length):
                total += 1
                agree += (k in ours[side]) == (k in theirs[side])
    assert total > 5000
    assert agree / total >= 0.99, f"agreement {agree / total:.4f}"


@pytest.mark.parametrize(
    ("base", "other", "expected"),
    [
        ("a b c", "a b c", 0.0),
        ("a b c", "x y z", 1.0),
        ("", "", 0.0),
        ("a b c d", "a b c e", 0.25),
    ],
)
def test_divergence_is_the_normalised_token_distance(base, other, expected):
    assert divergence(base, other) == expected
