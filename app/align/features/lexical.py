"""``lexical``: shared character trigrams (names, numbers, cognates)."""

from __future__ import annotations

import zlib

import numpy as np

from app.align.features.registry import Feature
from app.align.features.spaces import space_cosine

LEXICAL_DIMENSIONS = 1024
NGRAM = 3


def lexical_vectors(texts: list[str], dimensions: int = LEXICAL_DIMENSIONS) -> np.ndarray:
    """Hashed bags of character trigrams, one row per text (not normalised).

    Names, numbers and cognates keep many character trigrams across languages that share
    a script; hashing them into a fixed number of buckets lets runs be summed and
    compared like embeddings. Collisions blur the counts a little, evenly for all pairs.
    """
    out = np.zeros((len(texts), dimensions), dtype=np.float32)
    # A text of a few hundred sentences repeats most of its trigrams: hash each once.
    buckets_of: dict[str, int] = {}
    for row, text in enumerate(texts):
        folded = " " + " ".join(text.casefold().split()) + " "
        grams = [folded[k : k + NGRAM] for k in range(len(folded) - NGRAM + 1)]
        for gram in set(grams).difference(buckets_of):
            buckets_of[gram] = zlib.crc32(gram.encode()) % dimensions
        if grams:
            buckets = np.fromiter(map(buckets_of.__getitem__, grams), np.int64, len(grams))
            out[row] = np.bincount(buckets, minlength=dimensions)
    return out


lexical = space_cosine("lexical")


FEATURE = Feature(
    "lexical",
    label="shared characters",
    meaning="character trigrams both sides share: names, numbers, cognates",
    compute=lexical,
)
