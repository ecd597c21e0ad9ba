"""The two sides of an alignment as the scorers see them: segments and runs of segments."""

from __future__ import annotations

from dataclasses import dataclass

from app.segments import Segment


@dataclass(frozen=True)
class Side:
    """One document's segments in order, with its language (ISO 639-1)."""

    segments: tuple[Segment, ...]
    language: str

    def __len__(self) -> int:
        return len(self.segments)

    def run_text(self, start: int, end: int) -> str:
        """The text of segments ``[start, end)`` joined as one passage."""
        return " ".join(segment.text for segment in self.segments[start:end])

    def run_chars(self, start: int, end: int) -> int:
        return sum(len(segment.text) for segment in self.segments[start:end]) + max(
            0, end - start - 1
        )
