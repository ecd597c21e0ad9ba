"""Files that ship with Alinea besides its code: the Alembic migrations and the demo corpus.

In a source checkout they sit at the top of the repository (``migrations/``,
``corpora/``); a wheel carries them inside the package (``app/migrations``,
``app/corpora``), as pyproject.toml maps them, so an installed Alinea needs no checkout.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The folder ``name`` shipped with the package, wherever this install keeps it."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


MIGRATIONS = bundled("migrations")
DEMO_CORPUS = bundled("corpora") / "dw-2025-02-17-mexico-border"
