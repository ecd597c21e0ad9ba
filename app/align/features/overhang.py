"""``overhang``: a neighbouring unit translated at the edge of the bead's unit.

Translators merge a short paragraph into the next one, or split one in two; the
translation of the paragraph left outside a bead then sits at the edge of the bead's
paragraph on the other side, as its first or last sentence. A paragraph's vector hardly
moves for one sentence more or less, so this compares the unit just outside the bead
with the first or last sentence of the bead's nearest unit on the other side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from app.align.features.registry import Feature

if TYPE_CHECKING:
    from app.align.features.sides import SideArrays


def overhang(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    """The best of four cosines: the unit after the bead on one side with the last
    sentence of the bead's last unit on the other, and the unit before it with the first
    sentence of the first unit (0 past an end)."""
    n, m = len(src), len(tgt)
    out = np.zeros(rows.size)
    units_s, units_t = src.semantic.vectors, tgt.semantic.vectors
    first_s, last_s = src.edge_sentences
    first_t, last_t = tgt.edge_sentences
    cases = (
        (units_s, rows, last_t, cols - 1, rows < n),
        (units_t, cols, last_s, rows - 1, cols < m),
        (units_s, rows - a - 1, first_t, cols - b, rows - a >= 1),
        (units_t, cols - b - 1, first_s, rows - a, cols - b >= 1),
    )
    for outside, i, edges, j, inside in cases:
        i = np.clip(i, 0, len(outside) - 1)
        j = np.clip(j, 0, len(edges) - 1)
        fit = np.einsum("ij,ij->i", outside[i], edges[j])
        out = np.maximum(out, np.where(inside, np.clip(fit, 0.0, 1.0), 0.0))
    return out


FEATURE = Feature(
    "overhang",
    label="translated next door",
    meaning="how well a unit just outside the pair fits the first or last sentence inside it",
    compute=overhang,
    needs="edge_sentences",
)
