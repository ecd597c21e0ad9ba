"""The alignment map: the chosen path through the two documents, coloured by similarity.

A 10,000-bead alignment is drawn with at most ``MAX_CELLS`` cells: consecutive beads are
grouped, and a group takes its weakest similarity, so that doubtful stretches stay visible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.store import models
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
    bead = models.Bead
    rows = session.execute(
        select(
            bead.sort_key,
            bead.src_start,
            bead.src_end,
            bead.tgt_start,
            bead.tgt_end,
            bead.similarity,
            bead.status,
        )
        .where(bead.alignment_id == alignment_id)
        .order_by(bead.sort_key)
    ).all()
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
    similarities = [row[5] for row in group if row[5] is not None]
    weakest = min(similarities) if similarities else None
    first, last = group[0], group[-1]
    one_sided = all(row[1] == row[2] or row[3] == row[4] for row in group)
    band = similarity_band(weakest)
    if weakest is None:
        band = "none" if one_sided else "unscored"
    statuses = {row[6] for row in group}
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
        x=first[1],
        y=first[3],
        # One-sided beads have no extent on one axis; give them a hairline to click.
        width=max(last[2] - first[1], 1),
        height=max(last[4] - first[3], 1),
        band=band,
        similarity=weakest,
        status=status,
    )
