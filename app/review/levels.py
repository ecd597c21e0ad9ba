"""Keeping the sentence level inside the paragraph level after a paragraph change.

A sentence alignment refines its paragraph alignment: each sentence bead lies inside one
paragraph bead. When a review operation changes paragraph beads (merge, split, shift,
one-sided, re-alignment, and their undo), the sentence beads under the changed stretch are
derived again, paragraph bead by paragraph bead:

- under a paragraph bead whose ranges did not change, the sentence beads stay as they are;
- under a changed one, confirmed sentence beads that still lie inside it stay, and the
  sentences between them are aligned again; every other sentence bead there is replaced.

Pure: the service reads the beads and sentences and writes the Edit this returns.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

from app.review.beads import AUTOMATIC, CONFIRMED, BeadState, Edit

# Aligns sentences src[s0:s1] with tgt[t0:t1] (both non-empty); ranges relative to them.
AlignSentences = Callable[[int, int, int, int], list[BeadState]]


@dataclass(frozen=True)
class Box:
    """The sentences under one paragraph bead: ``[s0, s1)`` and ``[t0, t1)``."""

    s0: int
    s1: int
    t0: int
    t1: int

    def holds(self, bead: BeadState) -> bool:
        return (
            self.s0 <= bead.src_start
            and bead.src_end <= self.s1
            and self.t0 <= bead.tgt_start
            and bead.tgt_end <= self.t1
        )


def ranges(bead: BeadState) -> tuple[int, int, int, int]:
    return (bead.src_start, bead.src_end, bead.tgt_start, bead.tgt_end)


def changed_ranges(edit: Edit) -> bool:
    """Whether an edit changes which segments go together (not just statuses or notes)."""
    return [ranges(b) for b in edit.before] != [ranges(b) for b in edit.after]


def rederive(
    paragraphs: Sequence[BeadState],
    boxes: Sequence[Box],
    kept_shapes: set[tuple[int, int, int, int]],
    sentences: Sequence[BeadState],
    align: AlignSentences,
) -> list[BeadState]:
    """The sentence beads under ``paragraphs`` (the paragraph beads after a change, each
    with its sentence ``boxes``), given the ``sentences`` beads that were there before.

    ``kept_shapes`` are the ranges of the paragraph beads that the change left as they were.
    """
    out: list[BeadState] = []
    for paragraph, box in zip(paragraphs, boxes, strict=True):
        inside = [bead for bead in sentences if box.holds(bead) and not bead.empty]
        if ranges(paragraph) in kept_shapes and _tiles(inside, box):
            out += inside
            continue
        cursor = (box.s0, box.t0)
        for anchor in (bead for bead in inside if bead.status == CONFIRMED):
            out += _gap(cursor, (anchor.src_start, anchor.tgt_start), align)
            out.append(anchor)
            cursor = (anchor.src_end, anchor.tgt_end)
        out += _gap(cursor, (box.s1, box.t1), align)
    return out


def _tiles(beads: Sequence[BeadState], box: Box) -> bool:
    src, tgt = box.s0, box.t0
    for bead in beads:
        if (bead.src_start, bead.tgt_start) != (src, tgt):
            return False
        src, tgt = bead.src_end, bead.tgt_end
    return (src, tgt) == (box.s1, box.t1)


def _gap(start: tuple[int, int], stop: tuple[int, int], align: AlignSentences) -> list[BeadState]:
    """Sentence beads for the sentences from ``start`` to ``stop`` on both sides."""
    (s0, t0), (s1, t1) = start, stop
    if s0 == s1 or t0 == t1:
        # Nothing to pair with: each sentence on its own.
        return [BeadState(k, k + 1, t0, t0) for k in range(s0, s1)] + [
            BeadState(s1, s1, k, k + 1) for k in range(t0, t1)
        ]
    return [
        BeadState(
            b.src_start + s0,
            b.src_end + s0,
            b.tgt_start + t0,
            b.tgt_end + t0,
            b.similarity,
            dict(b.scores),
        )
        for b in align(s0, s1, t0, t1)
    ]


def reviewed_on_its_own(bead: BeadState) -> bool:
    """Whether a sentence bead was confirmed or rejected itself, not through its paragraph."""
    return bead.status != AUTOMATIC and not bead.inherited


def follow_status(
    paragraphs: Sequence[BeadState],
    boxes: Sequence[Box],
    changed: Collection[int],
    sentences: Sequence[BeadState],
) -> list[BeadState]:
    """The sentence beads once they follow the status of the paragraph beads ``changed``
    (indices into ``paragraphs``, each with its sentence ``boxes``).

    A sentence bead reviewed on its own keeps its status; the others take their paragraph's
    (inherited), or go back to automatic when the paragraph does.
    """
    out: list[BeadState] = []
    for bead in sentences:
        holder = next(
            (k for k in changed if boxes[k].holds(bead) and not bead.empty),
            None,
        )
        if holder is None or reviewed_on_its_own(bead):
            out.append(bead)
            continue
        status = paragraphs[holder].status
        out.append(replace(bead, status=status, inherited=status != AUTOMATIC))
    return out


def inherit_status(bead: BeadState, paragraph_status: str) -> BeadState:
    """A sentence bead made by a fix inside a reviewed paragraph bead takes its status: the
    reviewer has just looked at it, and the paragraph stays reviewed."""
    if bead.status != AUTOMATIC or paragraph_status == AUTOMATIC:
        return bead
    return replace(bead, status=paragraph_status, inherited=True)
