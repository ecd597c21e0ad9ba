"""Turning the blocks a structured format yields (headings, paragraphs) into segments."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from app.ingest.errors import IngestError
from app.ingest.text import check_size
from app.segments import Segment, SegmentKind

_SPACE = re.compile(r"\s+")


def clean_block(text: str) -> str:
    """Return ``text`` in Unicode NFC with every run of whitespace made one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def segments_from_blocks(blocks: Iterable[tuple[SegmentKind, str]]) -> list[Segment]:
    """Return one segment per block that has text, in order."""
    segments = []
    for kind, text in blocks:
        cleaned = clean_block(text)
        if cleaned:
            segments.append(Segment(cleaned, kind))
    return segments


def text_of_segments(segments: list[Segment]) -> str:
    """Return the plain text of ``segments``: one per paragraph, separated by blank lines."""
    return "\n\n".join(segment.text for segment in segments)


def read_capped(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """Return the bytes of the regular file at ``path``; raise IngestError past ``max_bytes``."""
    file = Path(path)
    if not file.is_file():
        raise IngestError(f"{file.name}: no such file")
    check_size(file.stat().st_size, file.name, max_bytes)
    try:
        with file.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise IngestError(f"{file.name}: cannot read the file ({error.strerror})") from None
    check_size(len(data), file.name, max_bytes)
    if not data:
        raise IngestError(f"{file.name}: the file is empty")
    return data
