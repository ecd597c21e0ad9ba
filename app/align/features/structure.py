"""``structure``: headings meet headings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from app.align.features.registry import Feature

if TYPE_CHECKING:
    from app.align.features.sides import SideArrays


def structure(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    """1 where the bead's runs hold as many headings as each other (at least one), -1
    where one holds more than the other, 0 where neither holds any: headings translate
    headings, and a heading joined to a paragraph on one side only is a misalignment."""
    s, t = src.cumulative_headings, tgt.cumulative_headings
    if s is None or t is None:
        return np.zeros(rows.size)
    hs, ht = s[rows] - s[rows - a], t[cols] - t[cols - b]
    return np.where((hs == 0) & (ht == 0), 0.0, np.where(hs == ht, 1.0, -1.0))


FEATURE = Feature(
    "structure",
    label="structure",
    meaning="headings paired with headings, paragraphs with paragraphs",
    compute=structure,
)
