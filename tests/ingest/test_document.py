"""Loading whole documents from files and from memory."""

import hashlib
import re
from dataclasses import replace
from pathlib import Path

import pytest

from app.ingest import IngestError, LoadedDocument, load_document, load_text
from app.segments import Segment, SegmentKind

SPANISH = (
    "Cruzar la frontera\n\n"
    "La señora López dijo que no vendría a la reunión del jueves, porque tenía que\n"
    "cuidar a sus nietos y preparar la comida para toda la familia.\n"
)


def test_the_english_dw_article_loads_with_title_language_and_segments(
    english_article: Path,
) -> None:
    document = load_document(english_article)

    assert document.title == "Trump Pushes Mexico into “Vicious Circle” on Border"
    assert document.language == "en"
    assert len(document.segments) == 28
    assert document.origin == str(english_article)
    assert document.checksum == hashlib.sha256(document.text.encode()).hexdigest()


def test_uploaded_bytes_load_like_a_file() -> None:
    document = load_text(SPANISH.encode("cp1252"), "cruzar.txt")

    assert document.detection is not None and document.detection.language == "es"
    assert replace(document, detection=None) == LoadedDocument(
        title="Cruzar la frontera",
        language="es",
        text=SPANISH,
        segments=[
            Segment("Cruzar la frontera", SegmentKind.HEADING),
            Segment(SPANISH.split("\n\n")[1].replace("que\n", "que ").strip()),
        ],
        checksum=hashlib.sha256(SPANISH.encode()).hexdigest(),
        origin="cruzar.txt",
    )


def test_the_same_text_in_different_encodings_has_the_same_checksum() -> None:
    utf8 = load_text(SPANISH.encode("utf-8"), "a.txt")
    utf16 = load_text(SPANISH.replace("\n", "\r\n").encode("utf-16"), "b.txt")
    assert utf8.checksum == utf16.checksum


def test_a_document_not_starting_with_a_heading_is_titled_by_its_file_stem() -> None:
    document = load_text("Just one sentence here.", "notes.final.txt", lang="en")
    assert document.title == "notes.final"


def test_a_given_language_is_validated_and_not_detected() -> None:
    assert load_text(SPANISH, "cruzar.txt", lang="DE").language == "de"


def test_detection_uses_the_given_candidate_languages() -> None:
    assert load_text(SPANISH, "cruzar.txt", languages=["pt", "it"]).language in {"pt", "it"}


@pytest.mark.parametrize(
    ("lang", "languages"), [("xx", None), ("klingon", None), (None, ["en", "xx"])]
)
def test_unknown_language_codes_are_refused(lang: str | None, languages: list[str] | None) -> None:
    with pytest.raises(IngestError, match="unknown language code"):
        load_text(SPANISH, "cruzar.txt", lang=lang, languages=languages)


def test_a_language_code_is_checked_before_the_file_is_read(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="unknown language code 'xx'"):
        load_document(tmp_path / "missing.txt", lang="xx")


def test_an_undetectable_language_is_refused_naming_the_file() -> None:
    with pytest.raises(IngestError, match=r"^numbers\.txt: cannot detect the language"):
        load_text("2024 2025\n\n17 18 19", "numbers.txt")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "the file is empty"),
        (" \n\t\n", "the file contains only whitespace"),
        ("text\x00with NUL", "binary file"),
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n", "binary file (PNG image)"),
    ],
    ids=["empty text", "whitespace text", "text with NUL", "empty bytes", "PNG bytes"],
)
def test_unusable_uploads_are_refused(content: str | bytes, problem: str) -> None:
    with pytest.raises(IngestError, match=re.escape(problem)):
        load_text(content, "upload.txt")


def test_an_upload_over_the_size_limit_is_refused() -> None:
    with pytest.raises(IngestError, match="too large"):
        load_text(b"word " * 100, "big.txt", max_bytes=100)


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 100)
    with pytest.raises(IngestError, match=r"^big\.txt: the file is too large"):
        load_document(path, max_bytes=100)
