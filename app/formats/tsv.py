"""TSV export: a header row, then one row per pair (source, target, similarity, status, note).

Rows are written with the csv module's ``excel-tab`` dialect: a field holding a tab, a
double quote or a line break is put between double quotes, and a double quote inside it
is doubled (``"a ""b""\tc"``), so such a text stays in its cell rather than breaking the
columns; other fields are written as they are. Cells that a spreadsheet would read as a
formula are guarded (``app.formats.spreadsheet``), and ``bom`` writes a UTF-8 byte-order
mark first.
"""

from __future__ import annotations

from app.formats.base import encodable
from app.formats.registry import FileFormat, register_format
from app.formats.spreadsheet import RowsExporter, format_similarity
from app.segments import PairRecord

HEADER = ("source", "target", "similarity", "status", "note")


def pair_fields(pair: PairRecord) -> tuple[str, str, str, str, str]:
    """Return the columns of ``pair``, in ``HEADER`` order."""
    return (
        encodable(pair.source),
        encodable(pair.target),
        format_similarity(pair.similarity),
        str(pair.status),
        encodable(pair.note or ""),
    )


class TsvExporter(RowsExporter):
    """Exports pairs as tab-separated values, e.g. for a spreadsheet or a TM import."""

    dialect = "excel-tab"
    header = HEADER

    row = staticmethod(pair_fields)


register_format(
    FileFormat(
        name="tsv",
        title="TSV (tab-separated, for spreadsheets)",
        extensions=(".tsv",),
        media_type="text/tab-separated-values",
        exporter=TsvExporter,
    )
)
