"""What a paragraph bead's sentences say about it, once they are aligned inside it.

A paragraph bead whose sentences do not pair up is likely wrong even when the two
paragraphs, read as wholes, look alike: a short paragraph joined to the wrong neighbour
brings a sentence that finds no partner. The paragraph models fitted with a sentence
stage (``AlignmentModel.sentence_confidence``) read each two-sided bead's probability
again with this evidence, after ``levels.align_within_beads``; on dev this put more of
the wrong beads among the least confident (docs/benchmarks.md, "Paragraph level").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

import numpy as np

from app.align.embed import EmbeddingCache
from app.align.levels import LONG_SUFFIX, align_within_beads
from app.align.model import load_model, logistic, model_exists
from app.align.progress import ReportFn
from app.align.result import AlignmentResult
from app.ingest.sentences import unit_sentences
from app.segments import BeadSpan

# The features of the stage besides the bead's own probability, as a logit.
EVIDENCE = ("sentences_alone", "sentences_lowest", "sentences_mean")
PARAGRAPH_LOGIT = "paragraph_logit"
# What the stage reads, in the order of its weights after "bias".
STAGE_INPUTS = (PARAGRAPH_LOGIT, *EVIDENCE)
# Recorded with a staged alignment, for the review page's legend.
CONFIDENCE_NOTE = "each paragraph pair's probability also weighs how its sentences pair up"


def sentence_evidence(
    paragraph_beads: Sequence[BeadSpan],
    sentence_beads: Sequence[BeadSpan],
    src_sentences: Sequence[tuple[int, str]],
    tgt_sentences: Sequence[tuple[int, str]],
) -> list[dict[str, float] | None]:
    """For each two-sided paragraph bead (None for a one-sided one): the share of its
    sentences that the sentence level left one-sided, and the lowest and the mean
    similarity of its two-sided sentence beads (0 when it has none).

    ``*_sentences`` are (paragraph position, text) in document order, as given to
    ``align_within_beads``, whose sentence beads never cross a paragraph bead."""
    src_owner = _owners(paragraph_beads, src_sentences, "src")
    tgt_owner = _owners(paragraph_beads, tgt_sentences, "tgt")
    sentences = np.bincount(src_owner, minlength=len(paragraph_beads)) + np.bincount(
        tgt_owner, minlength=len(paragraph_beads)
    )
    alone = np.zeros(len(paragraph_beads))
    similarities: list[list[float]] = [[] for _ in paragraph_beads]
    for bead in sentence_beads:
        if bead.src_start < bead.src_end:
            owner = src_owner[bead.src_start]
        else:
            owner = tgt_owner[bead.tgt_start]
        if bead.one_sided:
            alone[owner] += (bead.src_end - bead.src_start) + (bead.tgt_end - bead.tgt_start)
        elif bead.similarity is not None:
            similarities[owner].append(bead.similarity)
    out: list[dict[str, float] | None] = []
    for k, bead in enumerate(paragraph_beads):
        if bead.one_sided:
            out.append(None)
            continue
        found = similarities[k]
        out.append(
            {
                "sentences_alone": float(alone[k] / max(1, sentences[k])),
                "sentences_lowest": min(found, default=0.0),
                "sentences_mean": sum(found) / len(found) if found else 0.0,
            }
        )
    return out


def stage_inputs(similarity: float, evidence: dict[str, float]) -> dict[str, float]:
    """What the stage reads for one bead: its probability as a logit, and ``evidence``."""
    p = min(max(similarity, 1e-6), 1 - 1e-6)
    return {PARAGRAPH_LOGIT: math.log(p / (1 - p)), **evidence}


def stage_probability(
    similarity: float, evidence: dict[str, float], weights: dict[str, float]
) -> float:
    """The sentence stage's probability that a bead is right."""
    return logistic(weights, stage_inputs(similarity, evidence))


def with_sentence_evidence(
    paragraphs: AlignmentResult,
    sentences: AlignmentResult,
    src_sentences: Sequence[tuple[int, str]],
    tgt_sentences: Sequence[tuple[int, str]],
) -> AlignmentResult:
    """``paragraphs`` with each two-sided bead's similarity read again with its
    sentences' evidence, by the sentence stage of the model that aligned them; as it is
    when that model has none."""
    weights = sentence_stage(paragraphs)
    if not weights:
        return paragraphs
    evidence = sentence_evidence(paragraphs.beads, sentences.beads, src_sentences, tgt_sentences)
    beads = [
        bead
        if found is None or bead.similarity is None
        else replace(
            bead,
            similarity=round(stage_probability(bead.similarity, found, weights), 4),
        )
        for bead, found in zip(paragraphs.beads, evidence, strict=True)
    ]
    parameters = {**paragraphs.parameters, "confidence_note": CONFIDENCE_NOTE}
    return replace(paragraphs, beads=beads, parameters=parameters)


class BothLevels(NamedTuple):
    """Paragraphs and the sentences aligned inside them (see ``with_sentences``)."""

    paragraphs: AlignmentResult
    sentences: AlignmentResult
    src_sentences: list[tuple[int, str]]  # (paragraph position, sentence)
    tgt_sentences: list[tuple[int, str]]


def with_sentences(
    paragraphs: AlignmentResult,
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    *,
    fast: bool = False,
    use_mt: bool = True,
    cache: EmbeddingCache | None = None,
    report: ReportFn | None = None,
) -> BothLevels:
    """The paragraphs' sentences (cut as an imported document's are), aligned inside the
    paragraph beads, and the paragraphs with their similarities read again with them."""
    src = unit_sentences(src_texts, src_lang)
    tgt = unit_sentences(tgt_texts, tgt_lang)
    sentences = align_within_beads(
        paragraphs.beads,
        src,
        tgt,
        src_lang,
        tgt_lang,
        fast=fast,
        use_mt=use_mt,
        cache=cache,
        report=report,
    )
    return BothLevels(with_sentence_evidence(paragraphs, sentences, src, tgt), sentences, src, tgt)


def sentence_stage(paragraphs: AlignmentResult) -> dict[str, float]:
    """The sentence stage's weights of the model that aligned ``paragraphs`` (empty: none)."""
    base = str(paragraphs.parameters.get("model", "")).removesuffix(LONG_SUFFIX)
    if paragraphs.parameters.get("level") != "paragraph" or not model_exists(base, "paragraph"):
        return {}
    return load_model(base, "paragraph").sentence_confidence


def _owners(paragraph_beads, sentences, side: str) -> np.ndarray:
    """The paragraph bead that holds each sentence of one side."""
    paragraphs = max((getattr(b, f"{side}_end") for b in paragraph_beads), default=0)
    bead_of = np.zeros(paragraphs, dtype=int)
    for k, bead in enumerate(paragraph_beads):
        bead_of[getattr(bead, f"{side}_start") : getattr(bead, f"{side}_end")] = k
    return bead_of[np.array([position for position, _ in sentences], dtype=int)]
