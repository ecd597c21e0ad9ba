"""``anchors``: numbers, names, URLs and sentence punctuation found on both sides.

What counts as a number, a name or a URL is defined once, in ``app.align.anchors``
(which the QA checks read too); here they are counted into hashed buckets, so that runs
of units can be compared for many candidates at once.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

import numpy as np

from app.align import anchors as definitions
from app.align.features.registry import Feature

if TYPE_CHECKING:
    from app.align.features.sides import SideArrays

# Anchors: what a translation keeps whatever the script. Punctuation that marks the
# kind of sentence (questions, exclamations, quotations, lists after a colon...) in its
# Latin and full-width forms, numbers by their digits, URLs, and capitalised words that
# do not open a sentence (names; in a Chinese text, any Latin word).
PUNCTUATION_CLASSES = (
    "?？",
    "!！",
    ":：",
    ";；",
    '"“”„«»「」『』',
    "(（",
)
NUMBER_BUCKETS = 64
NAME_BUCKETS = 128
ANCHOR_DIMENSIONS = len(PUNCTUATION_CLASSES) + NUMBER_BUCKETS + NAME_BUCKETS
_PUNCTUATION = {c: k for k, chars in enumerate(PUNCTUATION_CLASSES) for c in chars}


def anchor_counts(texts: list[str]) -> np.ndarray:
    """Per text, its anchors counted into buckets: punctuation classes, then numbers (by
    their digits), then names and URLs (as ``app.align.anchors`` finds them)."""
    out = np.zeros((len(texts), ANCHOR_DIMENSIONS), dtype=np.int16)
    first_number = len(PUNCTUATION_CLASSES)
    first_name = first_number + NUMBER_BUCKETS

    def bucket(first: int, size: int, key: str) -> int:
        return first + zlib.crc32(key.encode()) % size

    for row, text in enumerate(texts):
        counts = out[row]
        for char, k in _PUNCTUATION.items():
            counts[k] += text.count(char)
        for url in definitions.URL.findall(text):
            counts[bucket(first_name, NAME_BUCKETS, url.rstrip("/"))] += 1
        plain = definitions.URL.sub(" ", text)
        for token in definitions.NUMBER.findall(plain):
            counts[bucket(first_number, NUMBER_BUCKETS, definitions.digits(token))] += 1
        for name in definitions.capitalised_words(plain):
            counts[bucket(first_name, NAME_BUCKETS, name)] += 1
    return out


def _anchor_runs(counts: np.ndarray, ends: np.ndarray, size: int) -> np.ndarray:
    runs = counts[ends - size].astype(np.int32)
    for k in range(1, size):
        runs += counts[ends - size + k]
    return runs


def anchors(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    """(matched - unmatched) / (matched + unmatched + 1) over the runs' anchors: 0 when
    neither has any, towards 1 when many match, towards -1 when many do not."""
    if _one_row(rows):
        rows = rows[:1]
    x = _anchor_runs(src.anchors, rows, a)
    y = _anchor_runs(tgt.anchors, cols, b)
    matched = np.minimum(x, y).sum(axis=1)
    unmatched = x.sum(axis=1) + y.sum(axis=1) - 2 * matched
    return (matched - unmatched) / (matched + unmatched + 1.0)


def latin_share(texts: list[str]) -> float:
    """The share of letters that are Latin (in about 200 of the texts)."""
    letters = latin = 0
    for text in texts[:: max(1, len(texts) // 200)]:
        for char in text:
            if char.isalpha():
                letters += 1
                latin += char < "\u0250"
    return latin / letters if letters else 1.0


def drop_names_across_scripts(src: SideArrays, tgt: SideArrays, src_texts, tgt_texts) -> None:
    """Names are compared only when both sides are written mostly in Latin script: a
    Chinese text writes the names of its English original in its own characters."""
    if min(latin_share(src_texts), latin_share(tgt_texts)) < 0.5:
        first_name = len(PUNCTUATION_CLASSES) + NUMBER_BUCKETS
        src.anchors[:, first_name:] = 0
        tgt.anchors[:, first_name:] = 0


def _one_row(rows: np.ndarray) -> bool:
    """Whether every candidate ends at the same source row (as in the banded search)."""
    return bool(rows.size) and rows[0] == rows[-1] and bool((rows == rows[0]).all())


FEATURE = Feature(
    "anchors",
    label="anchors",
    meaning="numbers, names, links and question or exclamation marks found on both sides",
    compute=anchors,
)
