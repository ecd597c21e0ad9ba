"""The registry of file formats: each format says what it is and how to read and write it.

Every format module declares one ``FileFormat`` (translate-toolkit keeps one storage class
per format the same way): its name, the file extensions it uses, its MIME type, and the
classes that write and read it. ``register_format`` adds it here, and everything else asks
the registry: the CLI's ``--format`` choices and the export form (``EXPORT_FORMATS``), the
web download's Content-Type and file name, the import side's extensions (``reader_for``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.formats.base import Exporter
    from app.formats.reader import Reader


@dataclass(frozen=True)
class FileFormat:
    """One file format, as users and the import side see it, with its writer and reader.

    ``extensions`` are those of the format's files, the one written first: the import
    side recognises all of them when the format has a ``reader``. A format written as one
    text stream has an ``exporter``; one written as several files (``files`` > 1) has
    ``write_files``, and ``write_zip`` for the one file a browser downloads.
    """

    name: str
    # What the format is called in forms and help texts.
    title: str
    extensions: tuple[str, ...]
    media_type: str
    exporter: type[Exporter] | None = None
    reader: type[Reader] | None = None
    files: int = 1
    write_files: Callable[..., Any] | None = None
    write_zip: Callable[..., int] | None = None

    @property
    def download(self) -> str:
        """The extension of the one file a download receives (a zip for several files)."""
        return ".zip" if self.files > 1 else self.extensions[0]

    @property
    def content_type(self) -> str:
        """The Content-Type of a download: text formats say they are UTF-8."""
        return self.media_type if self.files > 1 else f"{self.media_type}; charset=utf-8"

    def new_exporter(self, **options: Any) -> Exporter:
        """A new exporter of this format, with those of ``options`` it takes: options the
        format does not take (``bom`` for TMX, say) are left out, so one set of choices
        serves every format."""
        taken = {key: value for key, value in options.items() if key in self.exporter.options}
        return self.exporter(**taken)

    @property
    def supports_one_sided(self) -> bool:
        """True when the format can hold a pair with one side empty (on request)."""
        return self.exporter is not None and self.exporter.supports_one_sided


FORMATS: dict[str, FileFormat] = {}
"""Every format by name, as the format modules register them when ``app.formats`` loads."""

EXPORT_FORMATS: dict[str, FileFormat] = {}
"""The formats Alinea writes, by name; the CLI's ``--format`` choices and the export
form's options come from it."""

EXPORTERS: dict[str, type[Exporter]] = {}
"""Exporter classes (one text stream) by format name."""

READERS: dict[str, type[Reader]] = {}
"""Reader classes by the name they give what they read (one for both XLIFF versions)."""


def register_format(entry: FileFormat) -> FileFormat:
    """Add ``entry`` to the registry; returns it.

    Its exporter class is told its format (``name``, ``title``, ``extension`` and
    ``media_type`` come from the entry), and its reader is listed in ``READERS``.
    """
    FORMATS[entry.name] = entry
    if entry.exporter is not None or entry.write_zip is not None:
        EXPORT_FORMATS[entry.name] = entry
    if entry.exporter is not None:
        entry.exporter.describe(entry)
        EXPORTERS[entry.name] = entry.exporter
    if entry.reader is not None:
        READERS[entry.reader.name] = entry.reader
    return entry


def _unknown(name: str, known: Iterable[str]) -> ValueError:
    choices = ", ".join(sorted(known))
    return ValueError(f"unknown export format '{name}'; choose one of: {choices}")


def check_format_name(name: str) -> FileFormat:
    """The registry entry of ``name``; ValueError naming the known formats if none."""
    try:
        return EXPORT_FORMATS[name]
    except KeyError:
        raise _unknown(name, EXPORT_FORMATS) from None


def get_exporter(name: str, **options: Any) -> Exporter:
    """Return a new exporter for the format called ``name`` (see ``FileFormat.new_exporter``);
    raises ``ValueError`` naming the known formats when ``name`` is not one of them."""
    if name not in EXPORTERS:
        raise _unknown(name, EXPORTERS)
    return FORMATS[name].new_exporter(**options)


def read_extensions() -> dict[str, type[Reader]]:
    """The reader of each file extension the import side recognises (lower case, dotted)."""
    return {
        extension: entry.reader
        for entry in FORMATS.values()
        if entry.reader is not None
        for extension in entry.extensions
    }
