"""What both XLIFF versions share: the one reader that takes either, and reading inline text.

XLIFF 1.2 (``app.formats.xliff12``) and XLIFF 2.x (``app.formats.xliff``) each read and
write their own version; a file of either is read by ``XliffReader``, which checks the
root and hands the document to the reader of its version (``version_reader``). Alinea's
own status (a ``status`` meta in 2.x; in 1.2 the ``x-rejected`` state, or the
``alinea:status`` attribute of older exports) wins so that an export round-trips.
Otherwise a unit counts as confirmed unless the file says it is not yet translated or
reviewed (1.2 ``state="new"``/``needs-*``, 2.x ``initial``). Unit ids, Alinea's scores,
QA flags and the documents' names are read back too.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.etree.ElementTree import Element

from app.formats.reader import BilingualDocument, BilingualUnit, Reader, language_code
from app.formats.safexml import children, inline_text, local_name
from app.ingest.errors import IngestError, shown

READER_NAME = "xliff"
"""What an imported XLIFF file of either version is called (``BilingualDocument.format``)."""

# Inline elements holding native codes rather than text, in 1.2 and 2.x.
NATIVE_CODE = frozenset({"bpt", "ept", "it", "ph", "x", "bx", "ex", "sc", "ec"})

VersionReader = Callable[[Element, str], BilingualDocument]
"""Returns the document of an ``<xliff>`` root of one version, in a file called ``name``."""

VERSION_READERS: dict[str, VersionReader] = {}
"""The reader of each version, by the start of the ``version`` attribute ("1.", "2.")."""

UNVERSIONED = "1."
"""The version of a file that does not say (XLIFF 1.0 had no ``version`` attribute)."""


def version_reader(prefix: str) -> Callable[[VersionReader], VersionReader]:
    """Register the decorated function as the reader of versions starting with ``prefix``."""

    def add(read: VersionReader) -> VersionReader:
        VERSION_READERS[prefix] = read
        return read

    return add


def text_of(parent: Element, name: str) -> str:
    """Return the text of ``parent``'s first ``name`` child, or an empty string."""
    found = children(parent, name)
    return inline_text(found[0], NATIVE_CODE) if found else ""


def xliff_document(
    name: str,
    languages: tuple[str | None, str | None],
    units: list[BilingualUnit],
    titles: tuple[str | None, str | None],
) -> BilingualDocument:
    """Return the document of the XLIFF file ``name``, of either version.

    ``languages`` are the source and target language tags the file gives (IngestError when
    one is missing or unknown), ``titles`` the documents' names it gives, if any.
    """
    (source, target), (source_name, target_name) = languages, titles
    return BilingualDocument(
        name=name,
        format=READER_NAME,
        source_lang=language_code(source, name, "source"),
        target_lang=language_code(target, name, "target"),
        units=units,
        source_name=source_name or None,
        target_name=target_name or None,
    )


class XliffReader(Reader):
    """Reads XLIFF 1.x and 2.x files as source/target units."""

    name = READER_NAME
    roots = ("xliff",)

    def parse(self, root: Element, name: str) -> BilingualDocument:
        """Return the units of every ``<file>``; the first file gives the languages."""
        if local_name(root) != "xliff":
            raise IngestError(
                f"{name}: not an XLIFF file (the root element is <{shown(local_name(root))}>)"
            )
        version = root.get("version", "") or UNVERSIONED
        for prefix, read in VERSION_READERS.items():
            if version.startswith(prefix):
                return read(root, name)
        raise IngestError(f"{name}: unsupported XLIFF version '{shown(version)}'")
