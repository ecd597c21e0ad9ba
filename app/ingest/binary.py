"""Recognising content that is not plain text: known file signatures and control characters."""

from __future__ import annotations

import re

# Leading bytes of formats people are likely to upload by mistake instead of plain text.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or DOCX/ODT/EPUB document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Microsoft Office document such as DOC"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "executable program"),
)

# C0 control characters other than the whitespace ones (tab, newlines, form feed) plus DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

# Real text almost never contains such characters; decoded binary data is full of them.
_MAX_CONTROL_RATIO = 0.01


def describe_signature(data: bytes) -> str | None:
    """Return a short description of the binary format ``data`` starts with, or None."""
    for signature, description in _SIGNATURES:
        if data.startswith(signature):
            return description
    return None


def looks_like_binary_text(text: str) -> bool:
    """Return True when decoded ``text`` contains a NUL or too many control characters."""
    if "\x00" in text:
        return True
    controls = len(_CONTROL.findall(text))
    return controls > len(text) * _MAX_CONTROL_RATIO
