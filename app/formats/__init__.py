"""Bilingual file formats, one module per format, each with its writer and, where Alinea
reads the format too, its reader.

Importing this package loads every format module, and each registers its ``FileFormat``
(name, extensions, media type, writer, reader) in ``app.formats.registry``: ``FORMATS``
holds them all, ``EXPORT_FORMATS`` those written, ``EXPORTERS`` the one-stream writers
and ``READERS`` the readers. Moses is written as two files (``app.formats.moses``).
"""

from app.formats import csv_format, jsonl, moses, tmx, tsv, xliff, xliff12
from app.formats.base import DetailedPair, Exporter, ExportMeta, flags_of, scores_of
from app.formats.csv_format import CsvExporter
from app.formats.jsonl import JsonlExporter
from app.formats.reader import BilingualDocument, BilingualUnit, Reader, reader_for
from app.formats.registry import (
    EXPORT_FORMATS,
    EXPORTERS,
    FORMATS,
    READERS,
    FileFormat,
    check_format_name,
    get_exporter,
)
from app.formats.tmx import TmxExporter, TmxReader
from app.formats.tsv import TsvExporter
from app.formats.xliff import XliffExporter
from app.formats.xliff12 import Xliff12Exporter
from app.formats.xliff_common import XliffReader

__all__ = [
    "EXPORTERS",
    "EXPORT_FORMATS",
    "FORMATS",
    "READERS",
    "BilingualDocument",
    "BilingualUnit",
    "CsvExporter",
    "DetailedPair",
    "ExportMeta",
    "Exporter",
    "FileFormat",
    "JsonlExporter",
    "Reader",
    "TmxExporter",
    "TmxReader",
    "TsvExporter",
    "Xliff12Exporter",
    "XliffExporter",
    "XliffReader",
    "check_format_name",
    "csv_format",
    "flags_of",
    "get_exporter",
    "jsonl",
    "moses",
    "reader_for",
    "scores_of",
    "tmx",
    "tsv",
    "xliff",
    "xliff12",
]
