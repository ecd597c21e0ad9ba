"""``semantic``: cosine of the two sides' multilingual sentence embeddings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from app.align.features.registry import Feature

if TYPE_CHECKING:
    from app.align.features.sides import SideArrays
from app.align.features.spaces import cosine


def semantic(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    return cosine(src.semantic, tgt.semantic, a, b, rows, cols)


FEATURE = Feature(
    "semantic",
    label="meaning",
    meaning="how close the two sides' meanings are, by a multilingual sentence-embedding model",
    compute=semantic,
    needs="embeddings",
)
