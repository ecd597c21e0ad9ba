"""The rule every alignment keeps: each segment of both documents in exactly one bead, in order."""

from __future__ import annotations

from collections.abc import Sequence

from app.review.beads import BeadState


class BrokenAlignment(ValueError):
    """A bead sequence that loses, repeats or reorders segments."""


def check_cover(beads: Sequence[BeadState], src_count: int, tgt_count: int) -> None:
    """Raise BrokenAlignment unless ``beads`` tile both documents contiguously, in order.

    Also refuses beads with no segment at all, which no reviewer could see or fix.
    """
    src = tgt = 0
    for index, bead in enumerate(beads):
        if bead.src_start != src or bead.tgt_start != tgt:
            raise BrokenAlignment(
                f"bead {index} starts at ({bead.src_start}, {bead.tgt_start}), "
                f"expected ({src}, {tgt})"
            )
        if bead.src_end < bead.src_start or bead.tgt_end < bead.tgt_start:
            raise BrokenAlignment(f"bead {index} has a range that runs backwards")
        if bead.empty:
            raise BrokenAlignment(f"bead {index} covers no segment")
        src, tgt = bead.src_end, bead.tgt_end
    if (src, tgt) != (src_count, tgt_count):
        raise BrokenAlignment(
            f"the beads end at ({src}, {tgt}) but the documents have ({src_count}, {tgt_count})"
        )


def check_window(beads: Sequence[BeadState]) -> None:
    """Raise BrokenAlignment unless consecutive beads continue each other (a local check)."""
    for index, (left, right) in enumerate(zip(beads, beads[1:], strict=False)):
        if left.src_end != right.src_start or left.tgt_end != right.tgt_start:
            raise BrokenAlignment(f"beads {index} and {index + 1} do not continue each other")
    for index, bead in enumerate(beads):
        if bead.empty:
            raise BrokenAlignment(f"bead {index} covers no segment")


def check_nesting(
    parents: Sequence[BeadState],
    children: Sequence[BeadState],
    src_paragraph: Sequence[int],
    tgt_paragraph: Sequence[int],
) -> None:
    """Raise BrokenAlignment unless every child (sentence) bead lies inside one parent
    (paragraph) bead.

    ``src_paragraph[k]`` is the paragraph of source sentence k (likewise for the target).
    """
    src_parent = _owners(parents, "src")
    tgt_parent = _owners(parents, "tgt")
    for index, bead in enumerate(children):
        owners = {src_parent[src_paragraph[k]] for k in range(bead.src_start, bead.src_end)}
        owners |= {tgt_parent[tgt_paragraph[k]] for k in range(bead.tgt_start, bead.tgt_end)}
        if len(owners) > 1:
            raise BrokenAlignment(f"sentence bead {index} crosses paragraph beads {sorted(owners)}")


def _owners(parents: Sequence[BeadState], side: str) -> dict[int, int]:
    """The parent bead holding each paragraph of one side."""
    owner: dict[int, int] = {}
    for index, bead in enumerate(parents):
        start, end = (
            (bead.src_start, bead.src_end) if side == "src" else (bead.tgt_start, bead.tgt_end)
        )
        owner.update(dict.fromkeys(range(start, end), index))
    return owner
