"""``semantic``: cosine of the two sides' multilingual sentence embeddings."""

from __future__ import annotations

from app.align.features.registry import Feature
from app.align.features.spaces import space_cosine

semantic = space_cosine("semantic")


FEATURE = Feature(
    "semantic",
    label="meaning",
    meaning="how close the two sides' meanings are, by a multilingual sentence-embedding model",
    compute=semantic,
    needs="embeddings",
)
