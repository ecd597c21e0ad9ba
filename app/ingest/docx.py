"""DOCX import: paragraphs, headings (by style) and tables, in body order (python-docx).

A DOCX file is a zip; its declared uncompressed size is checked first so that a small
file cannot expand into gigabytes (a zip bomb).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from app.ingest.blocks import segments_from_blocks
from app.ingest.errors import IngestError, one_line
from app.segments import Segment, SegmentKind

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
"""Largest compression ratio accepted for a DOCX over ``RATIO_FLOOR`` once unpacked: Word's XML
compresses about 5 to 20 times, a zip bomb thousands of times."""
RATIO_FLOOR = 10 * 1024 * 1024


def is_heading(paragraph: Paragraph) -> bool:
    """True when the paragraph's style is a heading or the title."""
    style = paragraph.style.name if paragraph.style is not None else ""
    return style.startswith("Heading") or style == "Title"


def table_blocks(table: Table) -> Iterator[tuple[SegmentKind, str]]:
    """Yield each distinct cell's paragraphs, row by row (merged cells only once)."""
    seen: set[int] = set()
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            for paragraph in cell.paragraphs:
                yield SegmentKind.PARAGRAPH, paragraph.text


def blocks(document: DocxDocument) -> Iterator[tuple[SegmentKind, str]]:
    """Yield (kind, text) for the paragraphs and table cells of the body, in order."""
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            kind = SegmentKind.HEADING if is_heading(item) else SegmentKind.PARAGRAPH
            yield kind, item.text
        elif isinstance(item, Table):
            yield from table_blocks(item)


def check_archive(data: bytes, name: str) -> None:
    """Raise IngestError unless ``data`` is a zip whose content stays within the cap."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
            packed = sum(info.compress_size for info in archive.infolist())
            if "word/document.xml" not in archive.namelist():
                raise IngestError(f"{name}: not a Word document (no word/document.xml)")
    except zipfile.BadZipFile:
        raise IngestError(f"{name}: not a DOCX file (it is not a zip archive)") from None
    except (NotImplementedError, ValueError, EOFError, OSError) as error:
        # A damaged zip directory: "spans multiple disks", a negative offset...
        raise IngestError(f"{name}: not a readable DOCX file ({one_line(error, 80)})") from None
    if size > MAX_UNCOMPRESSED:
        raise IngestError(f"{name}: the document expands to more than 200 MB")
    if size > RATIO_FLOOR and size > MAX_RATIO * max(packed, 1):
        raise IngestError(
            f"{name}: the document expands {size // max(packed, 1)} times when unpacked, "
            "which only a zip bomb does; it is refused"
        )


def read_docx(data: bytes, name: str) -> list[Segment]:
    """Return the segments of the DOCX file ``data``; raises IngestError if unusable."""
    check_archive(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
        # Read every block here: python-docx parses attributes (a cell's span, a style)
        # lazily, so a damaged file can also fail while its body is walked.
        found = list(blocks(document))
    except Exception as error:  # python-docx raises many kinds for a damaged file
        raise IngestError(f"{name}: not a readable DOCX file ({type(error).__name__})") from None
    return segments_from_blocks(found)
