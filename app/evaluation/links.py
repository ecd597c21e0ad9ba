"""Alignment links in the notation of Vecalign and Bertalign: ``[src indices]:[tgt indices]``.

One link per line, 0-based sentence (line) numbers; ``[]:[5]`` is an insertion (0-1) and
``[3]:[]`` an omission (1-0).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Gold files write "[1,2]" (Bible) as well as "[1, 2]" (Text+Berg), so spaces are optional.
_LINE = re.compile(r"^\[(?P<src>[^\[\]]*)\]\s*:\s*\[(?P<tgt>[^\[\]]*)\]$")
_INDEX = re.compile(r"^[0-9]+$")


@dataclass(frozen=True)
class Link:
    """A group of source sentences aligned with a group of target sentences."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]

    @property
    def one_sided(self) -> bool:
        """Return True for an insertion or omission (exactly one side empty)."""
        return bool(self.src) != bool(self.tgt)

    @property
    def empty(self) -> bool:
        """Return True when both sides are empty (a link that aligns nothing)."""
        return not self.src and not self.tgt


def _parse_side(text: str, line_number: int) -> tuple[int, ...]:
    """Return the indices listed in ``text`` (the inside of one bracket pair)."""
    text = text.strip()
    if not text:
        return ()
    indices = []
    for item in text.split(","):
        item = item.strip()
        if not _INDEX.match(item):
            raise ValueError(f"line {line_number}: {item!r} is not a sentence index")
        indices.append(int(item))
    return tuple(indices)


def parse_link(line: str, line_number: int = 1) -> Link:
    """Return the link written on one line; raise ValueError naming ``line_number`` if bad."""
    match = _LINE.match(line.strip())
    if match is None:
        raise ValueError(f"line {line_number}: expected '[i, j]:[k]', got {line.strip()!r}")
    return Link(
        _parse_side(match["src"], line_number),
        _parse_side(match["tgt"], line_number),
    )


def parse_links(text: str) -> list[Link]:
    """Return the links in ``text``, one per non-blank line, in file order."""
    return [
        parse_link(line, number)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def read_links(path: Path | str) -> list[Link]:
    """Return the links stored in the file at ``path``; ValueError names file and line."""
    path = Path(path)
    try:
        return parse_links(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from error


def _format_side(indices: tuple[int, ...]) -> str:
    # ", " as Vecalign and Bertalign print a Python list (and the Text+Berg gold).
    return "[" + ", ".join(str(index) for index in indices) + "]"


def format_link(link: Link) -> str:
    """Return ``link`` written as ``[i, j]:[k]``."""
    return f"{_format_side(link.src)}:{_format_side(link.tgt)}"


def format_links(links: Iterable[Link]) -> str:
    """Return ``links`` one per line, each line ending in a newline."""
    return "".join(format_link(link) + "\n" for link in links)


def write_links(path: Path | str, links: Iterable[Link]) -> None:
    """Write ``links`` to the file at ``path`` in the link notation (UTF-8, ``\\n`` endings)."""
    Path(path).write_text(format_links(links), encoding="utf-8", newline="\n")
