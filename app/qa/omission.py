"""One-sided beads in the middle of a document: likely omissions or insertions.

At the very start or end of a document a one-sided bead is usually boilerplate (a by-line,
a photo credit, a link list); between translated passages it more likely marks text the
translator skipped or added.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from app.qa.base import Check, QaPair


class OmissionCheck(Check):
    """Flags one-sided beads that lie between two-sided ones."""

    check_id = "omission"
    description = "a passage inside the document has no counterpart"
    needs_both_sides = False

    def __init__(self) -> None:
        self.first: int | None = None
        self.last: int | None = None

    def learn(self, pairs: Sequence[QaPair]) -> None:
        """Find the positions of the first and last two-sided pairs."""
        positions = [pair.position for pair in pairs if pair.two_sided]
        if positions:
            self.first, self.last = min(positions), max(positions)

    def problems(self, pair: QaPair) -> Iterator[str]:
        if pair.two_sided or self.first is None or self.last is None:
            return
        if not self.first < pair.position < self.last:
            return
        if pair.source.strip():
            yield "likely omission: this passage of the original has no translation"
        elif pair.target.strip():
            yield "likely insertion: this passage of the translation is not in the original"
