"""Preparing a pair for alignment: each side read within the import limits, and two
identical texts refused.

``alinea align``, the "New alignment" form and the background job all go through here, so
a side is read the same way everywhere and the rule against aligning a text with itself,
with its one message, lives in one place.

A side is given as a stored document's id, a file, a file of one sentence per line, or
an uploaded file's bytes (kept with the job until a worker reads them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session, sessionmaker

from app import services
from app.config import Settings
from app.errors import InvalidRequest, NotFound
from app.ingest import IngestError, LoadedDocument
from app.ingest.text import format_size
from app.services import importing


@dataclass(frozen=True)
class Side:
    """One side of a pair, as it was given.

    ``label`` is what messages call the side (default: the document's title);
    ``language_hint`` says where its language can be given when detection cannot tell it.
    """

    label: str | None = None
    lang: str | None = None
    document: int | None = None
    path: Path | None = None
    # A file of one sentence per line: its lines are the segments, aligned as they are.
    lines: bool = False
    # An uploaded file: its name and bytes.
    name: str = ""
    data: bytes | None = None
    # The user could have typed a document id instead of a path: a missing file says so.
    id_allowed: bool = False
    language_hint: str | None = None

    @classmethod
    def typed(cls, reference: str, lang: str | None, language_hint: str | None) -> Side:
        """A document id (digits that name no file) or a file path, as the user typed it."""
        if reference.isdigit() and not Path(reference).exists():
            return cls(reference, lang, document=int(reference), language_hint=language_hint)
        path = Path(reference)
        return cls(reference, lang, path=path, id_allowed=True, language_hint=language_hint)

    @property
    def stored(self) -> bool:
        return self.document is not None


def same_text(both: str) -> InvalidRequest:
    """The refusal of a pair whose two sides (``both``, e.g. "a.txt and b.txt") are one text."""
    return InvalidRequest(f"{both} hold the same text; give an original and its translation")


def refuse_same_input(source: Side, target: Side) -> None:
    """Refuse the same stored document, or the same uploaded bytes, on both sides (before
    either is read)."""
    if source.stored and source.document == target.document:
        raise same_text("the two documents")
    if source.data is not None and source.data == target.data:
        raise same_text("the two files")


def prepare_pair(
    sessions: sessionmaker[Session],
    settings: Settings,
    source: Side,
    target: Side,
    side_read: Callable[[int], None] | None = None,
) -> tuple[LoadedDocument, LoadedDocument]:
    """Read the source, then the target; refuse them if they hold the same text.

    ``side_read`` is told 1, then 2, as each side has been read.
    """
    loaded = []
    for side in (source, target):
        loaded.append(read_side(sessions, settings, side))
        if side_read is not None:
            side_read(len(loaded))
    src, tgt = loaded
    if src.checksum == tgt.checksum:
        raise same_text(f"{source.label or src.title} and {target.label or tgt.title}")
    return src, tgt


def read_side(sessions: sessionmaker[Session], settings: Settings, side: Side) -> LoadedDocument:
    """One side as a document: read from the store, or imported within the settings' limits."""
    with importing.language_hint(side.language_hint):
        if side.stored:
            with sessions() as session:
                return services.loaded_from_store(services.get_document(session, side.document))
        if side.data is not None:
            return importing.load_data(side.data, side.name, side.lang, settings)
        if side.lines:
            return importing.load_lines(side.path, side.lang, settings)
        if not side.path.exists():
            if side.id_allowed:
                raise NotFound(f"{side.label}: no such file, and not a document id")
            raise IngestError(f"{side.path}: no such file")
        return importing.load_file(side.path, side.lang, settings)


def read_upload(stream: BinaryIO, name: str, label: str, max_bytes: int) -> bytes:
    """The bytes of an uploaded file (``label`` says which: "the original"); refuses one
    larger than ``max_bytes`` or empty."""
    # One byte more than allowed is enough to know the file is too large.
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InvalidRequest(f"{label} ({name}) is larger than {format_size(max_bytes)}")
    if not data.strip():
        raise InvalidRequest(f"{label} ({name}) is empty")
    return data
