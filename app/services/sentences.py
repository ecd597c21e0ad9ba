"""Sentence-level alignment: pre-segmented texts, and sentences inside paragraph beads."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from app.align.aligner import AlignmentResult
from app.align.embed import EmbeddingCache, MemoryCache, count_texts, embed_side
from app.align.progress import (
    ALIGNING_SENTENCES,
    EMBEDDING_SENTENCES,
    ReportFn,
    StageCounter,
)
from app.align.scorers.embedding import USE_LANGUAGES, use_encoder
from app.align.sentences import SentenceModel, align_sentences, load_model
from app.segments import BeadSpan

EMBEDDING_MODEL = "use-multilingual-v3"


# Above this many sentences (both sides together), runs of sentences are not embedded as
# texts of their own: that multiplies the model's work by about ten, for 1.6 points of
# F1 on Text+Berg test (docs/benchmarks.md).
LONG_TEXT = 4000


def choose_model(
    src_lang: str, tgt_lang: str, fast: bool = False, sentences: int = 0
) -> SentenceModel:
    """The semantic model when the embedding model knows both languages, else the fast one."""
    if fast or src_lang not in USE_LANGUAGES or tgt_lang not in USE_LANGUAGES:
        return load_model("fast")
    return load_model("semantic-sums" if sentences > LONG_TEXT else "semantic")


def embeddings_for(
    src: Sequence[str],
    tgt: Sequence[str],
    concat_runs: int,
    cache: EmbeddingCache | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    encoder = use_encoder()
    return (
        embed_side(src, encoder, EMBEDDING_MODEL, concat_runs, cache, progress),
        embed_side(tgt, encoder, EMBEDDING_MODEL, concat_runs, cache, progress),
    )


def align_presegmented(
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    *,
    fast: bool = False,
    cache: EmbeddingCache | None = None,
    planned: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
    model: SentenceModel | None = None,
) -> AlignmentResult:
    """Align two lists of sentences (one per line in the user's files).

    ``model`` defaults to the one ``choose_model`` picks for the languages and length.
    """
    model = model or choose_model(src_lang, tgt_lang, fast, len(src) + len(tgt))
    embeddings: tuple = (None, None)
    if model.uses_embeddings:
        if planned:
            planned(
                count_texts(len(src), model.concat_runs) + count_texts(len(tgt), model.concat_runs)
            )
        embeddings = embeddings_for(src, tgt, model.concat_runs, cache, progress)
    return align_sentences(src, tgt, model, *embeddings)


def align_within_beads(
    paragraph_beads: Sequence[BeadSpan],
    src_sentences: Sequence[tuple[int, str]],
    tgt_sentences: Sequence[tuple[int, str]],
    src_lang: str,
    tgt_lang: str,
    *,
    fast: bool = False,
    cache: EmbeddingCache | None = None,
    report: ReportFn | None = None,
) -> AlignmentResult:
    """Sentence beads inside every paragraph bead; none crosses a paragraph bead.

    ``*_sentences`` are (paragraph position, sentence text) in document order. Sentences
    of a one-sided paragraph bead become one-sided sentence beads. ``report(stage, done,
    total)`` hears the sentences embedded, then the paragraph beads aligned.
    """
    model = choose_model(src_lang, tgt_lang, fast)
    cache = cache if cache is not None else MemoryCache()
    src_groups = _group(src_sentences)
    tgt_groups = _group(tgt_sentences)
    src_offsets, tgt_offsets = _offsets(src_groups), _offsets(tgt_groups)
    all_src = [text for _, text in src_sentences]
    all_tgt = [text for _, text in tgt_sentences]
    embeddings: tuple = (None, None)
    if model.uses_embeddings:
        counter = StageCounter(report or _silent, EMBEDDING_SENTENCES)
        counter.start(len(all_src) + len(all_tgt))
        embeddings = embeddings_for(all_src, all_tgt, 1, cache, counter.add)
    beads: list[BeadSpan] = []
    for done, bead in enumerate(paragraph_beads):
        if report is not None:
            report(ALIGNING_SENTENCES, done, len(paragraph_beads))
        s0, s1 = src_offsets[bead.src_start], src_offsets[bead.src_end]
        t0, t1 = tgt_offsets[bead.tgt_start], tgt_offsets[bead.tgt_end]
        if s0 == s1 or t0 == t1:
            beads += [BeadSpan(k, k + 1, t0, t0) for k in range(s0, s1)]
            beads += [BeadSpan(s1, s1, k, k + 1) for k in range(t0, t1)]
            continue
        inner = (
            embeddings_for(all_src[s0:s1], all_tgt[t0:t1], model.concat_runs, cache)
            if embeddings[0] is not None
            else (None, None)
        )
        result = align_sentences(all_src[s0:s1], all_tgt[t0:t1], model, *inner)
        beads += [_shift(b, s0, t0) for b in result.beads]
    if report is not None:
        report(ALIGNING_SENTENCES, len(paragraph_beads), len(paragraph_beads))
    return AlignmentResult(
        beads,
        "alinea-sentences-in-paragraphs/1",
        {"level": "sentence", "model": model.name, "scorers": sorted(model.weights)},
    )


def _silent(_stage: str, _done: int, _total: int) -> None:
    pass


def _group(sentences: Sequence[tuple[int, str]]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for paragraph, _ in sentences:
        counts[paragraph] = counts.get(paragraph, 0) + 1
    return counts


def _offsets(counts: dict[int, int]) -> dict[int, int]:
    """Sentence index at which each paragraph position starts (and one past the end)."""
    offsets, total = {}, 0
    last = max(counts, default=-1)
    for paragraph in range(last + 2):
        offsets[paragraph] = total
        total += counts.get(paragraph, 0)
    return offsets


def _shift(bead: BeadSpan, ds: int, dt: int) -> BeadSpan:
    return BeadSpan(
        bead.src_start + ds,
        bead.src_end + ds,
        bead.tgt_start + dt,
        bead.tgt_end + dt,
        bead.similarity,
        bead.scores,
    )


def document_sentences(segments: Sequence, language: str) -> list[tuple[int, str]]:
    """(paragraph position, sentence) for every sentence of a document's paragraphs."""
    from app.ingest import split_sentences

    out: list[tuple[int, str]] = []
    for position, segment in enumerate(segments):
        sentences = split_sentences(segment.text, language) or [segment.text]
        out += [(position, sentence) for sentence in sentences]
    return out


def store_sentences(session, document, sentences: Sequence[tuple[int, str]]) -> None:
    """Add a document's sentence segments, unless it already has them."""
    from sqlalchemy import func, select

    from app.store import models

    existing = session.scalar(
        select(func.count())
        .select_from(models.Segment)
        .where(models.Segment.document_id == document.id, models.Segment.level == "sentence")
    )
    if existing:
        return
    session.add_all(
        models.Segment(
            document_id=document.id,
            level="sentence",
            position=k,
            paragraph=paragraph,
            kind="paragraph",
            text=text,
        )
        for k, (paragraph, text) in enumerate(sentences)
    )


def store_sentence_alignment(session, parent, result: AlignmentResult):
    """Store ``result`` as the sentence-level child of the paragraph alignment ``parent``."""
    from app.services import store_alignment

    return store_alignment(session, parent.source, parent.target, result, parent=parent)
