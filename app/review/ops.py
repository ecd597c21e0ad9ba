"""Review operations on a window of consecutive beads; each returns the Edit it makes.

Pure functions: no database, no Flask. A window holds the beads around the one the reviewer
acts on, so an operation on a 10,000-bead alignment reads three beads, not all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from app.review.beads import STATUSES, BeadState, Edit
from app.review.invariants import check_window

SIDES = ("source", "target")
ENDS = ("first", "last")
NOTE_LIMIT = 5000


class OperationRefused(ValueError):
    """An operation that cannot apply here; the message says why, for the reviewer."""


@dataclass(frozen=True)
class Window:
    """Consecutive beads starting at position ``offset``."""

    offset: int
    beads: tuple[BeadState, ...]

    def get(self, position: int) -> BeadState | None:
        index = position - self.offset
        if 0 <= index < len(self.beads):
            return self.beads[index]
        return None

    def require(self, position: int) -> BeadState:
        bead = self.get(position)
        if bead is None:
            raise OperationRefused(f"there is no pair {position + 1}")
        return bead


def set_status(window: Window, position: int, status: str) -> Edit:
    """Confirm, reject or reset one bead."""
    if status not in STATUSES:
        raise OperationRefused(f"status must be one of {', '.join(STATUSES)}, not '{status}'")
    bead = window.require(position)
    # A status given to the pair itself is its own review, never inherited.
    return _edit(position, (bead,), (replace(bead, status=status, inherited=False),))


def set_note(window: Window, position: int, note: str) -> Edit:
    """Attach a note to a bead (an empty note removes it)."""
    bead = window.require(position)
    return _edit(position, (bead,), (replace(bead, note=note.strip()[:NOTE_LIMIT] or None),))


def merge_next(window: Window, position: int) -> Edit:
    """Join a bead with the one after it."""
    first, second = window.require(position), window.get(position + 1)
    if second is None:
        raise OperationRefused("the last pair has no next pair to merge with")
    merged = first.with_ranges((first.src_start, second.src_end), (first.tgt_start, second.tgt_end))
    merged = replace(merged, note=_joined_notes(first.note, second.note))
    return _edit(position, (first, second), (merged,))


def merge_previous(window: Window, position: int) -> Edit:
    """Join a bead with the one before it."""
    if window.get(position - 1) is None:
        window.require(position)
        raise OperationRefused("the first pair has no previous pair to merge with")
    return merge_next(window, position - 1)


def split(window: Window, position: int, src_cut: int, tgt_cut: int) -> Edit:
    """Cut a bead in two: the first part keeps ``src_cut`` original and ``tgt_cut`` translated
    segments, the second part the rest."""
    bead = window.require(position)
    if not (0 <= src_cut <= bead.src_len and 0 <= tgt_cut <= bead.tgt_len):
        raise OperationRefused(
            f"a split point must lie within the pair's {bead.src_len} original and "
            f"{bead.tgt_len} translated segments"
        )
    src_mid, tgt_mid = bead.src_start + src_cut, bead.tgt_start + tgt_cut
    first = bead.with_ranges((bead.src_start, src_mid), (bead.tgt_start, tgt_mid))
    second = bead.with_ranges((src_mid, bead.src_end), (tgt_mid, bead.tgt_end))
    if first.empty or second.empty:
        raise OperationRefused("both parts of a split must keep at least one segment")
    return _edit(position, (bead,), (first, replace(second, note=None)))


def default_split(bead: BeadState) -> tuple[int, int]:
    """Where a split cuts when the reviewer does not choose: after half of each side."""
    src_cut, tgt_cut = (bead.src_len + 1) // 2, (bead.tgt_len + 1) // 2
    if (src_cut, tgt_cut) == (bead.src_len, bead.tgt_len):
        # A 1-1 bead: separate the two sides (an omission and an insertion).
        src_cut, tgt_cut = bead.src_len, 0
    return src_cut, tgt_cut


def _resized(bead: BeadState, side: str, start: int = 0, end: int = 0) -> BeadState:
    """The bead with the ends of its ``side`` range moved by ``start`` and ``end``."""
    src, tgt = (bead.src_start, bead.src_end), (bead.tgt_start, bead.tgt_end)
    if side == "source":
        src = (src[0] + start, src[1] + end)
    else:
        tgt = (tgt[0] + start, tgt[1] + end)
    return bead.with_ranges(src, tgt)


def shift_up(window: Window, position: int, side: str) -> Edit:
    """Move the bead's first segment on ``side`` to the end of the previous bead."""
    _check_side(side)
    bead, previous = window.require(position), window.get(position - 1)
    if previous is None:
        raise OperationRefused("the first pair has no previous pair to move a segment into")
    if _side_len(bead, side) == 0:
        raise OperationRefused(f"this pair has no {side_name(side)} segment to move")
    grown = _resized(previous, side, end=+1)
    shrunk = _resized(bead, side, start=+1)
    grown = replace(grown, note=previous.note)
    after = (grown,) if shrunk.empty else (grown, replace(shrunk, note=bead.note))
    return _edit(position - 1, (previous, bead), after)


def shift_down(window: Window, position: int, side: str) -> Edit:
    """Move the bead's last segment on ``side`` to the start of the next bead."""
    _check_side(side)
    bead, following = window.require(position), window.get(position + 1)
    if following is None:
        raise OperationRefused("the last pair has no next pair to move a segment into")
    if _side_len(bead, side) == 0:
        raise OperationRefused(f"this pair has no {side_name(side)} segment to move")
    shrunk = _resized(bead, side, end=-1)
    grown = _resized(following, side, start=-1)
    grown = replace(grown, note=following.note)
    after = (grown,) if shrunk.empty else (replace(shrunk, note=bead.note), grown)
    return _edit(position, (bead, following), after)


def detach(window: Window, position: int, side: str, end: str) -> Edit:
    """Make the first or last segment of one side a one-sided bead of its own.

    Only an end segment can leave a bead: a middle one would break the order.
    """
    _check_side(side)
    if end not in ENDS:
        raise OperationRefused(f"end must be first or last, not '{end}'")
    bead = window.require(position)
    size = _side_len(bead, side)
    if size == 0:
        raise OperationRefused(f"this pair has no {side_name(side)} segment")
    if bead.one_sided and size == 1:
        raise OperationRefused("this pair is already a single one-sided segment")
    cut = 1 if end == "first" else size - 1
    src_cut, tgt_cut = (
        (cut, 0 if end == "first" else bead.tgt_len)
        if side == "source"
        else (
            0 if end == "first" else bead.src_len,
            cut,
        )
    )
    return split(window, position, src_cut, tgt_cut)


def _edit(start: int, before: tuple[BeadState, ...], after: tuple[BeadState, ...]) -> Edit:
    # Every operation's result is checked locally; the service also checks the ends meet
    # the neighbours it did not load.
    check_window(after)
    return Edit(start, before, after)


def _joined_notes(first: str | None, second: str | None) -> str | None:
    notes = [note for note in (first, second) if note]
    return "\n".join(notes)[:NOTE_LIMIT] or None


def _check_side(side: str) -> None:
    if side not in SIDES:
        raise OperationRefused(f"side must be source or target, not '{side}'")


def _side_len(bead: BeadState, side: str) -> int:
    return bead.src_len if side == "source" else bead.tgt_len


def side_name(side: str) -> str:
    """What the review page calls a side: "original" or "translated"."""
    return "original" if side == "source" else "translated"


def window_of(beads: Sequence[BeadState], offset: int = 0) -> Window:
    return Window(offset, tuple(beads))
