"""One side of an alignment as arrays, made once: what every feature reads."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.align import lexicon as learnt
from app.align.features.anchors import anchor_counts
from app.align.features.edges import debris_scores, runs_on
from app.align.features.length import weighted_length
from app.align.features.lexical import lexical_vectors
from app.align.features.mt import ChrfSpace
from app.align.features.spaces import RunSpace


@dataclass
class SideArrays:
    """One side's sentences as arrays: embeddings, character trigrams and lengths.

    ``chrf`` holds n-gram counts for the MT feature: of this side's machine translation
    when ``translated``, else of its own text.
    """

    semantic: RunSpace | None
    lexical: RunSpace
    cumulative_chars: np.ndarray  # (n + 1,): weighted characters of sentences [0, k)
    chrf: ChrfSpace | None = None
    translated: bool = False
    anchors: np.ndarray | None = None  # (n, ANCHOR_DIMENSIONS) counts, see anchor_counts
    # The sentences' tokens, for learning a lexicon: made when first needed (``tokens``).
    words: learnt.Vocabulary | None = None
    # Vectors over a lexicon learnt from a first alignment (see ``attach_lexicon``).
    lexicon: RunSpace | None = None
    cumulative_debris: np.ndarray | None = None  # (n + 1,): debris of lines [0, k)
    runs_on: np.ndarray | None = None  # (n + 1,): 1 where line k - 1 runs on into line k
    texts: list[str] | None = None
    cumulative_headings: np.ndarray | None = None  # (n + 1,): headings among units [0, k)
    # Vectors of each unit's first and last sentence, (n, d) each (paragraphs only).
    edge_sentences: tuple[np.ndarray, np.ndarray] | None = None

    def tokens(self) -> learnt.Vocabulary:
        if self.words is None:
            self.words = learnt.Vocabulary(self.texts or [])
        return self.words

    @classmethod
    def build(
        cls,
        texts: list[str],
        embeddings: dict[int, np.ndarray] | None,
        chrf_texts: list[str] | None = None,
        translated: bool = False,
        headings: list[bool] | None = None,
        edge_sentences: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> SideArrays:
        """``embeddings``: sentence vectors under key 1, concatenated runs under 2, 3…;
        ``chrf_texts``: the texts the MT feature compares (a translation, or ``texts``);
        ``headings``: which units are headings (none when not given);
        ``edge_sentences``: vectors of each unit's first and last sentence."""
        lengths = np.fromiter(
            (weighted_length(t) for t in texts), dtype=np.float64, count=len(texts)
        )
        return cls(
            semantic=RunSpace(embeddings[1], embeddings) if embeddings else None,
            lexical=RunSpace(lexical_vectors(texts)),
            cumulative_chars=np.concatenate([[0.0], np.cumsum(lengths)]),
            chrf=ChrfSpace(chrf_texts) if chrf_texts is not None else None,
            translated=translated,
            anchors=anchor_counts(texts),
            texts=texts,
            cumulative_debris=np.concatenate([[0.0], np.cumsum(debris_scores(texts))]),
            runs_on=runs_on(texts),
            cumulative_headings=np.concatenate(
                [[0.0], np.cumsum(np.asarray(headings or [False] * len(texts), dtype=np.float64))]
            ),
            edge_sentences=edge_sentences,
        )

    def __len__(self) -> int:
        return self.cumulative_chars.size - 1

    def run_chars(self, starts: np.ndarray, size: int) -> np.ndarray:
        return self.cumulative_chars[starts + size] - self.cumulative_chars[starts] + (size - 1)


def blocks(side: SideArrays, size: int) -> SideArrays:
    """The side cut into blocks of ``size`` consecutive sentences (the last one may be
    shorter), each block standing as one sentence: its vectors, characters and anchors
    are its sentences' sums. Machine translation is left out."""
    n = len(side)
    starts = np.arange(0, n, size)
    if not n:
        return side
    bounds = np.append(starts, n)

    def summed(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, starts, axis=0)

    return SideArrays(
        semantic=RunSpace(summed(side.semantic.vectors)) if side.semantic is not None else None,
        lexical=RunSpace(summed(side.lexical.vectors)),
        cumulative_chars=side.cumulative_chars[bounds],
        anchors=summed(side.anchors.astype(np.int32)) if side.anchors is not None else None,
        cumulative_debris=(
            side.cumulative_debris[bounds] if side.cumulative_debris is not None else None
        ),
        runs_on=side.runs_on[bounds] if side.runs_on is not None else None,
        cumulative_headings=(
            side.cumulative_headings[bounds] if side.cumulative_headings is not None else None
        ),
    )
