"""Common ground for export formats: export metadata, the streaming Exporter base, the registry.

Each format lives in its own module (``tmx``, ``tsv``) as an ``Exporter`` subclass that
registers itself here, the way translate-toolkit keeps one module per storage format.
Exporters are pure: they turn ``PairRecord`` values into text and know nothing about
Flask or the database.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, TextIO, TypeVar

from app.segments import PairRecord


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
    After an export, ``written`` is the number of pairs the file holds.
    """

    name: ClassVar[str]
    # What the format is called in forms and help texts.
    title: ClassVar[str]
    extension: ClassVar[str]
    media_type: ClassVar[str]
    supports_one_sided: ClassVar[bool] = False
    options: ClassVar[frozenset[str]] = frozenset()
    written: int = 0

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


EXPORTERS: dict[str, type[Exporter]] = {}
"""Exporter classes by ``name``; filled by the format modules as ``app.formats`` loads."""

ExporterType = TypeVar("ExporterType", bound=type[Exporter])


class DocumentExporter(Exporter):
    """A format written as a head, one chunk per exportable pair, and a tail."""

    supports_one_sided = True
    options = frozenset({"one_sided"})
    tail: ClassVar[str]

    def __init__(self, one_sided: bool = False) -> None:
        """Keep one-sided pairs as units with an empty side when ``one_sided``."""
        self.one_sided = one_sided

    def iter_chunks(self, pairs: Iterable[PairRecord], meta: ExportMeta) -> Iterator[str]:
        self.written = 0
        self.start(meta)
        yield self.format_head(meta)
        for pair in exportable(pairs, self.one_sided):
            yield self.format_unit(pair)
            self.written += 1
        yield self.format_tail()

    def format_tail(self) -> str:
        """Everything after the last unit (``written`` says how many there were)."""
        return self.tail

    def start(self, meta: ExportMeta) -> None:
        """Prepare for a new file (e.g. forget the unit ids of the last one); does nothing here."""

    @abstractmethod
    def format_head(self, meta: ExportMeta) -> str:
        """Everything before the first unit."""

    @abstractmethod
    def format_unit(self, pair: PairRecord) -> str:
        """One pair as a unit."""


@dataclass(frozen=True)
class ExportFormat:
    """One entry of the registry of export formats, as users are told about it.

    ``extensions`` are those of the files written; ``download`` is the extension of the
    one file a browser receives (a zip for a format written as several files).
    """

    name: str
    title: str
    extensions: tuple[str, ...]
    media_type: str
    download: str
    supports_one_sided: bool = False


EXPORT_FORMATS: dict[str, ExportFormat] = {}
"""Every export format by name, those of ``EXPORTERS`` and the ones written as several
files (Moses); the CLI's ``--format`` choices and the export form's options come from it."""


def add_format(entry: ExportFormat) -> ExportFormat:
    """Add ``entry`` to ``EXPORT_FORMATS``; returns it."""
    EXPORT_FORMATS[entry.name] = entry
    return entry


def check_format_name(name: str) -> ExportFormat:
    """The registry entry of ``name``; ValueError naming the known formats if none."""
    try:
        return EXPORT_FORMATS[name]
    except KeyError:
        choices = ", ".join(sorted(EXPORT_FORMATS))
        raise ValueError(f"unknown export format '{name}'; choose one of: {choices}") from None


def register(exporter_class: ExporterType) -> ExporterType:
    """Add ``exporter_class`` to ``EXPORTERS`` and ``EXPORT_FORMATS`` under its name;
    returns the class unchanged."""
    EXPORTERS[exporter_class.name] = exporter_class
    add_format(
        ExportFormat(
            name=exporter_class.name,
            title=exporter_class.title,
            extensions=(exporter_class.extension,),
            media_type=exporter_class.media_type,
            download=exporter_class.extension,
            supports_one_sided=exporter_class.supports_one_sided,
        )
    )
    return exporter_class


def get_exporter(name: str, **options: Any) -> Exporter:
    """Return a new exporter for the format called ``name``, with the ``options`` it takes.

    Options the format does not take (``bom`` for TMX, say) are left out, so one set of
    choices serves every format. Raises ``ValueError`` naming the known formats when
    ``name`` is not one of them.
    """
    try:
        exporter_class = EXPORTERS[name]
    except KeyError:
        choices = ", ".join(sorted(EXPORTERS))
        raise ValueError(f"unknown export format '{name}'; choose one of: {choices}") from None
    taken = {key: value for key, value in options.items() if key in exporter_class.options}
    return exporter_class(**taken)


def has_any_side(pair: PairRecord) -> bool:
    """Return True when at least one side of ``pair`` has text."""
    return has_text(pair.source) or has_text(pair.target)


def exportable(pairs: Iterable[PairRecord], one_sided: bool) -> Iterator[PairRecord]:
    """Yield, lazily, the two-sided pairs, and the one-sided ones too when ``one_sided``."""
    keep = has_any_side if one_sided else is_two_sided
    return (pair for pair in pairs if keep(pair))
