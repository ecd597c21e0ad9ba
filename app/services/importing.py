"""Reading the documents a user gives: a file of any known format, a web page, or a file of
one sentence per line, within the limits of the settings.

``alinea import``, ``alinea align``, the upload forms and the pairs of the background jobs
read through here, so that every way in applies the same size, segment and URL limits.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from pathlib import Path

from app.config import Settings
from app.ingest import (
    IngestError,
    LoadedDocument,
    UncertainLanguage,
    load_document,
    load_text,
    load_url,
    read_text_file,
    validate_language,
)
from app.ingest.document import STRUCTURED_READERS, check_segment_count
from app.ingest.language import detect_document
from app.ingest.url import is_url
from app.segments import Segment

TEXT_SUFFIXES = ("", ".txt", ".text")


@contextlib.contextmanager
def language_hint(where: str | None) -> Iterator[None]:
    """Say where the language can be given (``with --lang``) when detection cannot tell it."""
    try:
        yield
    except UncertainLanguage as error:
        if where is None:
            raise
        raise UncertainLanguage(f"{error} with {where}") from None


def load_file_or_url(
    reference: str, lang: str | None, settings: Settings, allow_private: bool = False
) -> LoadedDocument:
    """A document file, or the web page at an http(s) URL, read within the settings' limits.

    A URL is fetched only from a public server unless ``allow_private`` (or the settings)
    allow this machine and private networks.
    """
    if is_url(reference):
        return load_url(
            reference,
            lang=lang,
            languages=settings.languages,
            allow_private=allow_private or settings.url_allow_private,
            deadline=settings.url_deadline,
            max_segments=settings.max_segments,
        )
    return load_file(Path(reference), lang, settings)


def load_file(path: Path, lang: str | None, settings: Settings) -> LoadedDocument:
    """A document file (text, Markdown, HTML, DOCX) read within the settings' limits."""
    return load_document(
        path,
        lang=lang,
        languages=settings.languages,
        max_bytes=settings.max_import_bytes,
        max_segments=settings.max_segments,
    )


def load_data(data: bytes, name: str, lang: str | None, settings: Settings) -> LoadedDocument:
    """An uploaded file's bytes (named ``name``) as a document, within the settings' limits."""
    return load_text(
        data,
        name,
        lang=lang,
        languages=settings.languages,
        max_bytes=settings.max_import_bytes,
        max_segments=settings.max_segments,
    )


def assumed_format(file: Path) -> str | None:
    """Return a line saying a file of unknown extension is read as plain text, or None."""
    suffix = file.suffix.lower()
    if suffix in TEXT_SUFFIXES or suffix in STRUCTURED_READERS or not file.is_file():
        return None
    return (
        f"{file.name}: the extension {file.suffix} is not one Alinea knows and the file is "
        "not TMX or XLIFF; it was read as plain text"
    )


def load_lines(path: Path, lang: str | None, settings: Settings) -> LoadedDocument:
    """A one-sentence-per-line file as a document whose segments are its lines."""
    text = read_text_file(path, settings.max_import_bytes)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    check_segment_count(lines, path.name, settings.max_segments)
    detection = None
    if lang:
        language = validate_language(lang)
    else:
        try:
            detection = detect_document(text, settings.languages)
        except IngestError as error:
            raise type(error)(f"{path.name}: {error}") from None
        language = detection.language
    return LoadedDocument(
        title=path.stem,
        language=language,
        text=text,
        segments=[Segment(line) for line in lines],
        checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        origin=str(path),
        detection=detection,
    )
