"""Splitting normalised text into paragraph-level segments: headings and paragraphs."""

from __future__ import annotations

import re

from app.segments import Segment, SegmentKind

# Punctuation that ends a sentence, Latin and CJK.
_STOPS = ".!?…:;。！？"
# What may follow that punctuation and still end the sentence: closing quotes and brackets.
_CLOSERS = "\"'’”»›)]}」』"
_ENDS_SENTENCE = re.compile(rf"[{re.escape(_STOPS)}][{re.escape(_CLOSERS)}]*$")
# A heading additionally never ends in a comma: that is a clause cut short.
_ENDS_NON_HEADING = re.compile(rf"[{re.escape(_STOPS)},，][{re.escape(_CLOSERS)}]*$")
# Tabs are not among them: inside a line they are content (table cells, code).
_SPACES = re.compile(r"[ \f\v]+")

HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 100


def split_segments(text: str) -> list[Segment]:
    """Return the headings and paragraphs of ``text`` (already normalised to \\n endings).

    Blocks are separated by blank lines. Inside a block, a line that does not end a
    sentence and is followed by a line starting in lower case is a soft wrap and is joined
    to it; any other line break starts a new segment. A short block of a single line with
    no final punctuation is a heading.
    """
    segments: list[Segment] = []
    for block in _blocks(text):
        segments.extend(_block_segments(block))
    return segments


_BRACKETED = re.compile(r"^[(\[].*[)\]]$")


def is_heading(line: str) -> bool:
    """Return True when a lone line is short, has letters and lacks final punctuation.

    A line wholly in brackets, such as an editor's tag "(ers/rml)", is an aside, not a
    heading.
    """
    return (
        not _BRACKETED.match(line)
        and len(line) <= HEADING_MAX_CHARS
        and len(line.split()) <= HEADING_MAX_WORDS
        and any(char.isalpha() for char in line)
        and not _ENDS_NON_HEADING.search(line)
    )


def _blocks(text: str) -> list[list[str]]:
    """Return the runs of non-blank lines of ``text``, each line tidied."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in text.split("\n"):
        line = _tidy(raw)
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _tidy(line: str) -> str:
    """Return ``line`` with runs of spaces collapsed to one, stripped; inner tabs are kept."""
    return _SPACES.sub(" ", line).strip()


def _block_segments(lines: list[str]) -> list[Segment]:
    """Return the segments of one block of lines."""
    if len(lines) == 1:
        # Only a line standing alone can be a heading: short lines inside a block are
        # usually leftovers such as menu items, not titles of the text.
        kind = SegmentKind.HEADING if is_heading(lines[0]) else SegmentKind.PARAGRAPH
        return [Segment(lines[0], kind)]
    return [Segment(text) for text in _join_soft_wraps(lines)]


def _join_soft_wraps(lines: list[str]) -> list[str]:
    """Return ``lines`` with soft-wrapped continuations joined to the line before."""
    joined = [lines[0]]
    for line in lines[1:]:
        if _is_soft_wrap(joined[-1], line):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _is_soft_wrap(line: str, following: str) -> bool:
    """Return True when the break between ``line`` and ``following`` only wraps a sentence."""
    return not _ENDS_SENTENCE.search(line) and following[:1].islower()
