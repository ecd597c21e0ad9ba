"""Sort keys: the stored order of beads, with gaps so that an edit touches only its own beads.

A bead's place in its alignment (its *position*, the pair number a reviewer sees, 0..n-1) is
its rank by ``sort_key``; keys are not contiguous. New alignments are stored with keys
``0, GAP, 2*GAP, ...``, so a split or an undone merge finds a free key between its neighbours
and no other bead is renumbered. When a stretch runs out of free keys (about ten splits in
the same place), the service spreads the keys of a few beads around it again
(``respread``); the beads' order never changes, only their keys.

Pure functions: the service reads the keys and writes the result.
"""

from __future__ import annotations

from collections.abc import Sequence

# The distance between consecutive beads' keys when an alignment is stored.
GAP = 1024
# A stretch spread again must leave at least this distance between keys, so that it does
# not need spreading again after the next few inserts.
MIN_SPACING = 32


def initial_keys(count: int) -> list[int]:
    """The keys of ``count`` beads stored at once."""
    return [k * GAP for k in range(count)]


def between(low: int | None, high: int | None, count: int) -> list[int] | None:
    """``count`` increasing keys strictly between ``low`` and ``high``, evenly spaced.

    ``low`` None means "before the first bead" (keys stay >= 0), ``high`` None means "after
    the last bead" (there is always room). None when there is not room for them all.
    """
    if count <= 0:
        return []
    bottom = -1 if low is None else low
    if high is None:
        return [bottom + GAP * (k + 1) for k in range(count)]
    step = (high - bottom) // (count + 1)
    if step < 1:
        return None
    return [bottom + step * (k + 1) for k in range(count)]


def respread(low: int | None, high: int | None, slots: int) -> list[int] | None:
    """New keys for ``slots`` consecutive beads between ``low`` and ``high`` (exclusive),
    evenly spaced at least MIN_SPACING apart; None when the stretch is too crowded."""
    bottom = -1 if low is None else low
    if high is not None and (high - bottom) // (slots + 1) < MIN_SPACING:
        return None
    return between(low, high, slots)


def is_ordered(keys: Sequence[int]) -> bool:
    return all(a < b for a, b in zip(keys, keys[1:], strict=False))
