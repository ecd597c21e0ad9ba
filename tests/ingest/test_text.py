"""Decoding and reading text files: encodings, normalisation and refused input."""

import random
from pathlib import Path

import pytest

from app.ingest import IngestError, decode_text, read_text_file

SPANISH = (
    "La señora López dijo: «¿Qué pasó?» Nadie le respondió, y el niño siguió jugando "
    "en el jardín mientras caía la tarde.\n"
) * 4 + "\nEl señor Núñez, en cambio, sonrió: «Mañana será otro día».\n"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("cp1252", b""),
        ("latin-1", b""),
    ],
    ids=[
        "utf-8",
        "utf-8 with BOM",
        "utf-16 LE with BOM",
        "utf-16 BE with BOM",
        "utf-16 LE without BOM",
        "utf-16 BE without BOM",
        "cp1252",
        "latin-1",
    ],
)
def test_every_supported_encoding_decodes_to_the_same_text(
    tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    path = tmp_path / "spanish.txt"
    path.write_bytes(prefix + SPANISH.encode(encoding))
    assert read_text_file(path) == SPANISH


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_windows_and_old_mac_line_endings_become_newlines(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "spanish.txt"
    path.write_bytes(SPANISH.replace("\n", newline).encode("cp1252"))
    assert read_text_file(path) == SPANISH


def test_cp1252_text_is_preferred_over_an_equally_likely_central_european_reading() -> None:
    text = "Le garçon a mangé une pomme. Il était très content de son goûter."
    assert decode_text(text.encode("cp1252")) == text


def test_short_utf8_text_is_not_mistaken_for_a_legacy_encoding() -> None:
    assert decode_text("Ça va?".encode()) == "Ça va?"


def test_decomposed_accents_are_composed_to_nfc() -> None:
    assert decode_text("Sa\u0301nchez".encode()) == "Sánchez"


def test_a_byte_order_mark_only_at_the_start_is_removed() -> None:
    assert decode_text("\ufeffHola".encode()) == "Hola"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf", "the file is empty"),
        (b" \t\r\n\n  \n", "the file contains only whitespace"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (PDF document)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG image)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary file (JPEG image)"),
        (b"GIF89a\x01\x00\x01\x00", "binary file (GIF image)"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary file (ZIP archive or DOCX"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "binary file (gzip archive)"),
        (random.Random(7).randbytes(4096), "this looks like a binary file, not text"),
        (b"Hello\x00world, a stray NUL byte", "this looks like a binary file, not text"),
        (b"\x01\x02\x03\x04\x05\x06 text", "this looks like a binary file, not text"),
        (b"\xff\xfe\x00\xd8", "byte-order mark but is not valid UTF-16"),
    ],
    ids=[
        "empty",
        "BOM only",
        "whitespace only",
        "PDF",
        "PNG",
        "JPEG",
        "GIF",
        "ZIP",
        "gzip",
        "random bytes",
        "NUL byte",
        "control characters",
        "broken UTF-16",
    ],
)
def test_unusable_content_is_refused_with_a_message_naming_the_problem(
    data: bytes, problem: str
) -> None:
    with pytest.raises(IngestError) as caught:
        decode_text(data, "upload.txt")
    assert str(caught.value).startswith("upload.txt: ")
    assert problem in str(caught.value)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"^missing\.txt: no such file$"):
        read_text_file(tmp_path / "missing.txt")


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"is a directory, not a text file"):
        read_text_file(tmp_path)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(IngestError, match=r"^empty\.txt: the file is empty$"):
        read_text_file(path)


def test_a_png_saved_as_a_file_is_refused_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(
        IngestError, match=r"^photo\.png: this looks like a binary file \(PNG image\), not text$"
    ):
        read_text_file(path)


def test_a_file_over_the_size_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 300)

    def refuse_to_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened although it is too large")

    monkeypatch.setattr(Path, "open", refuse_to_open)
    with pytest.raises(IngestError, match=r"too large \(1\.5 KB; the limit is 1 KB\)"):
        read_text_file(path, max_bytes=1024)


def test_a_file_exactly_at_the_size_limit_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "fits.txt"
    path.write_bytes(b"a" * 100)
    assert read_text_file(path, max_bytes=100) == "a" * 100
