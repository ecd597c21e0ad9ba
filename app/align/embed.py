"""Embedding sentences and runs of sentences, with an optional cache keyed by text.

Runs of up to ``concat_runs`` sentences are embedded as one concatenated text: on the
Text+Berg dev set that beat summing the sentences' vectors (see docs/benchmarks.md).
Longer runs use the normalised sum. A cache (the store's ``embeddings`` table, or a
dict) means re-aligning the same texts costs no model call at all.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

Encoder = Callable[[Sequence[str]], np.ndarray]
BATCH = 256


class EmbeddingCache(Protocol):
    def get_many(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None: ...


class MemoryCache:
    """A cache in a dict, for one process."""

    def __init__(self) -> None:
        self._store: dict[tuple[str, str], np.ndarray] = {}

    def get_many(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        return {h: self._store[(model, h)] for h in hashes if (model, h) in self._store}

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        for h, v in vectors.items():
            self._store[(model, h)] = v


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def embed_texts(
    texts: Sequence[str],
    encoder: Encoder,
    model: str,
    cache: EmbeddingCache | None = None,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """L2-normalised embeddings of ``texts``, computing only those not in the cache.

    ``progress(count)`` hears how many of ``texts`` are done: first those the cache (or
    a repetition) already held, then each computed batch; the counts add up to ``len(texts)``.
    """
    hashes = [text_hash(t) for t in texts]
    known = cache.get_many(model, sorted(set(hashes))) if cache else {}
    missing = sorted({h: t for h, t in zip(hashes, texts, strict=True) if h not in known}.items())
    repeats = Counter(hashes)
    if progress and len(texts) > len(missing):
        progress(len(texts) - sum(repeats[h] for h, _ in missing))
    fresh: dict[str, np.ndarray] = {}
    for first in range(0, len(missing), BATCH):
        chunk = missing[first : first + BATCH]
        vectors = np.asarray(encoder([t for _, t in chunk]), dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        fresh.update({h: v for (h, _), v in zip(chunk, vectors, strict=True)})
        if progress:
            progress(sum(repeats[h] for h, _ in chunk))
    if cache and fresh:
        cache.put_many(model, fresh)
    known.update(fresh)
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    return np.stack([known[h] for h in hashes])


def run_starts(n: int, size: int, regions: np.ndarray | None = None) -> np.ndarray:
    """The first sentence of each run of ``size`` consecutive sentences worth embedding:
    every run, or with ``regions`` (the region of each sentence) those inside one region."""
    starts = np.arange(max(0, n - size + 1))
    if regions is None or not starts.size:
        return starts
    return starts[regions[starts] == regions[starts + size - 1]]


def run_texts(sentences: Sequence[str], size: int, starts: np.ndarray | None = None) -> list[str]:
    """The concatenated texts of the runs of ``size`` consecutive sentences (starting at
    ``starts``, default every position)."""
    if starts is None:
        starts = run_starts(len(sentences), size)
    return [" ".join(sentences[k : k + size]) for k in starts]


def count_texts(n: int, concat_runs: int, regions: np.ndarray | None = None) -> int:
    """How many texts ``embed_side`` embeds for ``n`` sentences."""
    return sum(run_starts(n, size, regions).size for size in range(1, concat_runs + 1))


def embed_side(
    sentences: Sequence[str],
    encoder: Encoder,
    model: str,
    concat_runs: int,
    cache: EmbeddingCache | None = None,
    progress: Callable[[int], None] | None = None,
    regions: np.ndarray | None = None,
) -> dict[int, np.ndarray]:
    """Embeddings of single sentences (key 1) and of concatenated runs (keys 2..). With
    ``regions`` (the region of each sentence), runs that cross regions, which no bead
    may hold, are not embedded: their rows stay zero."""
    out = {1: embed_texts(sentences, encoder, model, cache, progress)}
    for size in range(2, concat_runs + 1):
        if len(sentences) >= size:
            starts = run_starts(len(sentences), size, regions)
            vectors = embed_texts(
                run_texts(sentences, size, starts), encoder, model, cache, progress
            )
            rows = np.zeros((len(sentences) - size + 1, out[1].shape[1]), dtype=np.float32)
            rows[starts] = vectors
            out[size] = rows
    return out
