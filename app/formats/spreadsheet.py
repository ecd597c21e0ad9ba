"""What CSV and TSV share: the row-per-pair exporter, and cells a spreadsheet will not run.

A spreadsheet opening a CSV or TSV file treats a cell that starts with ``=``, ``+``, ``-``
or ``@`` as a formula, and a formula can fetch data from the web or run commands (OWASP,
"CSV Injection"). A segment is text from anywhere, so by default such a cell is written
with a leading apostrophe, which spreadsheets show as text and do not evaluate. Following
the same guidance, cells led by a tab or a carriage return (which some spreadsheets skip
before looking for a formula) and by the full-width forms of the four signs are guarded
too. The guard can be turned off (``--no-formula-guard``, ``ALINEA_CSV_FORMULA_GUARD=0``)
for files read by programs rather than spreadsheets.
"""

from __future__ import annotations

import csv
import io
from abc import abstractmethod
from collections.abc import Iterable, Iterator
from typing import ClassVar

from app.formats.base import Exporter, ExportMeta, exportable
from app.segments import PairRecord

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""First characters that make a spreadsheet read a cell as a formula."""

GUARD = "'"


def neutralise_formula(cell: str) -> str:
    """Return ``cell`` with an apostrophe in front when a spreadsheet would run it."""
    return GUARD + cell if cell.startswith(FORMULA_STARTS) else cell


def guarded_row(row: tuple[str, ...], guard: bool) -> tuple[str, ...]:
    """Return ``row`` with every cell neutralised when ``guard``, else unchanged."""
    return tuple(neutralise_formula(cell) for cell in row) if guard else row


BOM = "\ufeff"
"""The byte-order mark that tells Excel a CSV file is UTF-8."""


def format_similarity(similarity: float | None) -> str:
    """Return the similarity with three decimals, or an empty string when there is none."""
    return "" if similarity is None else f"{similarity:.3f}"


def take(buffer: io.StringIO) -> str:
    """Return what ``buffer`` holds and empty it, so it never grows past one row."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


class RowsExporter(Exporter):
    """A header row, then one row per pair, written by the csv module in ``dialect``."""

    supports_one_sided = True
    options = frozenset({"one_sided", "bom", "formula_guard"})
    dialect: ClassVar[str]
    header: ClassVar[tuple[str, ...]]

    def __init__(
        self, one_sided: bool = False, bom: bool = False, formula_guard: bool = True
    ) -> None:
        """Keep one-sided pairs as rows with an empty cell when ``one_sided``; start the
        file with a byte-order mark when ``bom``; guard formulas unless ``formula_guard``
        is False."""
        self.one_sided = one_sided
        self.bom = bom
        self.formula_guard = formula_guard

    @abstractmethod
    def row(self, pair: PairRecord) -> tuple[str, ...]:
        """The cells of ``pair``, in ``header`` order."""

    def iter_chunks(self, pairs: Iterable[PairRecord], meta: ExportMeta) -> Iterator[str]:
        """Yield the header row, then one row per pair (two-sided ones unless ``one_sided``);
        ``meta`` is not written."""
        self.written = 0
        # csv writes to a file object; a one-row buffer emptied after each row turns it into
        # a stream of chunks.
        buffer = io.StringIO()
        writer = csv.writer(buffer, dialect=self.dialect)
        writer.writerow(self.header)
        yield (BOM if self.bom else "") + take(buffer)
        for pair in exportable(pairs, self.one_sided):
            writer.writerow(guarded_row(self.row(pair), self.formula_guard))
            self.written += 1
            yield take(buffer)
