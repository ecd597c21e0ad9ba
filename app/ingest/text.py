"""Turning the bytes of a plain-text file into clean, normalised Unicode text."""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

import charset_normalizer

from app.ingest.binary import describe_signature, looks_like_binary_text
from app.ingest.errors import IngestError

MAX_BYTES = 20 * 1024 * 1024
"""Default cap on the size of an input file, in bytes."""

# Longer byte-order marks first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)

# When charset-normalizer ranks several legacy encodings as equally likely, pick Windows
# Western European: it is by far the most common legacy encoding for the languages people
# align, and its rivals (e.g. cp1250) turn "très" into "trčs" without any sign of trouble.
_PREFERRED_LEGACY = "cp1252"


def read_text_file(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> str:
    """Read a plain-text file and return its decoded, normalised text.

    Raises IngestError when the file is missing, not a regular file, larger than
    ``max_bytes``, or not usable text (see ``decode_text``).
    """
    file = Path(path)
    size = _regular_file_size(file)
    check_size(size, file.name, max_bytes)
    data = _read_bytes(file, max_bytes)
    # The file may have grown between stat() and read(); never go past the cap.
    check_size(len(data), file.name, max_bytes)
    return decode_text(data, file.name)


def decode_text(data: bytes, name: str = "<input>") -> str:
    """Decode the bytes of a text file and return normalised text.

    Accepts UTF-8 (with or without BOM), UTF-16/UTF-32 with BOM, UTF-16 without BOM when
    charset-normalizer recognises it, and legacy single-byte encodings such as cp1252.
    Raises IngestError for empty, whitespace-only, binary or undecodable content.
    """
    if not data:
        raise IngestError(f"{name}: the file is empty")
    signature = describe_signature(data)
    if signature is not None:
        raise IngestError(f"{name}: this looks like a binary file ({signature}), not text")
    text = _decode(data, name)
    if looks_like_binary_text(text):
        raise _binary_error(name)
    return prepare_text(text, name)


def prepare_text(text: str, name: str = "<input>") -> str:
    """Normalise already-decoded text and return it; refuse it if nothing is left.

    Raises IngestError when the text is empty or whitespace only.
    """
    text = normalise_text(text)
    if not text:
        raise IngestError(f"{name}: the file is empty")
    if not text.strip():
        raise IngestError(f"{name}: the file contains only whitespace")
    return text


def normalise_text(text: str) -> str:
    """Return ``text`` without a leading BOM, with \\n line endings and in Unicode NFC."""
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def check_size(size: int, name: str, max_bytes: int = MAX_BYTES) -> None:
    """Raise IngestError when ``size`` bytes exceed ``max_bytes``."""
    if size > max_bytes:
        raise IngestError(
            f"{name}: the file is too large ({format_size(size)}; "
            f"the limit is {format_size(max_bytes)})"
        )


def format_size(size: int) -> str:
    """Return a byte count in human units, e.g. "512 bytes", "3.5 KB", "20 MB"."""
    if size < 1024:
        return f"{size} bytes"
    amount = float(size)
    for unit in ("KB", "MB", "GB"):
        amount /= 1024
        if amount < 1024 or unit == "GB":
            break
    return f"{amount:.1f}".removesuffix(".0") + f" {unit}"


def _regular_file_size(file: Path) -> int:
    """Return the size of ``file``; raise IngestError unless it is an existing regular file."""
    try:
        info = file.stat()
    except FileNotFoundError:
        raise IngestError(f"{file.name}: no such file") from None
    except OSError as error:
        raise IngestError(f"{file.name}: cannot read the file ({error.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise IngestError(f"{file.name}: this is a directory, not a text file")
    if not stat.S_ISREG(info.st_mode):
        raise IngestError(f"{file.name}: this is not a regular file")
    return info.st_size


def _read_bytes(file: Path, max_bytes: int) -> bytes:
    """Return at most ``max_bytes + 1`` bytes of ``file`` (one extra to notice growth)."""
    try:
        with file.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as error:
        raise IngestError(f"{file.name}: cannot read the file ({error.strerror})") from None


def _decode(data: bytes, name: str) -> str:
    """Return ``data`` decoded with the encoding its BOM, its bytes or charset-normalizer show."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data[len(bom) :], codec, label, name)
    if b"\x00" in data:
        return _decode_wide(data, name)
    try:
        # Strict UTF-8 first: it is the common case, and charset-normalizer can mislabel
        # short UTF-8 text as some legacy encoding.
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.end == len(data):
            # Valid UTF-8 up to a character cut in half at the very end: a file cut short.
            # Read as a legacy encoding it would turn every accented letter into two.
            raise IngestError(
                f"{name}: the file is UTF-8 but ends in the middle of a character, so it "
                "looks cut short; check that it was copied whole"
            ) from None
        return _decode_legacy(data, name)


def _decode_with_bom(data: bytes, codec: str, label: str, name: str) -> str:
    """Return ``data`` (the bytes after a BOM) decoded strictly with ``codec``."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise IngestError(
            f"{name}: the file starts with a {label} byte-order mark but is not valid {label}"
        ) from None


def _decode_wide(data: bytes, name: str) -> str:
    """Decode NUL-containing ``data`` as BOM-less UTF-16/32; anything else is binary."""
    match = charset_normalizer.from_bytes(data).best()
    if match is None or not match.encoding.startswith(("utf_16", "utf_32")):
        raise _binary_error(name)
    return str(match)


def _decode_legacy(data: bytes, name: str) -> str:
    """Decode non-UTF-8 ``data`` with the encoding charset-normalizer finds most likely."""
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise IngestError(
            f"{name}: cannot work out the text encoding; save the file as UTF-8 and try again"
        )
    best = matches[0]
    for match in matches:
        tied = match.chaos == best.chaos and match.coherence == best.coherence
        if tied and _PREFERRED_LEGACY in match.could_be_from_charset:
            return data.decode(_PREFERRED_LEGACY)
    return str(best)


def _binary_error(name: str) -> IngestError:
    """Return the error for content that is binary but of no recognised format."""
    return IngestError(f"{name}: this looks like a binary file, not text")
