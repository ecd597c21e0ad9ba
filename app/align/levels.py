"""Aligning documents with the engine, at either level and at both.

``align_segments`` aligns a document pair's paragraphs (and headings); ``align_within_beads``
then aligns their sentences in one search, each paragraph bead a region no sentence bead
leaves, so the two levels never contradict each other. ``align_presegmented`` aligns two
lists of units of one level (``alinea align --presegmented``, ``alinea eval``). The scorers
follow ``app.align.choice``, the model is the fitted one for the level and the scorers.
Nothing here touches the database (an embedding cache may).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import NamedTuple

import numpy as np
from threadpoolctl import threadpool_limits

from app.align import features
from app.align import mt as apertium
from app.align.choice import ScorerChoice, choose
from app.align.embed import EmbeddingCache, count_texts, embed_side, embed_texts
from app.align.encoders import E5_MODEL, USE_MODEL, encoder_for
from app.align.engine import EdgeSentences, Regions, align_units, build_sides, describe_beads
from app.align.model import AlignmentModel, load_model, model_exists
from app.align.progress import (
    ALIGNING_PARAGRAPHS,
    ALIGNING_SENTENCES,
    EMBEDDING_SENTENCES,
    ReportFn,
    StageCounter,
)
from app.align.result import AlignmentResult, Progress
from app.ingest.sentences import split_sentences
from app.segments import BeadSpan, Segment, SegmentKind

# Above this many sentences (both sides together), runs of sentences are not embedded as
# texts of their own: that multiplies the model's work by about ten, for 1.6 points of
# F1 on Text+Berg test (docs/benchmarks.md).
LONG_TEXT = 4000


def choose_model(choice: ScorerChoice, units: int = 0, level: str = "sentence") -> AlignmentModel:
    """The fitted model of ``level`` for the scorers chosen for a language pair."""
    if choice.embedding == USE_MODEL:
        long_text = units > LONG_TEXT and model_exists("semantic-sums", level)
        base = "semantic-sums" if long_text else "semantic"
    elif choice.embedding == E5_MODEL:
        base = "e5"
    else:
        base = "fast"
    if level == "paragraph" and units > LONG_TEXT:
        return long_paragraphs(load_model(base, level))
    if choice.mt and model_exists(f"{base}+mt", level):
        return load_model(f"{base}+mt", level)
    return load_model(base, level)


# The name's ending of a paragraph model made for a long text (``long_paragraphs``).
LONG_SUFFIX = "-long"


def long_paragraphs(model: AlignmentModel) -> AlignmentModel:
    """The paragraph model for texts over ``LONG_TEXT`` paragraphs (both sides): without
    its MT term, whose hashed n-gram counts take about 45 KB a paragraph (0.9 GB for
    10,000 on each side). Runs stay embedded as texts: as sums of their paragraphs'
    vectors they lost 2.8 points of strict F1 on the Bible's paragraphs."""
    return replace(model, name=f"{model.name}{LONG_SUFFIX}")


def embeddings_for(
    src: Sequence[str],
    tgt: Sequence[str],
    concat_runs: int,
    cache: EmbeddingCache | None = None,
    progress: Callable[[int], None] | None = None,
    model_name: str = USE_MODEL,
    regions: Regions | None = None,
) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    encoder = encoder_for(model_name)
    src_regions = regions.src if regions is not None else None
    tgt_regions = regions.tgt if regions is not None else None
    return (
        embed_side(src, encoder, model_name, concat_runs, cache, progress, src_regions),
        embed_side(tgt, encoder, model_name, concat_runs, cache, progress, tgt_regions),
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
    model: AlignmentModel,
    cache: EmbeddingCache | None = None,
    planned: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
    regions: Regions | None = None,
) -> Prepared:
    """Embeddings, machine translation and edge sentences the model needs. When Apertium
    fails, the model without "mt" is used and the choice says why. With ``regions``, runs
    of units that cross regions are not embedded."""
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
        src_regions = regions.src if regions is not None else None
        tgt_regions = regions.tgt if regions is not None else None
        if planned:
            planned(
                count_texts(len(src), model.concat_runs, src_regions)
                + count_texts(len(tgt), model.concat_runs, tgt_regions)
            )
        embeddings = embeddings_for(
            src, tgt, model.concat_runs, cache, progress, model.embedding_model, regions
        )
    edges = None
    if model.uses_edge_sentences:
        edges = (
            edge_sentences(src, choice.src_lang, embeddings[0][1], model.embedding_model, cache),
            edge_sentences(tgt, choice.tgt_lang, embeddings[1][1], model.embedding_model, cache),
        )
    return Prepared(embeddings, translation, choice, edges)


