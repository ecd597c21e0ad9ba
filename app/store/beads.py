"""The beads of an alignment as stored: reading a window of them, writing an edit, ranks.

A bead's position (its pair number, from 0) is its rank by ``sort_key``; keys have gaps
(``app.review.keys``), so an edit writes only its own beads. Plain values go in and out
(``app.review.beads.BeadState``, ``Edit``); deciding what to change is the review core's,
recording it the history's (``app.services.history``), and checking the changed pairs
again the caller's (``app.services.beads.write_beads`` adds QA).

Every function takes an open session inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidRequest, NotFound
from app.review import keys
from app.review.beads import BeadState, Edit
from app.review.levels import ranges
from app.store import models

STALE_MESSAGE = (
    "this alignment was changed by someone else since the page was loaded; "
    "the page now shows the current state, make your change again if it is still needed"
)

STALE_SENTENCES = (
    "these sentence pairs have changed since, by someone else or by a change of the "
    "paragraph pairs around them; the page now shows the current state"
)


def pair_number(position: int) -> int:
    """The number a reviewer sees for the bead at ``position``: pairs count from 1."""
    return position + 1


def bead_state(bead: models.Bead) -> BeadState:
    return BeadState(
        src_start=bead.src_start,
        src_end=bead.src_end,
        tgt_start=bead.tgt_start,
        tgt_end=bead.tgt_end,
        similarity=bead.similarity,
        scores=dict(bead.scores or {}),
        status=bead.status,
        note=bead.note,
        flags=list(bead.flags or []),
        inherited=bool(bead.inherited),
    )


def all_rows(session: Session, alignment_id: int, limit: int | None = None) -> list[models.Bead]:
    """The alignment's bead rows in order (the first ``limit`` of them)."""
    query = (
        select(models.Bead)
        .where(models.Bead.alignment_id == alignment_id)
        .order_by(models.Bead.sort_key)
        .limit(limit)
    )
    return list(session.scalars(query))


def bead_states(session: Session, alignment_id: int) -> list[BeadState]:
    """Every bead of the alignment as plain values, in order."""
    return [bead_state(bead) for bead in all_rows(session, alignment_id)]


def locked_alignment(session: Session, alignment_id: int, version: int | None) -> models.Alignment:
    """The alignment, locked until the end of the transaction; raise Conflict when its
    version is not ``version`` (None: any)."""
    # The row lock makes the version check and the write one step: a second reviewer waits,
    # then sees the new version and gets a conflict. SQLite has no row locks and ignores
    # FOR UPDATE; there a write that changes nothing takes the database's write lock first,
    # so that what is read next is the latest state and stays so until the commit (without
    # it, two reviewers could both pass the check and both write).
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(models.Alignment)
            .where(models.Alignment.id == alignment_id)
            .values(version=models.Alignment.version)
            .execution_options(synchronize_session=False)
        )
    alignment = session.get(models.Alignment, alignment_id, with_for_update=True)
    if alignment is None:
        raise NotFound(f"there is no alignment {alignment_id}")
    if version is not None and alignment.version != version:
        raise Conflict(STALE_MESSAGE)
    return alignment


# A bead's two half-open ranges, as columns: where it sits in both documents.
RANGES = (models.Bead.src_start, models.Bead.src_end, models.Bead.tgt_start, models.Bead.tgt_end)


def outline(session: Session, alignment_id: int) -> list:
    """Every bead of the alignment in order, without texts or scores: rows of ``id``,
    ``sort_key``, the four range ends, ``similarity`` and ``status``."""
    bead = models.Bead
    return list(
        session.execute(
            select(bead.id, bead.sort_key, *RANGES, bead.similarity, bead.status)
            .where(bead.alignment_id == alignment_id)
            .order_by(bead.sort_key)
        )
    )


