"""The one exception type the ingest layer raises for problems with an input file."""

from __future__ import annotations

import re


class IngestError(ValueError):
    """A problem with an input file, worded as a one-line message for the user.

    The message usually starts with the file name, e.g. "empty.txt: the file is empty".
    """


_BREAKS = re.compile(r"\s*[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+\s*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(text: object, limit: int = 300) -> str:
    """Return ``text`` on one line (line breaks made "; ", control characters escaped), cut at
    ``limit`` characters: for quoting a library's or a server's words in a message."""
    flat = _BREAKS.sub("; ", str(text).strip())
    flat = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", flat)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def shown(value: object, limit: int = 40) -> str:
    """Return a value read from the input, safe to quote in a message: one line, at most
    ``limit`` characters (a hostile file may put a megabyte or a line break in an attribute)."""
    return one_line(value, limit)
