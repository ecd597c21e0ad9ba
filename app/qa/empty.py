"""Pairs with an empty side: nothing on one side, or only whitespace."""

from __future__ import annotations

from collections.abc import Iterator

from app.qa.base import Check, QaPair


class EmptySideCheck(Check):
    """Flags a pair whose source or target has no text."""

    check_id = "empty"
    description = "one side is empty"
    needs_both_sides = False

    def problems(self, pair: QaPair) -> Iterator[str]:
        source, target = bool(pair.source.strip()), bool(pair.target.strip())
        if source and not target:
            yield "the target is empty: this passage has no translation"
        elif target and not source:
            yield "the source is empty: this passage is not in the original"
