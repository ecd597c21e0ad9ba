"""Sentence-level alignment: pre-segmented texts, and sentences inside paragraph beads."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from app.align import mt as apertium
from app.align.aligner import AlignmentResult
from app.align.choice import ScorerChoice, choose
from app.align.embed import EmbeddingCache, MemoryCache, count_texts, embed_side
from app.align.progress import (
    ALIGNING_SENTENCES,
    EMBEDDING_SENTENCES,
    ReportFn,
    StageCounter,
)
from app.align.scorers.embedding import E5_MODEL, USE_MODEL, encoder_for
from app.align.sentences import SentenceModel, align_sentences, load_model, model_exists
from app.segments import BeadSpan

EMBEDDING_MODEL = USE_MODEL


# Above this many sentences (both sides together), runs of sentences are not embedded as
# texts of their own: that multiplies the model's work by about ten, for 1.6 points of
# F1 on Text+Berg test (docs/benchmarks.md).
LONG_TEXT = 4000


def choose_model(choice: ScorerChoice, sentences: int = 0) -> SentenceModel:
    """The fitted sentence model for the scorers chosen for a language pair."""
    if choice.embedding == USE_MODEL:
        base = "semantic-sums" if sentences > LONG_TEXT else "semantic"
    elif choice.embedding == E5_MODEL:
        base = "e5"
    else:
        base = "fast"
    if choice.mt and model_exists(f"{base}+mt"):
        return load_model(f"{base}+mt")
    return load_model(base)


def embeddings_for(
    src: Sequence[str],
    tgt: Sequence[str],
    concat_runs: int,
    cache: EmbeddingCache | None = None,
    progress: Callable[[int], None] | None = None,
    model_name: str = USE_MODEL,
) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    encoder = encoder_for(model_name)
    return (
        embed_side(src, encoder, model_name, concat_runs, cache, progress),
        embed_side(tgt, encoder, model_name, concat_runs, cache, progress),
    )


def translate_side(
    choice: ScorerChoice, src: Sequence[str], tgt: Sequence[str]
) -> tuple[str, list[str]]:
    """The side Apertium translates for the MT feature, and its translation."""
    texts = src if choice.mt_translates == "source" else tgt
    return choice.mt_translates, apertium.translate(texts, choice.mt)


def prepare(
    src: Sequence[str],
    tgt: Sequence[str],
    choice: ScorerChoice,
    model: SentenceModel,
    cache: EmbeddingCache | None = None,
    planned: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[tuple, tuple[str, list[str]] | None, ScorerChoice]:
    """Embeddings and machine translation the model needs. When Apertium fails, the
    model without "mt" is used and the choice says why."""
    translation = None
    if model.uses_mt and choice.mt:
        try:
            translation = translate_side(choice, src, tgt)
        except apertium.ApertiumError as error:
            choice = ScorerChoice(
                choice.src_lang,
                choice.tgt_lang,
                choice.embedding,
                None,
                notes=(*choice.notes, f"machine translation failed: {error}"),
            )
    embeddings: tuple = (None, None)
    if model.uses_embeddings:
        if planned:
            planned(
                count_texts(len(src), model.concat_runs) + count_texts(len(tgt), model.concat_runs)
            )
        embeddings = embeddings_for(
            src, tgt, model.concat_runs, cache, progress, model.embedding_model
        )
    return embeddings, translation, choice


def align_presegmented(
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    *,
    fast: bool = False,
    use_mt: bool = True,
    cache: EmbeddingCache | None = None,
    planned: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
    model: SentenceModel | None = None,
) -> AlignmentResult:
    """Align two lists of sentences (one per line in the user's files).

    The scorers follow ``app.align.choice.choose``; ``model`` defaults to the fitted
    model for them and the length of the texts.
    """
    choice = choose(src_lang, tgt_lang, fast=fast, use_mt=use_mt)
    model = model or choose_model(choice, len(src) + len(tgt))
    embeddings, translation, choice = prepare(src, tgt, choice, model, cache, planned, progress)
    if model.uses_mt and translation is None:
        model = choose_model(choice, len(src) + len(tgt))
    result = align_sentences(src, tgt, model, *embeddings, translation=translation)
    result.parameters["scorer_choice"] = used(choice, model)
    return result


def used(choice: ScorerChoice, model: SentenceModel) -> dict[str, object]:
    """The choice as recorded: the scorers the sentence model actually weighs."""
    described = choice.as_dict()
    order = ["semantic", "mt", "anchors", "length", "lexical"]
    described["scorers"] = [name for name in order if name in model.weights]
    if choice.mt and not model.uses_mt:
        described["mt"] = described["mt_translates"] = None
        described["notes"] = [
            *described["notes"],
            f"mt left out at sentence level (no {model.name}+mt model: "
            "it did not improve this model on dev)",
        ]
    return described


def align_within_beads(
    paragraph_beads: Sequence[BeadSpan],
    src_sentences: Sequence[tuple[int, str]],
    tgt_sentences: Sequence[tuple[int, str]],
    src_lang: str,
    tgt_lang: str,
    *,
    fast: bool = False,
    use_mt: bool = True,
    cache: EmbeddingCache | None = None,
    report: ReportFn | None = None,
) -> AlignmentResult:
    """Sentence beads inside every paragraph bead; none crosses a paragraph bead.

    ``*_sentences`` are (paragraph position, sentence text) in document order. Sentences
    of a one-sided paragraph bead become one-sided sentence beads. ``report(stage, done,
    total)`` hears the sentences embedded, then the paragraph beads aligned.
    """
    choice = choose(src_lang, tgt_lang, fast=fast, use_mt=use_mt)
    model = choose_model(choice)
    cache = cache if cache is not None else MemoryCache()
    src_groups = _group(src_sentences)
    tgt_groups = _group(tgt_sentences)
    src_offsets, tgt_offsets = _offsets(src_groups), _offsets(tgt_groups)
    all_src = [text for _, text in src_sentences]
    all_tgt = [text for _, text in tgt_sentences]
    # Every sentence embedded and translated once, before the beads are visited.
    counter = StageCounter(report or _silent, EMBEDDING_SENTENCES)
    embeddings, translation, choice = prepare(
        all_src, all_tgt, choice, replace_runs(model), cache, counter.start, counter.add
    )
    if model.uses_mt and translation is None:
        model = choose_model(choice)
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
            embeddings_for(
                all_src[s0:s1],
                all_tgt[t0:t1],
                model.concat_runs,
                cache,
                None,
                model.embedding_model,
            )
            if embeddings[0] is not None
            else (None, None)
        )
        inner_translation = None
        if translation is not None:
            side, texts = translation
            inner_translation = (side, texts[s0:s1] if side == "source" else texts[t0:t1])
        result = align_sentences(
            all_src[s0:s1], all_tgt[t0:t1], model, *inner, translation=inner_translation
        )
        beads += [_shift(b, s0, t0) for b in result.beads]
    if report is not None:
        report(ALIGNING_SENTENCES, len(paragraph_beads), len(paragraph_beads))
    return AlignmentResult(
        beads,
        "alinea-sentences-in-paragraphs/1",
        {
            "level": "sentence",
            "model": model.name,
            "scorers": sorted(model.weights),
            "scorer_choice": used(choice, model),
        },
    )


def _silent(_stage: str, _done: int, _total: int) -> None:
    pass


def replace_runs(model: SentenceModel) -> SentenceModel:
    """The model, embedding single sentences only (runs come per bead, from the cache)."""
    from dataclasses import replace

    return replace(model, concat_runs=1)


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
