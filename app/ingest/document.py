"""Loading a whole document: text, segments, language, title and checksum in one step."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sized
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from app.ingest.binary import looks_like_binary_text
from app.ingest.blocks import read_capped, text_of_segments
from app.ingest.docx import read_docx
from app.ingest.errors import IngestError
from app.ingest.html import read_html
from app.ingest.language import Detection, detect_document, validate_language
from app.ingest.markdown import read_markdown
from app.ingest.paragraphs import split_segments
from app.ingest.text import MAX_BYTES, check_size, decode_text, prepare_text, read_text_file
from app.ingest.url import DEADLINE_SECONDS, read_url
from app.segments import Segment, SegmentKind

SegmentReader = Callable[[bytes, str], list[Segment]]

STRUCTURED_READERS: dict[str, SegmentReader] = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".docx": read_docx,
}
"""Readers of formats whose markup gives the segments, by file extension; others are text."""

MAX_SEGMENTS = 200_000
"""Most segments (paragraphs and headings) one document may have (ALINEA_MAX_SEGMENTS): twice
the 100,000-paragraph document the suite imports, far beyond a book."""


@dataclass(frozen=True)
class LoadedDocument:
    """A text ready for alignment, with what the rest of the application needs to know."""

    title: str
    language: str
    text: str
    segments: list[Segment]
    checksum: str
    origin: str
    # How the language was found: None when it was given (or read from the store).
    detection: Detection | None = None

    @property
    def language_warning(self) -> str | None:
        """A sentence for the user when the language was detected with low confidence."""
        doubt = self.detection.doubt() if self.detection is not None else None
        if doubt is None:
            return None
        return f"{self.origin}: {doubt}; if {self.language} is wrong, give the language explicitly"


def load_document(
    path: str | os.PathLike[str],
    lang: str | None = None,
    languages: Iterable[str] | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    max_segments: int = MAX_SEGMENTS,
) -> LoadedDocument:
    """Read a plain-text file and return it as a LoadedDocument.

    ``lang`` (an ISO 639-1 code) is validated when given; otherwise the language is
    detected among ``languages`` (default: every language lingua knows), and a doubtful
    detection is kept in ``detection``. Raises IngestError (UncertainLanguage when the
    language cannot be detected with confidence).
    """
    language = _validated(lang)
    candidates = _validated_candidates(languages)
    name = Path(path).name
    reader = STRUCTURED_READERS.get(Path(path).suffix.lower())
    if reader is not None:
        segments = reader(read_capped(path, max_bytes), name)
        return _build_from_segments(segments, name, str(path), language, candidates, max_segments)
    text = read_text_file(path, max_bytes)
    return _build(text, name, str(path), language, candidates, max_segments)


def load_url(
    url: str,
    lang: str | None = None,
    languages: Iterable[str] | None = None,
    *,
    allow_private: bool = False,
    deadline: float = DEADLINE_SECONDS,
    max_segments: int = MAX_SEGMENTS,
) -> LoadedDocument:
    """Download the web page at ``url`` and return its main text as a LoadedDocument.

    Only public servers are reached unless ``allow_private``; the whole download must end
    within ``deadline`` seconds. Raises IngestError when the page cannot be downloaded, is
    refused, too large, too slow, or has no text.
    """
    language = _validated(lang)
    candidates = _validated_candidates(languages)
    segments = read_url(url, allow_private=allow_private, deadline=deadline)
    name = Path(urlsplit(url).path).name or urlsplit(url).netloc
    return _build_from_segments(segments, name, url, language, candidates, max_segments)


def load_text(
    text_or_bytes: str | bytes,
    name: str,
    lang: str | None = None,
    languages: Iterable[str] | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    max_segments: int = MAX_SEGMENTS,
) -> LoadedDocument:
    """Return an in-memory text (e.g. an upload) as a LoadedDocument named ``name``.

    Bytes are decoded like a file; a str is only normalised. Raises IngestError.
    """
    language = _validated(lang)
    candidates = _validated_candidates(languages)
    reader = STRUCTURED_READERS.get(Path(name).suffix.lower())
    if reader is not None:
        data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
        check_size(len(data), name, max_bytes)
        segments = reader(bytes(data), name)
        return _build_from_segments(segments, name, name, language, candidates, max_segments)
    text = _text_from_memory(text_or_bytes, name, max_bytes)
    return _build(text, name, name, language, candidates, max_segments)


def check_segment_count(segments: Sized, name: str, max_segments: int) -> None:
    """Raise IngestError when a document has more segments (paragraphs and headings, or
    lines of a presegmented file) than one may have."""
    if len(segments) > max_segments:
        raise IngestError(
            f"{name}: the document has {len(segments):,} segments, more than the "
            f"{max_segments:,} one document may have (ALINEA_MAX_SEGMENTS)"
        )


def _validated(lang: str | None) -> str | None:
    """Return ``lang`` as a valid lower-case code, or None when not given."""
    return None if lang is None else validate_language(lang)


def _validated_candidates(languages: Iterable[str] | None) -> list[str] | None:
    """Return ``languages`` as valid lower-case codes, or None when not given."""
    return None if languages is None else [validate_language(code) for code in languages]


def _text_from_memory(text_or_bytes: str | bytes, name: str, max_bytes: int) -> str:
    """Return the normalised text of an in-memory upload."""
    if isinstance(text_or_bytes, str):
        if looks_like_binary_text(text_or_bytes):
            raise IngestError(f"{name}: this looks like a binary file, not text")
        return prepare_text(text_or_bytes, name)
    check_size(len(text_or_bytes), name, max_bytes)
    return decode_text(bytes(text_or_bytes), name)


def _build(
    text: str,
    name: str,
    origin: str,
    language: str | None,
    candidates: list[str] | None,
    max_segments: int = MAX_SEGMENTS,
) -> LoadedDocument:
    """Return the LoadedDocument for normalised ``text``; detect the language if not given."""
    segments = split_segments(text)
    return _build_from_segments(segments, name, origin, language, candidates, max_segments, text)


def _build_from_segments(
    segments: list[Segment],
    name: str,
    origin: str,
    language: str | None,
    candidates: list[str] | None,
    max_segments: int = MAX_SEGMENTS,
    text: str | None = None,
) -> LoadedDocument:
    """Return the LoadedDocument of ``segments``; their ``text`` is made from them when
    they were read from markup."""
    if not segments:
        raise IngestError(f"{name}: the file contains no paragraphs")
    check_segment_count(segments, name, max_segments)
    text = text_of_segments(segments) if text is None else text
    return _document(text, segments, name, origin, language, candidates)


def _document(
    text: str,
    segments: list[Segment],
    name: str,
    origin: str,
    language: str | None,
    candidates: list[str] | None,
) -> LoadedDocument:
    """Return the LoadedDocument of ``text`` split into ``segments``."""
    detection = None
    if language is None:
        detection = _detect(text, name, candidates)
        language = detection.language
    return LoadedDocument(
        title=_title(segments, name),
        language=language,
        text=text,
        segments=segments,
        checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        origin=origin,
        detection=detection,
    )


def _title(segments: list[Segment], name: str) -> str:
    """Return the opening heading's text, or the file name without its extension."""
    if segments[0].kind is SegmentKind.HEADING:
        return segments[0].text
    return Path(name).stem


def _detect(text: str, name: str, candidates: list[str] | None) -> Detection:
    """Return the detected language of ``text``, naming the file if detection fails."""
    try:
        return detect_document(text, candidates)
    except IngestError as error:
        raise type(error)(f"{name}: {error}") from None