def bead_rank(session: Session, alignment_id: int, sort_key: int) -> int:
    """The position (pair number, from 0) of the bead with ``sort_key``: its rank."""
    return (
        session.scalar(
            select(func.count())
            .select_from(models.Bead)
            .where(models.Bead.alignment_id == alignment_id, models.Bead.sort_key < sort_key)
        )
        or 0
    )


def key_at(session: Session, alignment_id: int, position: int) -> int | None:
    """The sort key of the bead at ``position`` (its rank), None when there is none."""
    if position < 0:
        return None
    return session.scalar(
        select(models.Bead.sort_key)
        .where(models.Bead.alignment_id == alignment_id)
        .order_by(models.Bead.sort_key)
        .offset(position)
        .limit(1)
    )


def rows_from(session: Session, alignment_id: int, position: int, count: int) -> list[models.Bead]:
    """The beads at positions ``[position, position + count)``, fewer at the end.

    One statement: the sort key at ``position`` is found by skipping entries of the
    (alignment, sort key) index, which is cheap beside reading the rows.
    """
    bead = models.Bead
    first_key = (
        select(bead.sort_key)
        .where(bead.alignment_id == alignment_id)
        .order_by(bead.sort_key)
        .offset(max(position, 0))
        .limit(1)
        .scalar_subquery()
    )
    return list(
        session.scalars(
            select(bead)
            .where(bead.alignment_id == alignment_id, bead.sort_key >= first_key)
            .order_by(bead.sort_key)
            .limit(count)
        )
    )


Loaded = tuple[int, list[models.Bead]]


def write_beads(
    session: Session, alignment_id: int, edit: Edit, loaded: Loaded | None = None
) -> list[models.Bead]:
    """Replace the beads at the edit's positions; raise Conflict if they are not its before.

    Only the edit's own beads are written: beads that stay are updated in place, surplus
    ones deleted, new ones inserted with sort keys between their neighbours'. ``loaded``
    is (position, rows) of beads already read from that position on, to save reading them
    again. Returns the rows whose segments changed (reshaped or new): their QA flags are
    those of the old pairs until checked again.
    """
    size = len(edit.before)
    current = _loaded_rows(loaded, edit.start, size)
    following = _loaded_rows(loaded, edit.start + size, 1)
    if current is None:
        rows = rows_from(session, alignment_id, edit.start, size + 1)
        current, following = rows[:size], rows[size:]
    stored = [bead_state(row) for row in current]
    if not _still(stored, edit.before):
        raise Conflict(STALE_MESSAGE)
    if edit.before and edit.after and _span(edit.before) != _span(edit.after):
        # The edit must cover exactly the segments it replaces, or segments would be lost.
        raise InvalidRequest("the change would lose or repeat segments; nothing was changed")
    now = datetime.now(UTC)
    common = min(size, len(edit.after))
    reshaped: list[models.Bead] = []
    for row, was, state in zip(current[:common], stored[:common], edit.after[:common], strict=True):
        if ranges(was) != ranges(state):
            reshaped.append(row)
            _assign(row, state, now)
        elif reviewed(was) != reviewed(state):
            # Same segments: the flags found on them stay, whatever the edit remembers.
            flags = row.flags
            _assign(row, state, now)
            row.flags = flags
    for row in current[common:]:
        session.delete(row)
    added = edit.after[common:]
    if added:
        if common:
            left: models.Bead | None = current[common - 1]
        else:
            previous = rows_from(session, alignment_id, edit.start - 1, 1) if edit.start else []
            left = previous[0] if previous else None
        if following is None:
            following = rows_from(session, alignment_id, edit.start + size, 1)
        right_key = following[0].sort_key if following else None
        new_keys = _free_keys(session, alignment_id, left, right_key, len(added))
        for key, state in zip(new_keys, added, strict=True):
            row = models.Bead(alignment_id=alignment_id, sort_key=key, version=0)
            _assign(row, state, now)
            session.add(row)
            reshaped.append(row)
    session.flush()
    return reshaped


def reviewed(state: BeadState) -> BeadState:
    """``state`` without its QA flags."""
    return replace(state, flags=[])


