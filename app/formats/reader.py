"""Reading bilingual files (translation memories, XLIFF) into plain units.

Each format is a ``Reader`` subclass in its own module, registered in ``READERS`` the way
exporters are in ``EXPORTERS``. Readers are pure: they return a ``BilingualDocument`` and
never touch the database, so a file that fails to read leaves nothing behind.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar
from xml.etree.ElementTree import Element

from app.formats.safexml import parse_xml
from app.ingest.errors import IngestError, shown
from app.ingest.language import validate_language
from app.segments import BeadStatus

MAX_BILINGUAL_BYTES = 200 * 1024 * 1024
"""Default cap on the size of a bilingual file, in bytes."""


@dataclass(frozen=True)
class BilingualUnit:
    """One pair read from a bilingual file; either side may be empty."""

    source: str
    target: str
    status: BeadStatus = BeadStatus.CONFIRMED
    similarity: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class BilingualDocument:
    """What a bilingual file holds: its two languages and its units in file order."""

    name: str
    format: str
    source_lang: str
    target_lang: str
    units: list[BilingualUnit]


class Reader(ABC):
    """Reads one bilingual XML format from bytes, safely and within a size cap."""

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]

    def __init__(self, max_bytes: int = MAX_BILINGUAL_BYTES) -> None:
        self.max_bytes = max_bytes

    def read_path(self, path: str | os.PathLike[str]) -> BilingualDocument:
        """Return the document in the file at ``path``; raises IngestError."""
        file = Path(path)
        if not file.is_file():
            raise IngestError(f"{file.name}: no such file")
        if file.stat().st_size > self.max_bytes:
            raise _too_large(file.name, self.max_bytes)
        with file.open("rb") as handle:
            data = handle.read(self.max_bytes + 1)
        return self.read_bytes(data, file.name)

    def read_bytes(self, data: bytes, name: str) -> BilingualDocument:
        """Return the document held in ``data`` (a file called ``name``); raises IngestError."""
        if len(data) > self.max_bytes:
            raise _too_large(name, self.max_bytes)
        if not data.strip():
            raise IngestError(f"{name}: the file is empty")
        document = self.parse(parse_xml(data, name), name)
        if not any(unit.source.strip() or unit.target.strip() for unit in document.units):
            raise IngestError(f"{name}: the file contains no translation units")
        return document

    @abstractmethod
    def parse(self, root: Element, name: str) -> BilingualDocument:
        """Return the document whose parsed root element is ``root``; raises IngestError."""


def _too_large(name: str, max_bytes: int) -> IngestError:
    return IngestError(f"{name}: the file is larger than {max_bytes // (1024 * 1024)} MB")


def language_code(tag: str | None, name: str, what: str) -> str:
    """Return the ISO 639-1 code of a language tag such as ``en-GB``; raise IngestError."""
    if not tag or not tag.strip():
        raise IngestError(f"{name}: the file does not say its {what} language")
    primary = tag.strip().replace("_", "-").split("-", 1)[0]
    try:
        return validate_language(primary)
    except IngestError:
        raise IngestError(f"{name}: unknown {what} language '{shown(tag)}'") from None


def parse_status(value: str | None) -> BeadStatus | None:
    """Return the Alinea status written as ``value``, or None if it is not one."""
    try:
        return BeadStatus(value.strip()) if value else None
    except ValueError:
        return None


def parse_similarity(value: str | None) -> float | None:
    """Return a similarity written as ``value`` when it is a number in [0, 1], else None."""
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0.0 <= number <= 1.0 else None


READERS: dict[str, type[Reader]] = {}
"""Reader classes by ``name``; filled by the reader modules as ``app.formats`` loads."""

ReaderType = TypeVar("ReaderType", bound=type[Reader])


def register_reader(reader_class: ReaderType) -> ReaderType:
    """Add ``reader_class`` to ``READERS`` under its name; returns the class unchanged."""
    READERS[reader_class.name] = reader_class
    return reader_class


def reader_for(filename: str) -> Reader | None:
    """Return a reader for the file called ``filename`` judged by its extension, or None."""
    suffix = Path(filename).suffix.lower()
    for reader_class in READERS.values():
        if suffix in reader_class.extensions:
            return reader_class()
    return None
