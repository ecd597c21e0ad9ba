"""The features of candidate beads, computed with numpy for every candidate of a shape
at once, and their registry (``FEATURES``, by name).

Adding a signal means writing one module here that declares a ``registry.Feature``,
listing it in ``_MODULES``, and refitting the models (``bench/fit_model.py``).
"""

from __future__ import annotations

import numpy as np

from app.align.features import anchors as _anchors
from app.align.features import edges as _edges
from app.align.features import length as _length
from app.align.features import lexical as _lexical
from app.align.features import lexicon as _lexicon
from app.align.features import mt as _mt
from app.align.features import overhang as _overhang
from app.align.features import semantic as _semantic
from app.align.features import structure as _structure
from app.align.features.anchors import (
    anchor_counts,
    anchors,
    drop_names_across_scripts,
    latin_share,
)
from app.align.features.edges import DEBRIS_LETTERS, cut, debris, debris_scores, leak, runs_on
from app.align.features.length import length, weighted_length
from app.align.features.lexical import lexical, lexical_vectors
from app.align.features.lexicon import attach_lexicon, lexicon
from app.align.features.mt import ChrfSpace, hashed_chrf, mt, ngram_counts
from app.align.features.overhang import overhang
from app.align.features.registry import Feature
from app.align.features.semantic import semantic
from app.align.features.sides import SideArrays, blocks
from app.align.features.spaces import RunSpace, cosine
from app.align.features.structure import structure

FEATURES: dict[str, Feature] = {
    feature.name: feature
    for feature in (
        _semantic.FEATURE,
        _mt.FEATURE,
        _lexical.FEATURE,
        _anchors.FEATURE,
        _length.FEATURE,
        _structure.FEATURE,
        _lexicon.FEATURE,
        _edges.LEAK,
        _edges.CUT,
        _edges.DEBRIS,
        _overhang.FEATURE,
    )
}


def available(src: SideArrays, tgt: SideArrays) -> list[str]:
    """The features both sides carry what it takes to compute, in registry order."""
    return [name for name, feature in FEATURES.items() if feature.available(src, tgt)]


def compute(
    names, src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols, ratio: float
) -> dict[str, np.ndarray]:
    """The features ``names`` of the candidate beads of shape a-b ending at (rows, cols)."""
    return {name: FEATURES[name].values(src, tgt, a, b, rows, cols, ratio) for name in names}


def label(name: str) -> str:
    """The feature's name for people (the name itself for one not registered)."""
    feature = FEATURES.get(name)
    return feature.label if feature is not None else name


def meaning(name: str) -> str:
    feature = FEATURES.get(name)
    return feature.meaning if feature is not None else ""


__all__ = [
    "DEBRIS_LETTERS",
    "FEATURES",
    "ChrfSpace",
    "Feature",
    "RunSpace",
    "SideArrays",
    "anchor_counts",
    "anchors",
    "attach_lexicon",
    "available",
    "blocks",
    "compute",
    "cosine",
    "cut",
    "debris",
    "debris_scores",
    "drop_names_across_scripts",
    "hashed_chrf",
    "label",
    "latin_share",
    "leak",
    "length",
    "lexical",
    "lexical_vectors",
    "lexicon",
    "meaning",
    "mt",
    "ngram_counts",
    "overhang",
    "runs_on",
    "semantic",
    "structure",
    "weighted_length",
]
