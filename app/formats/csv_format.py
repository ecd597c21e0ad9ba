"""CSV export: a header row, then one row per pair with its scores and QA flags.

Rows are written by the csv module (``excel`` dialect, every field quoted when needed), so
commas, quotes, tabs and line breaks inside a text stay in their cell. Cells that a
spreadsheet would read as a formula are guarded (``app.formats.spreadsheet``), and ``bom``
writes a UTF-8 byte-order mark first, which Excel needs to read the file as UTF-8.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from app.formats.base import Exporter, ExportMeta, exportable, flags_of, register
from app.formats.spreadsheet import BOM, guarded_row
from app.formats.tsv import encodable, format_similarity, take
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


@register
class CsvExporter(Exporter):
    """Exports pairs as comma-separated values with a header row."""

    name = "csv"
    title = "CSV (with scores and flags)"
    extension = ".csv"
    media_type = "text/csv"
    supports_one_sided = True
    options = frozenset({"one_sided", "bom", "formula_guard"})

    def __init__(
        self, one_sided: bool = False, bom: bool = False, formula_guard: bool = True
    ) -> None:
        """Keep one-sided pairs as rows with an empty cell when ``one_sided``; start with a
        byte-order mark when ``bom``; guard formulas unless ``formula_guard`` is False."""
        self.one_sided = one_sided
        self.bom = bom
        self.formula_guard = formula_guard

    def iter_chunks(self, pairs: Iterable[PairRecord], meta: ExportMeta) -> Iterator[str]:
        """Yield the header row, then one row per pair; ``meta`` is not written."""
        self.written = 0
        buffer = io.StringIO()
        writer = csv.writer(buffer, dialect="excel")
        writer.writerow(HEADER)
        yield (BOM if self.bom else "") + take(buffer)
        for pair in exportable(pairs, self.one_sided):
            writer.writerow(guarded_row(pair_row(pair), self.formula_guard))
            self.written += 1
            yield take(buffer)
