"""Scoring the beads a review operation made, with the alignment's own scorers.

A merge, split, boundary move or one-sided change makes beads the aligner never scored.
``rescore_beads`` gives each new two-sided bead the similarity (the probability that the
pair is right) and the component scores the aligner would have given it, so that filters,
"Doubtful first", the map and exports treat a reviewer's fix like any other pair. Only the
changed beads are scored, on the stretch of segments they cover; a bead put back exactly as
it was gets its old figures again.

This is the one place where a review operation calls the aligner's scoring.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from app.review.beads import BeadState
from app.segments import Segment, SegmentKind
from app.store import models, segments


def rescore_beads(
    session: Session, alignment: models.Alignment, beads: Sequence[BeadState]
) -> list[BeadState]:
    """``beads`` (consecutive, as an Edit's ``after``) with a similarity and scores for
    every two-sided bead that has none.

    The engine scores the stretch the beads cover in one call, as an alignment would
    (``app.align.levels.rescore``). One-sided beads and beads already scored are returned
    as they are. When the engine cannot score here (a model missing, Apertium failing),
    the beads keep no similarity rather than a made-up one.
    """
    wanted = [k for k, bead in enumerate(beads) if _needs_score(bead)]
    if not wanted:
        return list(beads)
    from app.align.levels import rescore
    from app.align.mt import ApertiumError

    first, last = beads[0], beads[-1]
    src_all = segments.pieces(
        session, alignment.source_id, alignment.level, first.src_start, last.src_end
    )
    tgt_all = segments.pieces(
        session, alignment.target_id, alignment.level, first.tgt_start, last.tgt_end
    )
    # Each bead's run of segments is one unit on each side, so that every bead is a 1-1
    # (or one-sided) bead for the engine, whatever the shapes its fitted model searches:
    # a reviewer may merge four paragraphs with three.
    src: list[Segment] = []
    tgt: list[Segment] = []
    spans = []
    for bead in beads:
        src_run = src_all[bead.src_start - first.src_start : bead.src_end - first.src_start]
        tgt_run = tgt_all[bead.tgt_start - first.tgt_start : bead.tgt_end - first.tgt_start]
        spans.append(((len(src), len(src) + bool(src_run)), (len(tgt), len(tgt) + bool(tgt_run))))
        src += [_joined(src_run)] if src_run else []
        tgt += [_joined(tgt_run)] if tgt_run else []
    try:
        scored = rescore(
            src,
            tgt,
            spans,
            alignment.source.language,
            alignment.target.language,
            level=alignment.level,
            use_mt=_uses_mt(alignment),
            # The whole documents' length ratio, as the alignment recorded it: a stretch
            # of a few segments cannot tell it.
            ratio=(alignment.parameters or {}).get("length_ratio"),
        )
    except (ApertiumError, OSError, ValueError):
        return list(beads)
    out = list(beads)
    for k in wanted:
        if scored[k].similarity is not None:
            out[k] = replace(
                beads[k], similarity=scored[k].similarity, scores=dict(scored[k].scores)
            )
    return out


def _joined(run: list[Segment]) -> Segment:
    """A run of segments as one passage; a heading only if every segment of it is one."""
    headings = all(segment.kind == SegmentKind.HEADING for segment in run)
    kind = SegmentKind.HEADING if headings else SegmentKind.PARAGRAPH
    return Segment(" ".join(segment.text for segment in run), kind)


def _needs_score(bead: BeadState) -> bool:
    return bool(bead.src_len and bead.tgt_len and bead.similarity is None)


def _uses_mt(alignment: models.Alignment) -> bool:
    """Whether the alignment was made with machine translation (then its fixes are too)."""
    parameters: dict[str, Any] = alignment.parameters or {}
    choice = parameters.get("scorer_choice") or {}
    return "mt" in (parameters.get("scorers") or []) or bool(choice.get("mt"))
