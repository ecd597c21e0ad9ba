"""``length``: do the two sides' lengths agree as a translation's do (Gale and Church)?"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import numpy as np

from app.align.features.registry import Feature

if TYPE_CHECKING:
    from app.align.features.sides import SideArrays

# Variance of target length per source character; Gale & Church (1993) measured 6.8
# on English-French-German parliamentary text.
VARIANCE_PER_CHAR = 6.8
# log(probability) is floored here: 1.0 for a perfect match, 0.0 for e^-10 or less.
LOG_FLOOR = 10.0

# Characters of the CJK scripts carry about as much as three Latin letters; counting
# them three times (their size in UTF-8, as hunalign's byte counting does) puts the
# two sides of a Chinese-English pair on one scale, which Gale and Church's variance
# per character assumes.
WIDE_CHARS = re.compile(
    "[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]"
)
WIDE_WEIGHT = 3


def weighted_length(text: str) -> int:
    """Characters, each CJK character counting ``WIDE_WEIGHT`` times."""
    return len(text) + (WIDE_WEIGHT - 1) * len(WIDE_CHARS.findall(text))


def length(
    src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols, ratio: float
) -> np.ndarray:
    """Gale-Church agreement of the runs' lengths, 1 = as expected, 0 = e^-10 or less.

    Both lengths are measured in source units (the target's divided by the documents'
    ratio), so the variance per character means the same whatever the target's script.
    """
    s = src.run_chars(rows - a, a)
    t = tgt.run_chars(cols - b, b) / ratio
    mean = np.maximum((s + t) / 2, 1.0)
    delta = np.abs(t - s) / np.sqrt(mean * VARIANCE_PER_CHAR)
    # log(erfc(x / sqrt 2)) without underflow: for large x use the asymptotic form.
    log_p = np.where(
        delta < 8,
        np.log(np.maximum(_erfc(delta / math.sqrt(2)), 1e-300)),
        -(delta**2) / 2 - np.log(np.maximum(delta, 8.0) * math.sqrt(math.pi / 2)),
    )
    return 1.0 + np.maximum(log_p, -LOG_FLOOR) / LOG_FLOOR


def _erfc(x: np.ndarray) -> np.ndarray:
    """erfc for x >= 0 (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7)."""
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return poly * np.exp(-(x**2))


FEATURE = Feature(
    "length",
    label="length",
    meaning="how well the two sides' lengths agree, as a translation's usually do",
    compute=length,
    reads_ratio=True,
)
