"""DOCX import: paragraphs, headings (by style) and tables, in body order (python-docx).

A DOCX file is a zip; its declared sizes are checked first, from the zip's directory and
before anything is inflated, so that a small file cannot expand into gigabytes (a zip bomb):
the whole archive, and each part on its own. Checking only the whole lets a padded file
through: a big member that does not compress (random bytes) lowers the overall ratio, while
a huge ``word/document.xml`` beside it expands inside the parser.
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
MAX_PART = 32 * 1024 * 1024
"""Largest part once unpacked. A 1,000-page book's ``word/document.xml`` is 10 to 20 MB; the XML
parser needs about ten times a part's size in memory."""
PART_RATIO_FLOOR = 1024 * 1024
"""Parts larger than this once unpacked are held to ``MAX_RATIO`` each."""


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
    """Raise IngestError unless ``data`` is a zip whose content, and each part of it, stays
    within the caps."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if "word/document.xml" not in archive.namelist():
                raise IngestError(f"{name}: not a Word document (no word/document.xml)")
    except zipfile.BadZipFile:
        raise IngestError(f"{name}: not a DOCX file (it is not a zip archive)") from None
    except (NotImplementedError, ValueError, EOFError, OSError) as error:
        # A damaged zip directory: "spans multiple disks", a negative offset...
        raise IngestError(f"{name}: not a readable DOCX file ({one_line(error, 80)})") from None
    size = sum(info.file_size for info in parts)
    packed = sum(info.compress_size for info in parts)
    if size > MAX_UNCOMPRESSED:
        raise IngestError(f"{name}: the document expands to more than 200 MB")
    if size > RATIO_FLOOR and size > MAX_RATIO * max(packed, 1):
        raise IngestError(
            f"{name}: the document expands {size // max(packed, 1)} times when unpacked, "
            "which only a zip bomb does; it is refused"
        )
    for info in parts:
        check_part(info, name)


def check_part(info: zipfile.ZipInfo, name: str) -> None:
    """Raise IngestError when one part of the archive is too large or too compressed."""
    part = one_line(info.filename, 60)
    if info.file_size > MAX_PART:
        raise IngestError(
            f"{name}: its part {part} expands to {info.file_size // (1024 * 1024)} MB, more "
            f"than the {MAX_PART // (1024 * 1024)} MB one part may have; it is refused"
        )
    if info.file_size > PART_RATIO_FLOOR and info.file_size > MAX_RATIO * max(
        info.compress_size, 1
    ):
        raise IngestError(
            f"{name}: its part {part} expands {info.file_size // max(info.compress_size, 1)} "
            "times when unpacked, which only a zip bomb does; it is refused"
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
