"""What an alignment run gives back, and how it tells its progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.align.progress import EMBEDDING, ReportFn, StageCounter
from app.segments import BeadSpan


@dataclass
class Progress:
    """Callbacks for long work; the CLI turns them into progress bars, a job into its row.

    ``planned(total)`` announces how many texts will be embedded, ``embedded(count)``
    reports each finished batch. ``report(stage, done, total)``, when given, hears about
    every stage (see ``app.align.progress``). ``Progress.reporting(report)`` routes the
    embedding counts to it too.
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
