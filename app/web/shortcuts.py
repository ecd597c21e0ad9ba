"""The keyboard map of the alignment page, shown by its help overlay (``?``).

``static/review.js`` binds the same keys; the browser tests check that the two agree.
"""

from __future__ import annotations

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("j / ↓", "next pair"),
    ("k / ↑", "previous pair"),
    ("c", "confirm the pair"),
    ("x", "reject the pair"),
    ("a", "reset the pair to automatic"),
    ("m", "merge with the next pair"),
    ("M", "merge with the previous pair"),
    ("s", "split the pair (choose where)"),
    ("[", "move the first translated segment up into the previous pair"),
    ("]", "move the last translated segment down into the next pair"),
    ("{", "move the first original segment up into the previous pair"),
    ("}", "move the last original segment down into the next pair"),
    ("o", "make the last translated segment one-sided"),
    ("O", "make the last original segment one-sided"),
    ("n", "edit the note"),
    ("u / Ctrl+Z", "undo"),
    ("U / Ctrl+Y", "redo"),
    ("g", "next unreviewed pair"),
    ("/", "search the text"),
    ("R", "re-align between confirmed pairs"),
    ("?", "show or hide this help"),
)
