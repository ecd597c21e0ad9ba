"""CSV export: a header row, then one row per pair with its scores and QA flags.

Rows are written by the csv module (``excel`` dialect, every field quoted when needed), so
commas, quotes, tabs and line breaks inside a text stay in their cell. Cells that a
spreadsheet would read as a formula are guarded (``app.formats.spreadsheet``), and ``bom``
writes a UTF-8 byte-order mark first, which Excel needs to read the file as UTF-8.
"""

from __future__ import annotations

from app.formats.base import encodable, flags_of
from app.formats.registry import FileFormat, register_format
from app.formats.spreadsheet import RowsExporter, format_similarity
from app.segments import PairRecord

HEADER = ("position", "source", "target", "similarity", "status", "flags", "note")


def format_flags(pair: PairRecord) -> str:
    """Return the QA flags of ``pair`` as ``check: message`` lines, or an empty string."""
    return "\n".join(
        f"{flag.get('check', '')}: {flag.get('message', '')}" for flag in flags_of(pair)
    )


def pair_row(pair: PairRecord) -> tuple[str, ...]:
    """Return the columns of ``pair`` in ``HEADER`` order."""
    return (
        str(pair.position),
        encodable(pair.source),
        encodable(pair.target),
        format_similarity(pair.similarity),
        str(pair.status),
        encodable(format_flags(pair)),
        encodable(pair.note or ""),
    )


class CsvExporter(RowsExporter):
    """Exports pairs as comma-separated values with a header row."""

    dialect = "excel"
    header = HEADER

    row = staticmethod(pair_row)


register_format(
    FileFormat(
        name="csv",
        title="CSV (with scores and flags)",
        extensions=(".csv",),
        media_type="text/csv",
        exporter=CsvExporter,
    )
)
