"""Matching items of one side with items of the other, one to one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Other = TypeVar("Other")


def unmatched(
    left: Sequence[Item], right: Sequence[Other], same: Callable[[Item, Other], bool]
) -> tuple[list[Item], list[Other]]:
    """Return the items of ``left`` and of ``right`` left over after one-to-one matching.

    Greedy, in order: a pair holds a handful of numbers or names, so nothing cleverer pays.
    """
    remaining = list(right)
    missing: list[Item] = []
    for item in left:
        for index, candidate in enumerate(remaining):
            if same(item, candidate):
                del remaining[index]
                break
        else:
            missing.append(item)
    return missing, remaining
