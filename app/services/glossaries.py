"""Glossaries saved under a name in the instance folder, for ``alinea qa --glossary``."""

from __future__ import annotations

from pathlib import Path

from app.errors import InvalidRequest, NotFound
from app.ingest import decode_text
from app.qa import Glossary, read_glossary
from app.services.files import write_atomically


def find(instance_path: Path, reference: str) -> Path:
    """Return the glossary file ``reference`` names: a path, or a saved glossary's name."""
    path = Path(reference)
    if path.exists():
        return path
    saved = _folder(instance_path) / f"{reference}.csv"
    if not saved.exists():
        raise NotFound(f"{reference}: no such glossary file or saved glossary")
    return saved


def save(instance_path: Path, file: Path, name: str) -> Glossary:
    """Check the glossary CSV ``file`` and save a copy of it under ``name``; returns it."""
    if not name.replace("-", "").replace("_", "").isalnum():
        raise InvalidRequest(f"'{name}': a glossary name has only letters, digits, - and _")
    glossary = read_glossary(file)
    folder = _folder(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    text = decode_text(file.read_bytes(), file.name)
    write_atomically(folder / f"{name}.csv", lambda handle: handle.write(text))
    return glossary


def _folder(instance_path: Path) -> Path:
    return instance_path / "glossaries"
