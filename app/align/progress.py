"""Progress of a long alignment, told to whoever listens, as ``report(stage, done, total)``.

The aligner knows nothing of its listeners: the CLI draws a bar, a background job
writes the figures to its row in the database (``app.jobs``). A stage's ``done`` grows
from 0 to ``total``; stages come in the order below, and a short document may skip some.
"""

from __future__ import annotations

from collections.abc import Callable

ReportFn = Callable[[str, int, int], None]

# The stages, in order, with what their counts count.
EMBEDDING = "embedding"  # paragraph runs embedded by the semantic scorer
ALIGNING_PARAGRAPHS = "aligning paragraphs"  # source paragraphs placed by the search
EMBEDDING_SENTENCES = "embedding sentences"  # sentences embedded (or found in the cache)
ALIGNING_SENTENCES = "aligning sentences"  # paragraph beads aligned sentence by sentence
STAGES = (EMBEDDING, ALIGNING_PARAGRAPHS, EMBEDDING_SENTENCES, ALIGNING_SENTENCES)


class StageCounter:
    """Adds up the counts of one stage and reports the running total after each step."""

    def __init__(self, report: ReportFn, stage: str, total: int = 0) -> None:
        self.report, self.stage, self.total, self.done = report, stage, total, 0

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self.report(self.stage, 0, total)

    def add(self, count: int) -> None:
        self.done = min(self.total, self.done + count) if self.total else self.done + count
        self.report(self.stage, self.done, self.total)