class Prepared(NamedTuple):
    """What ``prepare`` made for the engine."""

    embeddings: tuple  # (source, target): vectors of units under 1, of runs under 2, 3…
    translation: tuple[str, list[str]] | None  # see ``engine.build_sides``
    choice: ScorerChoice
    edges: EdgeSentences | None


def edge_sentences(
    texts: Sequence[str],
    language: str,
    unit_vectors: np.ndarray,
    model_name: str,
    cache: EmbeddingCache | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The vectors of each unit's first and last sentence (a unit of one sentence is its
    own), for the overhang feature. The sentences are cut as the document's sentences
    are, so the sentence level finds their vectors in the cache."""
    splits = [split_sentences(text, language) or [text] for text in texts]
    wanted = sorted({part for parts in splits if len(parts) > 1 for part in (parts[0], parts[-1])})
    encoder = encoder_for(model_name)
    vectors = dict(zip(wanted, embed_texts(wanted, encoder, model_name, cache), strict=True))
    first = np.array(unit_vectors, dtype=np.float32)
    last = first.copy()
    for k, parts in enumerate(splits):
        if len(parts) > 1:
            first[k], last[k] = vectors[parts[0]], vectors[parts[-1]]
    return first, last


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
    model: AlignmentModel | None = None,
    level: str = "sentence",
    headings: tuple[Sequence[bool], Sequence[bool]] | None = None,
) -> AlignmentResult:
    """Align two lists of units of ``level`` (sentences, one per line in the user's
    files, or paragraphs, with ``headings`` saying which are headings).

    The scorers follow ``app.align.choice.choose``; ``model`` defaults to the fitted
    model for them, the level and the length of the texts.
    """
    choice = choose(src_lang, tgt_lang, fast=fast, use_mt=use_mt)
    model = model or choose_model(choice, len(src) + len(tgt), level)
    embeddings, translation, choice, edges = prepare(
        src, tgt, choice, model, cache, planned, progress
    )
    if model.uses_mt and translation is None:
        model = choose_model(choice, len(src) + len(tgt), level)
    result = align_units(
        src,
        tgt,
        model,
        *embeddings,
        translation=translation,
        headings=headings,
        edge_sentences=edges,
    )
    result.parameters["scorer_choice"] = used(choice, model)
    return result


def align_segments(
    src: Sequence[Segment],
    tgt: Sequence[Segment],
    src_lang: str,
    tgt_lang: str,
    *,
    level: str = "paragraph",
    fast: bool = False,
    use_mt: bool = True,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
) -> AlignmentResult:
    """Align two documents' segments (paragraphs and headings, or sentences) with the
    engine and the fitted model of ``level``; every segment ends up in exactly one bead."""
    headings = (
        [segment.kind == SegmentKind.HEADING for segment in src],
        [segment.kind == SegmentKind.HEADING for segment in tgt],
    )
    result = align_presegmented(
        [segment.text for segment in src],
        [segment.text for segment in tgt],
        src_lang,
        tgt_lang,
        fast=fast,
        use_mt=use_mt,
        cache=cache,
        planned=progress.planned if progress is not None else None,
        progress=progress.embedded if progress is not None else None,
        level=level,
        headings=headings,
    )
    if progress is not None and progress.report is not None:
        progress.report(ALIGNING_PARAGRAPHS, len(src), len(src))
    return result


def used(choice: ScorerChoice, model: AlignmentModel) -> dict[str, object]:
    """The choice as recorded: the scorers the sentence model actually weighs."""
    described = choice.as_dict()
    described["scorers"] = [name for name in features.FEATURES if name in model.weights]
    if choice.mt and not model.uses_mt:
        described["mt"] = described["mt_translates"] = None
        described["notes"] = [*described["notes"], _why_no_mt(model)]
    return described


def _why_no_mt(model: AlignmentModel) -> str:
    base = model.name.removesuffix(LONG_SUFFIX)
    if base != model.name and model_exists(f"{base}+mt", model.level):
        return (
            f"mt left out at paragraph level (over {LONG_TEXT:,} paragraphs its n-gram "
            "counts would take too much memory)"
        )
    return (
        f"mt left out at {model.level} level (no {base}+mt model: "
        "it did not improve this model on dev)"
    )


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

    ``*_sentences`` are (paragraph position, sentence text) in document order. One
    search runs over all the sentences, each paragraph bead a region that no sentence
    bead may leave (``engine.Regions``), so sentences of a one-sided paragraph bead are
    one-sided. ``report(stage, done, total)`` hears the sentences embedded, then the
    sentences aligned.
    """
    choice = choose(src_lang, tgt_lang, fast=fast, use_mt=use_mt)
    all_src = [text for _, text in src_sentences]
    all_tgt = [text for _, text in tgt_sentences]
    model = choose_model(choice, len(all_src) + len(all_tgt))
    regions = sentence_regions(paragraph_beads, src_sentences, tgt_sentences)
    counter = StageCounter(report or _silent, EMBEDDING_SENTENCES)
    embeddings, translation, choice, _ = prepare(
        all_src, all_tgt, choice, model, cache, counter.start, counter.add, regions
    )
    if model.uses_mt and translation is None:
        model = choose_model(choice, len(all_src) + len(all_tgt))
    if report is not None:
        report(ALIGNING_SENTENCES, 0, len(all_src))
    result = align_units(
        all_src, all_tgt, model, *embeddings, translation=translation, regions=regions
    )
    if report is not None:
        report(ALIGNING_SENTENCES, len(all_src), len(all_src))
    result.parameters["scorer_choice"] = used(choice, model)
    return result


