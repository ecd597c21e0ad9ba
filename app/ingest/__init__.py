"""Importing documents (plain text, Markdown, HTML, DOCX, a URL): segments and language.

Pure code (no Flask, no database). Every problem with an input raises IngestError with a
one-line message meant for the user.
"""

from app.ingest.document import LoadedDocument, load_document, load_text, load_url
from app.ingest.errors import IngestError
from app.ingest.language import (
    DEFAULT_LANGUAGES,
    Detection,
    UncertainLanguage,
    detect,
    detect_language,
    validate_language,
)
from app.ingest.paragraphs import split_segments
from app.ingest.sentences import split_sentences, unit_sentences
from app.ingest.text import MAX_BYTES, decode_text, read_text_file

__all__ = [
    "DEFAULT_LANGUAGES",
    "Detection",
    "MAX_BYTES",
    "IngestError",
    "LoadedDocument",
    "UncertainLanguage",
    "decode_text",
    "detect",
    "detect_language",
    "load_document",
    "load_text",
    "load_url",
    "read_text_file",
    "split_segments",
    "split_sentences",
    "unit_sentences",
    "validate_language",
]
