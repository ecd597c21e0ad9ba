"""Structure agreement: headings pair with headings, paragraphs with paragraphs."""

from __future__ import annotations

from app.align.runs import Side
from app.align.scorers.base import Scorer
from app.segments import SegmentKind


class StructureScorer(Scorer):
    name = "structure"

    def score(self, src: Side, s0: int, s1: int, tgt: Side, t0: int, t1: int) -> float | None:
        src_heading = _has_heading(src, s0, s1)
        tgt_heading = _has_heading(tgt, t0, t1)
        if not (src_heading or tgt_heading):
            return None
        return 1.0 if src_heading == tgt_heading else 0.0


def _has_heading(side: Side, start: int, end: int) -> bool:
    return any(s.kind == SegmentKind.HEADING for s in side.segments[start:end])
