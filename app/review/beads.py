"""Beads as plain values, and the edit that replaces a run of them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

AUTOMATIC = "automatic"
CONFIRMED = "confirmed"
REJECTED = "rejected"
STATUSES = (AUTOMATIC, CONFIRMED, REJECTED)


@dataclass(frozen=True)
class BeadState:
    """Everything a reviewer can change about a bead: its two ranges and its review fields.

    Ranges are half-open over the documents' segments at the alignment's level.
    """

    src_start: int
    src_end: int
    tgt_start: int
    tgt_end: int
    similarity: float | None = None
    scores: dict[str, Any] = field(default_factory=dict)
    status: str = AUTOMATIC
    note: str | None = None
    flags: list[Any] = field(default_factory=list)
    # The status came from the paragraph pair above (sentence level only).
    inherited: bool = False

    @property
    def src_len(self) -> int:
        return self.src_end - self.src_start

    @property
    def tgt_len(self) -> int:
        return self.tgt_end - self.tgt_start

    @property
    def empty(self) -> bool:
        return self.src_len == 0 and self.tgt_len == 0

    @property
    def one_sided(self) -> bool:
        return (self.src_len == 0) != (self.tgt_len == 0)

    def with_ranges(self, src: tuple[int, int], tgt: tuple[int, int]) -> BeadState:
        """A copy covering new ranges; its scores no longer apply, and it needs review again."""
        return replace(
            self,
            src_start=src[0],
            src_end=src[1],
            tgt_start=tgt[0],
            tgt_end=tgt[1],
            similarity=None,
            scores={},
            status=AUTOMATIC,
            flags=[],
            inherited=False,
        )

    def as_dict(self) -> dict[str, Any]:
        """The bead as JSON-ready data, for the history."""
        inherited = {"inherited": True} if self.inherited else {}
        return inherited | {
            "src": [self.src_start, self.src_end],
            "tgt": [self.tgt_start, self.tgt_end],
            "similarity": self.similarity,
            "scores": dict(self.scores),
            "status": self.status,
            "note": self.note,
            "flags": list(self.flags),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BeadState:
        """The inverse of ``as_dict``."""
        return cls(
            src_start=data["src"][0],
            src_end=data["src"][1],
            tgt_start=data["tgt"][0],
            tgt_end=data["tgt"][1],
            similarity=data.get("similarity"),
            scores=dict(data.get("scores") or {}),
            status=data.get("status", AUTOMATIC),
            note=data.get("note"),
            flags=list(data.get("flags") or []),
            inherited=bool(data.get("inherited", False)),
        )


@dataclass(frozen=True)
class Edit:
    """Replace the beads at positions ``[start, start + len(before))`` with ``after``.

    Keeping both sides makes every edit its own undo: swap them.
    """

    start: int
    before: tuple[BeadState, ...]
    after: tuple[BeadState, ...]

    def inverse(self) -> Edit:
        return Edit(self.start, self.after, self.before)

    @property
    def delta(self) -> int:
        """How many beads the edit adds (negative when it removes some)."""
        return len(self.after) - len(self.before)
