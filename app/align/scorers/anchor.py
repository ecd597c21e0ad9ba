"""Anchor agreement: numbers, names and URLs found on both sides."""

from __future__ import annotations

from app.align import anchors
from app.align.runs import Side
from app.align.scorers.base import Scorer


class AnchorScorer(Scorer):
    name = "anchors"

    def __init__(self) -> None:
        self._src: list[anchors.Anchors] = []
        self._tgt: list[anchors.Anchors] = []

    def prepare(self, src: Side, tgt: Side, max_run: int) -> None:
        self._src = [anchors.extract(s.text, src.language) for s in src.segments]
        self._tgt = [anchors.extract(s.text, tgt.language) for s in tgt.segments]

    def score(self, src: Side, s0: int, s1: int, tgt: Side, t0: int, t1: int) -> float | None:
        return anchors.agreement(_union(self._src[s0:s1]), _union(self._tgt[t0:t1]))


def _union(items: list[anchors.Anchors]) -> anchors.Anchors:
    total = anchors.EMPTY
    for item in items:
        total = total + item
    return total
