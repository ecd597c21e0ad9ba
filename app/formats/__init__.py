"""Bilingual file formats: exporters behind ``Exporter``, importers behind ``Reader``.

One module per format; importing this package registers every exporter in ``EXPORTERS``
and every reader in ``READERS``. Moses output (two files) lives in ``app.formats.moses``.
"""

from app.formats import moses
from app.formats.base import (
    EXPORT_FORMATS,
    EXPORTERS,
    DetailedPair,
    Exporter,
    ExportFormat,
    ExportMeta,
    check_format_name,
    flags_of,
    get_exporter,
    scores_of,
)
from app.formats.csv_format import CsvExporter
from app.formats.jsonl import JsonlExporter
from app.formats.reader import (
    READERS,
    BilingualDocument,
    BilingualUnit,
    Reader,
    reader_for,
)
from app.formats.tmx import TmxExporter
from app.formats.tmx_reader import TmxReader
from app.formats.tsv import TsvExporter
from app.formats.xliff import XliffExporter
from app.formats.xliff12 import Xliff12Exporter
from app.formats.xliff_reader import XliffReader

__all__ = [
    "EXPORTERS",
    "EXPORT_FORMATS",
    "READERS",
    "BilingualDocument",
    "BilingualUnit",
    "CsvExporter",
    "DetailedPair",
    "ExportMeta",
    "ExportFormat",
    "Exporter",
    "JsonlExporter",
    "Reader",
    "TmxExporter",
    "TmxReader",
    "TsvExporter",
    "Xliff12Exporter",
    "XliffExporter",
    "XliffReader",
    "check_format_name",
    "flags_of",
    "get_exporter",
    "moses",
    "reader_for",
    "scores_of",
]
