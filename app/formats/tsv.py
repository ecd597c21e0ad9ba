"""TSV export: a header row, then one row per pair (source, target, similarity, status, note).

Rows are written with the csv module's ``excel-tab`` dialect: a field holding a tab, a
double quote or a line break is put between double quotes, and a double quote inside it
is doubled (``"a ""b""\tc"``), so such a text stays in its cell rather than breaking the
columns; other fields are written as they are. Cells that a spreadsheet would read as a
formula are guarded (``app.formats.spreadsheet``), and ``bom`` writes a UTF-8 byte-order
mark first.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

from app.formats.base import Exporter, ExportMeta, exportable, register
from app.formats.spreadsheet import BOM, guarded_row
from app.segments import PairRecord

HEADER = ("source", "target", "similarity", "status", "note")

# Lone surrogates cannot be encoded in UTF-8 at all; left in, they would abort the export
# when the text reaches the file or the network, halfway through the stream.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """Return ``text`` without lone surrogates, so that it always encodes as UTF-8."""
    return _LONE_SURROGATE.sub("", text)


def format_similarity(similarity: float | None) -> str:
    """Return the similarity with three decimals, or an empty string when there is none."""
    return "" if similarity is None else f"{similarity:.3f}"


def pair_fields(pair: PairRecord) -> tuple[str, str, str, str, str]:
    """Return the columns of ``pair``, in ``HEADER`` order."""
    return (
        encodable(pair.source),
        encodable(pair.target),
        format_similarity(pair.similarity),
        str(pair.status),
        encodable(pair.note or ""),
    )


def take(buffer: io.StringIO) -> str:
    """Return what ``buffer`` holds and empty it, so it never grows past one row."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


@register
class TsvExporter(Exporter):
    """Exports pairs as tab-separated values, e.g. for a spreadsheet or a TM import."""

    name = "tsv"
    title = "TSV (tab-separated, for spreadsheets)"
    extension = ".tsv"
    media_type = "text/tab-separated-values"
    supports_one_sided = True
    options = frozenset({"one_sided", "bom", "formula_guard"})

    def __init__(
        self, one_sided: bool = False, bom: bool = False, formula_guard: bool = True
    ) -> None:
        """Keep one-sided pairs as rows with an empty cell when ``one_sided``; start the
        file with a byte-order mark when ``bom``; guard formulas unless told not."""
        self.one_sided = one_sided
        self.bom = bom
        self.formula_guard = formula_guard

    def iter_chunks(self, pairs: Iterable[PairRecord], meta: ExportMeta) -> Iterator[str]:
        """Yield the header row, then one row per pair (two-sided ones unless ``one_sided``);
        ``meta`` is not written."""
        self.written = 0
        # csv writes to a file object; a one-row buffer emptied after each row turns it into
        # a stream of chunks.
        buffer = io.StringIO()
        writer = csv.writer(buffer, dialect="excel-tab")
        writer.writerow(HEADER)
        yield (BOM if self.bom else "") + take(buffer)
        for pair in exportable(pairs, self.one_sided):
            writer.writerow(guarded_row(pair_fields(pair), self.formula_guard))
            self.written += 1
            yield take(buffer)
