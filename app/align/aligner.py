"""Paragraph alignment: choose the scorers for a language pair, search, score the beads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.align import mt as apertium
from app.align.choice import ScorerChoice, choose
from app.align.combine import Weights, combine, weights_for
from app.align.progress import ALIGNING_PARAGRAPHS, EMBEDDING, ReportFn, StageCounter
from app.align.runs import Side
from app.align.scorers import (
    AnchorScorer,
    ChrfScorer,
    EmbeddingScorer,
    LengthScorer,
    MtScorer,
    Scorer,
    StructureScorer,
)
from app.align.search import SearchParams, bead_gain, matched_size, search
from app.segments import BeadSpan, Segment

METHOD = "alinea-dp/1"


@dataclass
class Progress:
    """Callbacks for long work; the CLI turns them into progress bars, a job into its row.

    ``planned(total)`` announces how many texts will be embedded, ``embedded(count)``
    reports each finished batch. ``report(stage, done, total)``, when given, hears about
    every stage (see ``app.align.progress``): the search reports the source segments it
    has placed. ``Progress.reporting(report)`` routes the embedding counts to it too.
    """

    planned: Callable[[int], None] | None = None
    embedded: Callable[[int], None] | None = None
    report: ReportFn | None = None

    @classmethod
    def reporting(cls, report: ReportFn) -> Progress:
        """Every count, the embedding's included, as ``report(stage, done, total)``."""
        counter = StageCounter(report, EMBEDDING)
        return cls(planned=counter.start, embedded=counter.add, report=report)


@dataclass(frozen=True)
class AlignmentResult:
    beads: list[BeadSpan]
    method: str
    parameters: dict[str, object] = field(default_factory=dict)

    @property
    def scorers(self) -> list[str]:
        return list(self.parameters.get("scorers", []))


def choose_scorers(
    src_lang: str,
    tgt_lang: str,
    progress: Progress | None = None,
    use_embeddings: bool = True,
    use_mt: bool = True,
    choice: ScorerChoice | None = None,
) -> list[Scorer]:
    """The scorers ``app.align.choice.choose`` picks for this language pair."""
    if choice is None:
        choice = choose(src_lang, tgt_lang, use_mt=use_mt, use_embeddings=use_embeddings)
    scorers: list[Scorer] = [LengthScorer(), AnchorScorer(), ChrfScorer(), StructureScorer()]
    if choice.mt:
        scorers.insert(0, MtScorer(choice.mt, choice.mt_translates))
    if choice.embedding:
        scorers.insert(0, EmbeddingScorer(model_name=choice.embedding, progress=progress))
    return scorers


def align(
    src_segments: Sequence[Segment],
    tgt_segments: Sequence[Segment],
    src_lang: str,
    tgt_lang: str,
    *,
    scorers: list[Scorer] | None = None,
    params: SearchParams | None = None,
    progress: Progress | None = None,
    use_mt: bool = True,
) -> AlignmentResult:
    """Align two documents' segments; every segment ends up in exactly one bead.

    Without ``scorers``, those ``app.align.choice.choose`` picks for the languages."""
    params = params or SearchParams()
    choice = None
    if scorers is None:
        choice = choose(src_lang, tgt_lang, use_mt=use_mt)
        scorers = choose_scorers(src_lang, tgt_lang, progress, choice=choice)
    src = Side(tuple(src_segments), src_lang)
    tgt = Side(tuple(tgt_segments), tgt_lang)
    max_run = max(max(a, b) for a, b in params.moves)
    notes: list[str] = []
    for scorer in list(scorers):
        try:
            scorer.prepare(src, tgt, max_run)
        except apertium.ApertiumError as error:
            scorers = [s for s in scorers if s is not scorer]
            notes.append(f"machine translation failed: {error}")
    weights = weights_for(scorers)

    cache: dict[tuple[int, int, int, int], tuple[float, dict[str, float | None]]] = {}

    def scored(s0: int, s1: int, t0: int, t1: int) -> tuple[float, dict[str, float | None]]:
        key = (s0, s1, t0, t1)
        if key not in cache:
            values = {scorer.name: scorer.score(src, s0, s1, tgt, t0, t1) for scorer in scorers}
            cache[key] = (combine(values, weights), values)
        return cache[key]

    src_total, tgt_total = src.run_chars(0, len(src)), tgt.run_chars(0, len(tgt))
    ratio = tgt_total / src_total if src_total and tgt_total else 1.0
    unit = (src_total + tgt_total) / max(1, len(src) + len(tgt))

    def gain(s0: int, s1: int, t0: int, t1: int) -> float:
        size = matched_size(src.run_chars(s0, s1), tgt.run_chars(t0, t1), ratio, unit)
        return bead_gain(scored(s0, s1, t0, t1)[0], size, s1 - s0, t1 - t0, params)

    report = progress.report if progress is not None else None
    rows = (lambda done, total: report(ALIGNING_PARAGRAPHS, done, total)) if report else None
    path = search(len(src), len(tgt), gain, params, progress=rows)
    beads = []
    for (s0, s1), (t0, t1) in path.spans:
        if s0 == s1 or t0 == t1:
            beads.append(BeadSpan(s0, s1, t0, t1))
            continue
        similarity, values = scored(s0, s1, t0, t1)
        kept = {name: round(v, 4) for name, v in values.items() if v is not None}
        beads.append(BeadSpan(s0, s1, t0, t1, round(similarity, 4), kept))
    parameters = _describe(scorers, weights, params)
    if choice is not None:
        described = choice.as_dict()
        described["scorers"] = [s.name for s in scorers]
        described["notes"] = described["notes"] + notes
        if notes:
            described["mt"] = described["mt_translates"] = None
        parameters["scorer_choice"] = described
    return AlignmentResult(beads, METHOD, parameters)


def _describe(scorers: list[Scorer], weights: Weights, params: SearchParams) -> dict[str, object]:
    return {
        "level": "paragraph",
        "scorers": [scorer.name for scorer in scorers],
        "scorer_parameters": {scorer.name: scorer.describe() for scorer in scorers},
        "weights": weights.as_dict(),
        "moves": [f"{a}-{b}" for a, b in params.moves],
        "skip": params.skip,
        "penalties": dict(params.penalties),
    }
