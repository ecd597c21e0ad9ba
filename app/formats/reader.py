"""Reading bilingual files (translation memories, XLIFF) into plain units.

Each format's module has its ``Reader`` subclass beside its exporter, and its registry entry
(``app.formats.registry``) names both, with the extensions the import side recognises.
Readers are pure: they return a ``BilingualDocument`` and
never touch the database, so a file that fails to read leaves nothing behind.
"""

from __future__ import annotations

import math
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from xml.etree.ElementTree import Element

from app.formats.registry import READERS, read_extensions
from app.formats.safexml import parse_xml
from app.ingest.errors import IngestError, shown
from app.ingest.language import validate_language
from app.segments import BeadStatus

MAX_BILINGUAL_BYTES = 200 * 1024 * 1024
"""Default cap on the size of a bilingual file, in bytes."""


@dataclass(frozen=True)
class BilingualUnit:
    """One pair read from a bilingual file; either side may be empty.

    ``unit_id`` is the unit's id in the file; ``scores`` and ``flags`` are Alinea's own
    per-scorer similarities and QA flags, read back from one of its exports.
    """

    source: str
    target: str
    status: BeadStatus = BeadStatus.CONFIRMED
    similarity: float | None = None
    note: str | None = None
    unit_id: str | None = None
    scores: Mapping[str, float] = field(default_factory=dict)
    flags: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class BilingualDocument:
    """What a bilingual file holds: its two languages and its units in file order.

    ``source_name`` and ``target_name`` are the titles of the two documents when the file
    gives them; ``level`` is the segmentation the file declares ("sentence", "paragraph"),
    if any.
    """

    name: str
    format: str
    source_lang: str
    target_lang: str
    units: list[BilingualUnit]
    source_name: str | None = None
    target_name: str | None = None
    level: str | None = None


class Reader(ABC):
    """Reads one bilingual XML format from bytes, safely and within a size cap.

    ``name`` is what the documents it reads are called (``BilingualDocument.format``); the
    extensions it is chosen by are those of the registry entries that name it.
    """

    name: ClassVar[str]
    roots: ClassVar[tuple[str, ...]]
    """Local names of the format's root element, to recognise it whatever the extension."""

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


def parse_flag(text: str | None) -> dict[str, str] | None:
    """Return the QA flag written as ``check: message``, or None when ``text`` is not one."""
    check, separator, message = (text or "").partition(": ")
    if not separator or not check.strip():
        return None
    return {"check": check, "message": message}


def parse_score(value: str | None) -> float | None:
    """Return a per-scorer score written as ``value`` (any finite number), or None."""
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def reader_for(filename: str) -> Reader | None:
    """Return a reader for the file called ``filename`` judged by its extension, or None."""
    reader_class = read_extensions().get(Path(filename).suffix.lower())
    return reader_class() if reader_class is not None else None


# The root element's name, after the XML declaration, comments, processing instructions and
# a doctype: enough to recognise a TMX or XLIFF file whatever its extension.
_PROLOGUE = re.compile(rb"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL)
_ROOT = re.compile(rb"<(?:[\w.-]+:)?([\w.-]+)")
SNIFF_BYTES = 4096


def root_element(head: bytes) -> str | None:
    """Return the local name of the root element of the XML that ``head`` begins, or None.

    ``head`` is the start of a file (``SNIFF_BYTES`` suffice); a UTF-8 BOM is allowed.
    UTF-16 files are decoded first.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    prologue = _PROLOGUE.match(head)
    root = _ROOT.match(head, prologue.end() if prologue else 0)
    return root.group(1).decode("ascii", errors="replace") if root else None


def sniff_reader(head: bytes) -> Reader | None:
    """Return the reader whose format has the root element ``head`` begins, or None."""
    name = root_element(head)
    for reader_class in READERS.values():
        if name in reader_class.roots:
            return reader_class()
    return None


def reader_for_path(path: str | os.PathLike[str]) -> Reader | None:
    """Return a reader for the file at ``path``: by its root element, else by its extension.

    The content wins over the name (an XLIFF file saved as ``.tmx`` is read as XLIFF); a
    file named like a bilingual file that does not start like one still gets that format's
    reader, whose error then says what is wrong with it.
    """
    try:
        with open(path, "rb") as handle:
            sniffed = sniff_reader(handle.read(SNIFF_BYTES))
    except OSError:
        sniffed = None
    return sniffed or reader_for(Path(path).name)
