"""Export formats for aligned pairs: one module per format behind a common ``Exporter`` base.

Importing this package registers every format in ``EXPORTERS``.
"""

from app.formats.base import EXPORTERS, Exporter, ExportMeta, get_exporter
from app.formats.tmx import TmxExporter
from app.formats.tsv import TsvExporter

__all__ = ["EXPORTERS", "ExportMeta", "Exporter", "TmxExporter", "TsvExporter", "get_exporter"]
