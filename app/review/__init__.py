"""Pure review operations on bead sequences: merge, split, shift, one-sided, re-align gaps.

No database and no Flask: ``app.services.review`` loads beads, applies these and stores the
result with its history.
"""

from app.review.beads import AUTOMATIC, CONFIRMED, REJECTED, STATUSES, BeadState, Edit
from app.review.invariants import BrokenAlignment, check_cover, check_window
from app.review.ops import OperationRefused, Window

__all__ = [
    "AUTOMATIC",
    "CONFIRMED",
    "REJECTED",
    "STATUSES",
    "BeadState",
    "BrokenAlignment",
    "Edit",
    "OperationRefused",
    "Window",
    "check_cover",
    "check_window",
]
