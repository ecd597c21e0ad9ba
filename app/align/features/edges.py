"""Features at the edges of a bead: what lies just outside it (``leak``), where a
sentence is cut (``cut``), and lines with little text (``debris``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from app.align.features.registry import Feature

if TYPE_CHECKING:
    from app.align.features.sides import SideArrays
from app.align.features.spaces import cosine


def leak(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    """How well the line just before or just after the bead, on either side, fits the
    bead's nearest line on the other side: the best of the four cosines (0 past an end).

    Where the two texts cut their sentences at different places, a sentence runs on into
    the next line of the other side: a bead that stops at such a cut leaves part of its
    translation outside, and the line outside fits it well.
    """
    n, m = len(src), len(tgt)
    out = np.zeros(rows.size)
    neighbours = (
        (rows + 1, cols, rows < n),  # the next source line, the last target line
        (rows, cols + 1, cols < m),  # the last source line, the next target line
        (rows - a, cols - b + 1, rows - a >= 1),  # the previous source line, the first target
        (rows - a + 1, cols - b, cols - b >= 1),  # the first source line, the previous target
    )
    for src_ends, tgt_ends, inside in neighbours:
        src_ends, tgt_ends = np.clip(src_ends, 1, n), np.clip(tgt_ends, 1, m)
        fit = cosine(src.semantic, tgt.semantic, 1, 1, src_ends, tgt_ends)
        out = np.maximum(out, np.where(inside, fit, 0.0))
    return out


# What ends a sentence; a colon or semicolon does not (the sentence goes on after it).
_ENDS_SENTENCE = re.compile(r"[.!?…»\"”)\]。！？]\s*$")


def runs_on(texts: list[str]) -> np.ndarray:
    """Per boundary k (0..n): 1 when line k - 1 seems to run on into line k, because it
    does not end as a sentence does or line k starts with a lowercase letter."""
    out = np.zeros(len(texts) + 1)
    for k in range(1, len(texts)):
        if not _ENDS_SENTENCE.search(texts[k - 1]) or texts[k].lstrip()[:1].islower():
            out[k] = 1.0
    return out


def cut(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    """At how many of the bead's two ends (0, 1 or 2) one side cuts inside a running
    sentence and the other does not: there the other side's sentence likely goes on."""
    s, t = src.runs_on, tgt.runs_on
    return np.abs(s[rows] - t[cols]) + np.abs(s[rows - a] - t[cols - b])


# A line with fewer letters than this is partly debris: a page number, a stray mark of
# the OCR. Sentences have dozens.
DEBRIS_LETTERS = 12


def debris_scores(texts: list[str]) -> np.ndarray:
    """Per line, how little of a sentence it has: 1 - letters / DEBRIS_LETTERS, at least 0."""
    letters = np.fromiter(
        (sum(c.isalpha() for c in t) for t in texts), dtype=np.float64, count=len(texts)
    )
    return np.maximum(0.0, 1.0 - letters / DEBRIS_LETTERS)


def debris(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    """The debris of the bead's lines, summed over both sides: a line that translates
    nothing would rather stay one-sided than weigh on a neighbour's bead."""
    s, t = src.cumulative_debris, tgt.cumulative_debris
    return (s[rows] - s[rows - a]) + (t[cols] - t[cols - b])


LEAK = Feature(
    "leak",
    label="fit outside",
    meaning="how well a line just outside the pair fits it (a sentence cut at different places)",
    compute=leak,
    needs="embeddings",
)
CUT = Feature(
    "cut",
    label="cut sentence",
    meaning="ends where one side stops inside a running sentence and the other does not",
    compute=cut,
)
DEBRIS = Feature(
    "debris",
    label="debris",
    meaning="lines with few letters (page numbers, stray marks) in the pair",
    compute=debris,
)
