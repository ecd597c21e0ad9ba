"""Cells that a spreadsheet will not run: the guard against formula injection in CSV and TSV.

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
