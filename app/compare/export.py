"""A comparison's rows as files: multilingual TMX, CSV and TSV with a column per version,
and JSON Lines.

Each writer takes the columns and the rows' texts (one text per column, "" for an empty
cell) and yields the file in pieces, so a long document streams. One registry names the
formats for the command line, the web form and the docs.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from app.formats.tmx import escape_attribute, escape_text, tmx_date


@dataclass(frozen=True)
class ExportColumn:
    index: int
    label: str
    language: str
    kind: str


@dataclass(frozen=True)
class ExportRow:
    number: int
    texts: tuple[str, ...]
    similarities: tuple[float | None, ...]


@dataclass(frozen=True)
class ExportInfo:
    comparison_id: int
    title: str
    level: str
    created_at: datetime
    tool_version: str


Writer = Callable[[Sequence[ExportColumn], Iterable[ExportRow], ExportInfo], Iterator[str]]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    extension: str
    media_type: str
    description: str
    write: Writer


FORMATS: dict[str, ExportFormat] = {}


def register(name: str, extension: str, media_type: str, description: str):
    def add(write: Writer) -> Writer:
        FORMATS[name] = ExportFormat(name, extension, media_type, description, write)
        return write

    return add


# Lone surrogates cannot be encoded in UTF-8; a spreadsheet runs a cell starting with one
# of these as a formula, so such cells get a leading apostrophe (shown by no spreadsheet).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    text = _LONE_SURROGATE.sub("", text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _column_id(column: ExportColumn) -> str:
    return "original" if column.index == 0 else f"version {column.index}"


@register("tmx", ".tmx", "application/x-tmx+xml", "TMX 1.4b, one <tuv> per column")
def write_tmx(
    columns: Sequence[ExportColumn], rows: Iterable[ExportRow], info: ExportInfo
) -> Iterator[str]:
    """One ``<tu>`` per row with one ``<tuv>`` per non-empty cell, each in its own language;
    a ``<prop type="x-alinea-column">`` names the column, so that two versions in one
    language stay apart."""
    segtype = "sentence" if info.level == "sentence" else "paragraph"
    header = {
        "creationtool": "Alinea",
        "creationtoolversion": info.tool_version,
        "segtype": segtype,
        "o-tmf": "Alinea",
        "adminlang": "en",
        "srclang": columns[0].language,
        "datatype": "plaintext",
        "creationdate": tmx_date(info.created_at),
    }
    attributes = " ".join(f'{k}="{escape_attribute(v)}"' for k, v in header.items())
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
        f'<tmx version="1.4">\n  <header {attributes}>\n'
        f'    <prop type="x-alinea-comparison">{info.comparison_id}</prop>\n'
        f'    <prop type="x-alinea-title">{escape_text(info.title)}</prop>\n'
    )
    for column in columns:
        yield (
            f'    <prop type="x-alinea-column-{column.index}">'
            f"{escape_text(f'{column.language}: {column.label}')}</prop>\n"
        )
    yield "  </header>\n  <body>\n"
    for row in rows:
        tuvs = []
        for column, text in zip(columns, row.texts, strict=True):
            if not text.strip():
                continue
            tuvs.append(
                f'      <tuv xml:lang="{escape_attribute(column.language)}">\n'
                f'        <prop type="x-alinea-column">{escape_text(_column_id(column))}</prop>\n'
                f'        <prop type="x-alinea-label">{escape_text(column.label)}</prop>\n'
                f"        <seg>{escape_text(text)}</seg>\n      </tuv>\n"
            )
        if tuvs:
            yield f'    <tu tuid="{row.number + 1}">\n' + "".join(tuvs) + "    </tu>\n"
    yield "  </body>\n</tmx>\n"


def _header(columns: Sequence[ExportColumn]) -> list[str]:
    names = ["row"]
    for column in columns:
        names.append(f"{_column_id(column)} ({column.language}): {column.label}")
    names += [f"similarity {column.index}" for column in columns[1:]]
    return names


def _fields(row: ExportRow) -> list[str]:
    similarities = ["" if s is None else f"{s:.3f}" for s in row.similarities]
    return [str(row.number + 1), *(_cell(t) for t in row.texts), *similarities]


def _delimited(dialect: str):
    def write(
        columns: Sequence[ExportColumn], rows: Iterable[ExportRow], info: ExportInfo
    ) -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, dialect=dialect)
        writer.writerow([_cell(name) for name in _header(columns)])
        yield _take(buffer)
        for row in rows:
            writer.writerow(_fields(row))
            yield _take(buffer)

    return write


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


register("csv", ".csv", "text/csv", "CSV, one column per version")(_delimited("excel"))
register("tsv", ".tsv", "text/tab-separated-values", "TSV, one column per version")(
    _delimited("excel-tab")
)


@register("jsonl", ".jsonl", "application/jsonl", "JSON Lines, one object per row")
def write_jsonl(
    columns: Sequence[ExportColumn], rows: Iterable[ExportRow], info: ExportInfo
) -> Iterator[str]:
    """A first line describing the comparison and its columns, then one object per row."""
    yield (
        json.dumps(
            {
                "comparison": info.comparison_id,
                "title": info.title,
                "level": info.level,
                "columns": [
                    {"column": c.index, "label": c.label, "language": c.language, "kind": c.kind}
                    for c in columns
                ],
            },
            ensure_ascii=False,
        )
        + "\n"
    )
    for row in rows:
        record = {
            "row": row.number + 1,
            "texts": [_LONE_SURROGATE.sub("", t) for t in row.texts],
            "similarity": list(row.similarities[1:]),
        }
        yield json.dumps(record, ensure_ascii=False) + "\n"