def _loaded_rows(loaded: Loaded | None, position: int, count: int) -> list[models.Bead] | None:
    """The rows ``[position, position + count)`` out of ``loaded``; None unless it holds
    them all (near the end, it cannot tell whether there are more)."""
    if loaded is None:
        return None
    start, rows = loaded
    offset = position - start
    if offset < 0 or offset + count > len(rows):
        return None
    return rows[offset : offset + count]


def _free_keys(
    session: Session,
    alignment_id: int,
    left: models.Bead | None,
    right_key: int | None,
    count: int,
) -> list[int]:
    """``count`` unused sort keys between ``left`` and the key ``right_key``.

    When the gap is too narrow, the beads around it are given new, evenly spread keys, a
    few at first and more until the stretch has room: order is kept, and a stretch is
    spread again only after several inserts in the same place.
    """
    keys_found = keys.between(left.sort_key if left else None, right_key, count)
    if keys_found is not None:
        return keys_found
    bead = models.Bead
    pivot = left.sort_key if left else -1
    reach = 8
    while True:
        lower = list(
            session.scalars(
                select(bead)
                .where(bead.alignment_id == alignment_id, bead.sort_key <= pivot)
                .order_by(bead.sort_key.desc())
                .limit(reach + 1)
            )
        )
        upper = list(
            session.scalars(
                select(bead)
                .where(bead.alignment_id == alignment_id, bead.sort_key > pivot)
                .order_by(bead.sort_key)
                .limit(reach + 1)
            )
        )
        low = lower[reach].sort_key if len(lower) > reach else None
        high = upper[reach].sort_key if len(upper) > reach else None
        stretch_lower, stretch_upper = lower[:reach][::-1], upper[:reach]
        spread = keys.respread(low, high, len(stretch_lower) + count + len(stretch_upper))
        if spread is not None:
            break
        reach *= 8
    moved = stretch_lower + stretch_upper
    # Two steps: the (alignment, sort key) uniqueness is checked row by row, so the moved
    # beads first take distinct negative keys, which no bead ever has otherwise.
    for k, row in enumerate(moved):
        row.sort_key = -1 - k
    session.flush()
    final = spread[: len(stretch_lower)] + spread[len(stretch_lower) + count :]
    for row, key in zip(moved, final, strict=True):
        row.sort_key = key
    session.flush()
    return spread[len(stretch_lower) : len(stretch_lower) + count]


def _assign(row: models.Bead, state: BeadState, now: datetime) -> None:
    row.src_start, row.src_end = state.src_start, state.src_end
    row.tgt_start, row.tgt_end = state.tgt_start, state.tgt_end
    row.similarity = state.similarity
    row.scores = dict(state.scores)
    row.status = state.status
    row.note = state.note
    row.flags = list(state.flags)
    row.inherited = state.inherited
    row.version = (row.version or 0) + 1
    row.updated_at = now


def replace_scores(
    session: Session, alignment_id: int, start: int, old: tuple[BeadState, ...], new: list
) -> bool:
    """Give the beads from ``start`` on, which must still be ``old`` (QA flags aside), the
    similarities and scores of ``new``; their flags stay. False, writing nothing, when
    they have changed since."""
    rows = rows_from(session, alignment_id, start, len(old))
    if not _still([bead_state(row) for row in rows], old):
        return False
    now = datetime.now(UTC)
    for row, before, after in zip(rows, old, new, strict=True):
        if after != before:
            _assign(row, replace(after, flags=list(row.flags or [])), now)
    return True


def _still(stored: list[BeadState], expected) -> bool:
    """Whether the stored beads are still ``expected``. QA flags take no part: they are
    derived from the text and checked again after every change."""
    return tuple(map(reviewed, stored)) == tuple(map(reviewed, expected))


def _span(beads: tuple[BeadState, ...]) -> tuple[int, int, int, int]:
    return (beads[0].src_start, beads[-1].src_end, beads[0].tgt_start, beads[-1].tgt_end)
