"""Running a set of QA checks over the pairs of one alignment (the checks: ``app.qa.registry``)."""

from __future__ import annotations

from collections.abc import Sequence

from app.qa.base import Check, Flag, QaPair


def run_checks(pairs: Sequence[QaPair], checks: Sequence[Check]) -> list[list[Flag]]:
    """Return the flags of each pair, in the order of ``pairs``.

    Every check first learns from all the pairs, then looks at each one.
    """
    for check in checks:
        check.learn(pairs)
    return [[flag for check in checks for flag in check.flags(pair)] for pair in pairs]
