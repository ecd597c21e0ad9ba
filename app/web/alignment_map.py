"""The alignment map: the chosen path through the two documents, coloured by similarity.

A 10,000-bead alignment is drawn with at most ``MAX_CELLS`` cells: consecutive beads are
grouped, and a group takes its weakest similarity, so that doubtful stretches stay visible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.store.beads import outline
from app.web.rows import similarity_band

MAX_CELLS = 600


@dataclass(frozen=True)
class MapCell:
    """A group of consecutive beads: the first one's position and the rectangle they cover."""

    position: int
    last: int
    x: int
    y: int
    width: int
    height: int
    band: str
    similarity: float | None
    # "confirmed" when every pair of the cell is, "rejected" when one is, else "automatic".
    status: str = "automatic"


@dataclass(frozen=True)
class AlignmentMap:
    width: int
    height: int
    cells: list[MapCell]
    path: str
    beads_per_cell: int


def alignment_map(
    session: Session, alignment_id: int, max_cells: int | None = None
) -> AlignmentMap:
    """Read the beads' ranges and similarities and group them into at most ``max_cells``."""
    rows = outline(session, alignment_id)
    per_cell = max(1, math.ceil(len(rows) / (max_cells or MAX_CELLS)))
    cells = [_cell(k, rows[k : k + per_cell]) for k in range(0, len(rows), per_cell)]
    # Wide and high enough for every cell: a pair that exists only in the translation,
    # after the original's last paragraph, is a hairline just past its end.
    width = max((cell.x + cell.width for cell in cells), default=0)
    height = max((cell.y + cell.height for cell in cells), default=0)
    points = ["0,0"] + [f"{cell.x + cell.width},{cell.y + cell.height}" for cell in cells]
    return AlignmentMap(max(width, 1), max(height, 1), cells, " ".join(points), per_cell)


def _cell(position: int, group: list) -> MapCell:
    """The cell of the beads ``group``, the first of which is at ``position``."""
    similarities = [row.similarity for row in group if row.similarity is not None]
    weakest = min(similarities) if similarities else None
    first, last = group[0], group[-1]
    one_sided = all(row.src_start == row.src_end or row.tgt_start == row.tgt_end for row in group)
    band = similarity_band(weakest)
    if weakest is None:
        band = "none" if one_sided else "unscored"
    statuses = {row.status for row in group}
    status = (
        "rejected"
        if "rejected" in statuses
        else "confirmed"
        if statuses == {"confirmed"}
        else "automatic"
    )
    return MapCell(
        position=position,
        last=position + len(group) - 1,
        x=first.src_start,
        y=first.tgt_start,
        # One-sided beads have no extent on one axis; give them a hairline to click.
        width=max(last.src_end - first.src_start, 1),
        height=max(last.tgt_end - first.tgt_start, 1),
        band=band,
        similarity=weakest,
        status=status,
    )
