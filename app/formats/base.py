"""Common ground for export formats: export metadata and the streaming Exporter bases.

Each format lives in its own module (``tmx``, ``tsv``), with an ``Exporter`` subclass
that its registry entry (``app.formats.registry``) names. Exporters are pure: they turn
``PairRecord`` values into text and know nothing about Flask or the database.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from app.formats.xmltext import UnitIds
from app.segments import PairRecord

if TYPE_CHECKING:
    from app.formats.registry import FileFormat


@dataclass(frozen=True)
class DetailedPair(PairRecord):
    """A pair with everything an export can carry: the aligner's scores and the QA flags.

    Exporters accept plain ``PairRecord`` values too; ``scores_of`` and ``flags_of`` read
    either kind.
    """

    scores: Mapping[str, float] = field(default_factory=dict)
    flags: tuple[Mapping[str, Any], ...] = ()
    unit_id: str | None = None


def scores_of(pair: PairRecord) -> Mapping[str, float]:
    """Return the per-scorer similarities of ``pair``; empty for a plain PairRecord."""
    return pair.scores if isinstance(pair, DetailedPair) else {}


def flags_of(pair: PairRecord) -> tuple[Mapping[str, Any], ...]:
    """Return the QA flags ({"check", "message"}) of ``pair``; empty for a plain PairRecord."""
    return pair.flags if isinstance(pair, DetailedPair) else ()


def unit_id_of(pair: PairRecord) -> str | None:
    """Return the id ``pair`` had in the file it was imported from, or None."""
    return pair.unit_id if isinstance(pair, DetailedPair) else None


@dataclass(frozen=True)
class ExportMeta:
    """What an export file says about itself, besides its pairs.

    ``created_at`` is meant to be UTC; see ``as_utc`` for how other datetimes are read.
    ``level`` is the segmentation level of the pairs: "paragraph" or "sentence".
    """

    source_lang: str
    target_lang: str
    created_at: datetime
    tool_version: str
    source_name: str | None = None
    target_name: str | None = None
    alignment_id: int | None = None
    level: str = "paragraph"


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` as an aware UTC datetime; a naive one is taken to be UTC already."""
    # Databases without time-zone support hand back naive timestamps that were stored as
    # UTC, so reading naive values as local time would shift them.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


# Lone surrogates cannot be encoded in UTF-8 at all; left in, they would abort the export
# when the text reaches the file or the network, halfway through the stream.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """Return ``text`` without lone surrogates, so that it always encodes as UTF-8."""
    return _LONE_SURROGATE.sub("", text)


def has_text(text: str) -> bool:
    """Return True when ``text`` holds more than whitespace."""
    return bool(text.strip())


def is_two_sided(pair: PairRecord) -> bool:
    """Return True when both the source and the target side of ``pair`` have text."""
    return has_text(pair.source) and has_text(pair.target)


def two_sided(pairs: Iterable[PairRecord]) -> Iterator[PairRecord]:
    """Yield, lazily, only the pairs that have text on both sides."""
    # One-sided beads (omissions, insertions) have nothing to pair with: in a translation
    # memory they would only pollute lookups.
    return (pair for pair in pairs if is_two_sided(pair))


class Exporter(ABC):
    """Turns a stream of pairs into one file format, one text chunk at a time.

    Formats that can hold a unit with one side empty set ``supports_one_sided`` and take
    ``one_sided=True`` to keep one-sided pairs as half-empty units. ``options`` names the
    keyword arguments a format's constructor takes (``get_exporter`` passes only those).
    After an export, ``written`` is the number of pairs the file holds. What the format is
    called, its extension and its media type come from its registry entry (``describe``).
    """

    format: ClassVar[FileFormat]
    name: ClassVar[str]
    title: ClassVar[str]
    extension: ClassVar[str]
    media_type: ClassVar[str]
    supports_one_sided: ClassVar[bool] = False
    options: ClassVar[frozenset[str]] = frozenset()
    written: int = 0

    @classmethod
    def describe(cls, entry: FileFormat) -> None:
        """Take the name, title, extension and media type of the format ``entry``."""
        cls.format = entry
        cls.name, cls.title, cls.media_type = entry.name, entry.title, entry.media_type
        cls.extension = entry.extensions[0]

    @abstractmethod
    def iter_chunks(self, pairs: Iterable[PairRecord], meta: ExportMeta) -> Iterator[str]:
        """Yield the whole file as text chunks.

        ``pairs`` is consumed lazily, one pair per chunk at most, so memory stays constant
        for any number of pairs (a web response can stream the chunks as they come).
        One-sided pairs are skipped.
        """

    def write(self, pairs: Iterable[PairRecord], meta: ExportMeta, fileobj: TextIO) -> None:
        """Write the file to the text file object ``fileobj``; returns nothing.

        Open ``fileobj`` with ``encoding="utf-8"`` and ``newline=""`` so the text is
        written exactly as produced (line endings included).
        """
        for chunk in self.iter_chunks(pairs, meta):
            fileobj.write(chunk)


class DocumentExporter(Exporter):
    """A format written as a head, one unit per exportable pair under its id, and a tail.

    Each unit gets the id it had in the file it was imported from, or one made of
    ``id_prefix`` and its position, never one twice (``UnitIds``); ``valid_id`` says which
    imported ids the format can keep.
    """

    supports_one_sided = True
    options = frozenset({"one_sided"})
    one_sided = False
    tail: ClassVar[str]
    id_prefix: ClassVar[str] = ""
    valid_id: ClassVar[Callable[[str], bool]] = staticmethod(bool)

    def __init__(self, one_sided: bool = False) -> None:
        """Keep one-sided pairs as units with an empty side when ``one_sided``."""
        self.one_sided = one_sided

    def iter_chunks(self, pairs: Iterable[PairRecord], meta: ExportMeta) -> Iterator[str]:
        self.written = 0
        self.start(meta)
        yield self.format_head(meta)
        unit_ids = UnitIds(self.id_prefix, self.valid_id)
        for pair in exportable(pairs, self.one_sided):
            yield self.format_unit(pair, unit_ids.of(unit_id_of(pair), pair.position))
            self.written += 1
        yield self.format_tail()

    def format_tail(self) -> str:
        """Everything after the last unit (``written`` says how many there were)."""
        return self.tail

    def start(self, meta: ExportMeta) -> None:
        """Prepare for a new file; does nothing here."""

    @abstractmethod
    def format_head(self, meta: ExportMeta) -> str:
        """Everything before the first unit."""

    @abstractmethod
    def format_unit(self, pair: PairRecord, unit_id: str) -> str:
        """One pair as the unit ``unit_id``."""


def has_any_side(pair: PairRecord) -> bool:
    """Return True when at least one side of ``pair`` has text."""
    return has_text(pair.source) or has_text(pair.target)


def exportable(pairs: Iterable[PairRecord], one_sided: bool) -> Iterator[PairRecord]:
    """Yield, lazily, the two-sided pairs, and the one-sided ones too when ``one_sided``."""
    keep = has_any_side if one_sided else is_two_sided
    return (pair for pair in pairs if keep(pair))