def sentence_regions(
    paragraph_beads: Sequence[BeadSpan],
    src_sentences: Sequence[tuple[int, str]],
    tgt_sentences: Sequence[tuple[int, str]],
) -> Regions:
    """Each paragraph bead as a region of sentences (see ``engine.Regions``)."""
    src_offsets = _offsets(_group(src_sentences), paragraph_beads, "src")
    tgt_offsets = _offsets(_group(tgt_sentences), paragraph_beads, "tgt")
    return Regions.from_boxes(
        [
            (
                src_offsets[b.src_start],
                src_offsets[b.src_end],
                tgt_offsets[b.tgt_start],
                tgt_offsets[b.tgt_end],
            )
            for b in paragraph_beads
        ]
    )


def _silent(_stage: str, _done: int, _total: int) -> None:
    pass


def _group(sentences: Sequence[tuple[int, str]]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for paragraph, _ in sentences:
        counts[paragraph] = counts.get(paragraph, 0) + 1
    return counts


def _offsets(counts: dict[int, int], beads: Sequence[BeadSpan], side: str) -> dict[int, int]:
    """Sentence index at which each paragraph position starts (and one past the end)."""
    last = max((getattr(b, f"{side}_end") for b in beads), default=0)
    last = max(last, max(counts, default=-1) + 1)
    offsets, total = {}, 0
    for paragraph in range(last + 1):
        offsets[paragraph] = total
        total += counts.get(paragraph, 0)
    return offsets


def rescore(
    src: Sequence[Segment],
    tgt: Sequence[Segment],
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]],
    src_lang: str,
    tgt_lang: str,
    *,
    level: str = "paragraph",
    use_mt: bool = True,
    cache: EmbeddingCache | None = None,
    ratio: float | None = None,
) -> list[BeadSpan]:
    """The beads ``spans`` (which tile ``src`` and ``tgt``, a stretch of a document)
    scored by the engine as an alignment would score them: each two-sided bead's
    features and the probability that it is right. For a reviewer's edits: a merged,
    split or moved pair gets a score at once. ``ratio``: the whole documents' length
    ratio (as the alignment recorded it), which a short stretch cannot tell."""
    choice = choose(src_lang, tgt_lang, use_mt=use_mt)
    model = choose_model(choice, len(src) + len(tgt), level)
    if model.uses_lexicon:
        # A stretch is too short to learn a lexicon from: its first-pass model scores it.
        model = model.first_pass()
    src_texts, tgt_texts = [s.text for s in src], [s.text for s in tgt]
    embeddings, translation, choice, edges = prepare(src_texts, tgt_texts, choice, model, cache)
    if model.uses_mt and translation is None:
        model = choose_model(choice, len(src) + len(tgt), level)
        model = model.first_pass() if model.uses_lexicon else model
    headings = (
        [s.kind == SegmentKind.HEADING for s in src],
        [s.kind == SegmentKind.HEADING for s in tgt],
    )
    sides = build_sides(src_texts, tgt_texts, *embeddings, translation, headings, edges)
    with threadpool_limits(1, user_api="blas"):
        return describe_beads(*sides, list(spans), model, ratio=ratio)
