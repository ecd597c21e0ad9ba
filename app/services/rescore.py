"""Scoring the beads a review operation made, with the alignment's own scorers.

A merge, split, boundary move or one-sided change makes beads the aligner never scored.
``rescore_beads`` gives each new two-sided bead the similarity (the probability that the
pair is right) and the component scores the aligner would have given it, so that filters,
"Doubtful first", the map and exports treat a reviewer's fix like any other pair. Only the
changed beads are scored, each on its own segments; a bead put back exactly as it was gets
its old figures again.

This is the one place where a review operation calls the aligner's scoring.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.review.beads import BeadState
from app.segments import Segment, SegmentKind
from app.store import models

# Runs longer than this are scored as one passage: an embedding per sub-run would cost
# more than the operation is worth.
LONGEST_RUN = 6


def rescore_beads(
    session: Session, alignment: models.Alignment, beads: Sequence[BeadState]
) -> list[BeadState]:
    """``beads`` with a similarity and scores for every two-sided bead that has none.

    One-sided beads and beads already scored are returned as they are. When a scorer cannot
    run here (a model missing, Apertium failing), the bead keeps no similarity rather than
    a made-up one.
    """
    wanted = [k for k, bead in enumerate(beads) if _needs_score(bead)]
    if not wanted:
        return list(beads)
    score = _scorer(session, alignment)
    out = list(beads)
    for k in wanted:
        figures = score(beads[k])
        if figures is not None:
            similarity, scores = figures
            out[k] = replace(beads[k], similarity=similarity, scores=scores)
    return out


def _needs_score(bead: BeadState) -> bool:
    return bool(bead.src_len and bead.tgt_len and bead.similarity is None)


def _scorer(session: Session, alignment: models.Alignment):
    if alignment.level == "sentence":
        return _sentence_scorer(session, alignment)
    return _paragraph_scorer(session, alignment)


def _segments(
    session: Session, document_id: int, level: str, start: int, end: int
) -> list[Segment]:
    segment = models.Segment
    rows = session.execute(
        select(segment.text, segment.kind)
        .where(
            segment.document_id == document_id,
            segment.level == level,
            segment.position >= start,
            segment.position < end,
        )
        .order_by(segment.position)
    )
    return [Segment(text, SegmentKind(kind)) for text, kind in rows]


def _paragraph_scorer(session: Session, alignment: models.Alignment):
    """Score a bead with the paragraph aligner's scorers and combination, as recorded."""
    from app.align.aligner import choose_scorers
    from app.align.combine import Weights, combine, weights_for
    from app.align.mt import ApertiumError
    from app.align.runs import Side

    parameters: dict[str, Any] = alignment.parameters or {}
    names = list(parameters.get("scorers") or [])
    recorded = parameters.get("scorer_parameters") or {}
    src_lang, tgt_lang = alignment.source.language, alignment.target.language

    def scorers():
        chosen = choose_scorers(
            src_lang, tgt_lang, use_embeddings="semantic" in names, use_mt="mt" in names
        )
        return [s for s in chosen if not names or s.name in names]

    def score(bead: BeadState) -> tuple[float, dict[str, float]] | None:
        src_segments = _segments(
            session, alignment.source_id, alignment.level, bead.src_start, bead.src_end
        )
        tgt_segments = _segments(
            session, alignment.target_id, alignment.level, bead.tgt_start, bead.tgt_end
        )
        src, tgt = _side(src_segments, src_lang, Side), _side(tgt_segments, tgt_lang, Side)
        used = scorers()
        values: dict[str, float | None] = {}
        try:
            for scorer in used:
                scorer.prepare(src, tgt, max(len(src), len(tgt)))
                if scorer.name == "length" and "ratio" in recorded.get("length", {}):
                    # The whole documents' length ratio, not this bead's.
                    scorer.ratio = float(recorded["length"]["ratio"])
                values[scorer.name] = scorer.score(src, 0, len(src), tgt, 0, len(tgt))
        except (ApertiumError, OSError, ValueError):
            return None
        weights = (
            Weights.from_dict(parameters["weights"])
            if parameters.get("weights")
            else weights_for(used)
        )
        kept = {name: round(v, 4) for name, v in values.items() if v is not None}
        return round(combine(values, weights), 4), kept

    return score


def _side(segments: list[Segment], language: str, side_class):
    if len(segments) > LONGEST_RUN:
        text = " ".join(segment.text for segment in segments)
        segments = [Segment(text, segments[0].kind)]
    return side_class(tuple(segments), language)


def _sentence_scorer(session: Session, alignment: models.Alignment):
    """Score a bead with the sentence model the alignment was made with."""
    from app.align.choice import choose
    from app.align.mt import ApertiumError
    from app.align.sentences import build_sides, describe_beads, load_model, model_used
    from app.services.sentences import embeddings_for, translate_side

    parameters: dict[str, Any] = alignment.parameters or {}
    try:
        model = load_model(str(parameters.get("model") or "fast"))
    except (OSError, ValueError):
        return lambda bead: None
    src_lang, tgt_lang = alignment.source.language, alignment.target.language

    def score(bead: BeadState) -> tuple[float, dict[str, float]] | None:
        src_texts = [
            s.text
            for s in _segments(
                session, alignment.source_id, "sentence", bead.src_start, bead.src_end
            )
        ]
        tgt_texts = [
            s.text
            for s in _segments(
                session, alignment.target_id, "sentence", bead.tgt_start, bead.tgt_end
            )
        ]
        try:
            embeddings: tuple = (None, None)
            if model.uses_embeddings:
                embeddings = embeddings_for(
                    src_texts, tgt_texts, model.concat_runs, None, None, model.embedding_model
                )
            translation = None
            if model.uses_mt:
                choice = choose(src_lang, tgt_lang)
                if choice.mt:
                    translation = translate_side(choice, src_texts, tgt_texts)
            src, tgt = build_sides(src_texts, tgt_texts, *embeddings, translation)
            used = model_used(src, tgt, model)
            [described] = describe_beads(src, tgt, [((0, len(src)), (0, len(tgt)))], used)
        except (ApertiumError, OSError, ValueError):
            return None
        if described.similarity is None:
            return None
        return described.similarity, dict(described.scores)

    return score


def _texts(session: Session, document_id: int, start: int, end: int) -> list[str]:
    return [segment.text for segment in _segments(session, document_id, "sentence", start, end)]
