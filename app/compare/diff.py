"""Word differences between two versions in one language.

Texts are cut into tokens (words, numbers, single punctuation marks), and rapidfuzz's
Levenshtein opcodes over the two token lists say which tokens were kept, inserted,
deleted or replaced. Working on tokens rather than characters keeps the marks readable:
"border" replaced by "frontier" is one replaced word, not a scatter of changed letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Indel, Levenshtein

# A word (letters, digits, joined by apostrophes or hyphens inside it) or one other
# non-space character.
TOKEN = re.compile(r"\w+(?:['’\-]\w+)*|[^\w\s]", re.UNICODE)
# The same, each token with the whitespace after it.
_TOKEN_AND_SPACE = re.compile(r"(\w+(?:['’\-]\w+)*|[^\w\s])(\s*)", re.UNICODE)


@dataclass(frozen=True)
class Token:
    text: str
    # The whitespace that follows the token in its text, kept to show the text as written.
    space: str


def tokenize(text: str) -> list[Token]:
    return [Token(token, space) for token, space in _TOKEN_AND_SPACE.findall(text)]


def words(text: str) -> list[str]:
    """The token texts alone, as the metrics and the divergence compare them."""
    return TOKEN.findall(text)


@dataclass(frozen=True)
class Change:
    """A run of the diff: ``tag`` is equal, insert, delete or replace; ``old`` are the
    base version's tokens, ``new`` the other version's."""

    tag: str
    old: tuple[Token, ...]
    new: tuple[Token, ...]


def word_diff(base: str, other: str) -> list[Change]:
    """How ``other`` differs from ``base``, token by token."""
    old, new = tokenize(base), tokenize(other)
    codes = Levenshtein.opcodes([t.text for t in old], [t.text for t in new])
    return [
        Change(
            code.tag,
            tuple(old[code.src_start : code.src_end]),
            tuple(new[code.dest_start : code.dest_end]),
        )
        for code in codes
        if code.src_start != code.src_end or code.dest_start != code.dest_end
    ]


def changed_tokens(changes: list[Change]) -> tuple[set[int], set[int]]:
    """The indices of the base's tokens deleted or replaced, and of the other's inserted or
    replaced: what a reader sees marked."""
    old_marked: set[int] = set()
    new_marked: set[int] = set()
    i = j = 0
    for change in changes:
        if change.tag != "equal":
            old_marked.update(range(i, i + len(change.old)))
            new_marked.update(range(j, j + len(change.new)))
        i += len(change.old)
        j += len(change.new)
    return old_marked, new_marked


def divergence(base: str, other: str) -> float:
    """0 for the same words, 1 for nothing in common: the normalised token edit distance
    (insertions and deletions, so a replaced word counts as both)."""
    return token_divergence(words(base), words(other))


def token_divergence(a: list[str], b: list[str]) -> float:
    """``divergence`` of two texts already cut into tokens."""
    if not a and not b:
        return 0.0
    return round(Indel.normalized_distance(a, b), 4)
