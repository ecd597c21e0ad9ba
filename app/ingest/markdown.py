"""Markdown import: headings and paragraphs from the markup (markdown-it, CommonMark).

List items and table cells become paragraphs; code blocks and raw HTML are left out,
since they are not prose to align. Inline markup (emphasis, links) keeps only its text.
"""

from __future__ import annotations

from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token

from app.ingest.blocks import segments_from_blocks
from app.ingest.text import decode_text
from app.segments import Segment, SegmentKind

# Leaf blocks whose inline content becomes one segment, by the token that opens them.
_BLOCKS = {"heading_open": SegmentKind.HEADING, "paragraph_open": SegmentKind.PARAGRAPH}
_CELLS = {"th_open", "td_open"}


def inline_text(token: Token) -> str:
    """Return the plain text of an ``inline`` token: its text and code spans, breaks as spaces."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def blocks(tokens: list[Token]) -> Iterator[tuple[SegmentKind, str]]:
    """Yield (kind, text) for each heading, paragraph and table cell, in document order."""
    for index, token in enumerate(tokens):
        kind = _BLOCKS.get(token.type)
        if kind is None and token.type in _CELLS:
            kind = SegmentKind.PARAGRAPH
        if kind is not None and index + 1 < len(tokens) and tokens[index + 1].type == "inline":
            yield kind, inline_text(tokens[index + 1])


def read_markdown(data: bytes, name: str) -> list[Segment]:
    """Return the segments of the Markdown file ``data``; raises IngestError if unusable."""
    text = decode_text(data, name)
    parser = MarkdownIt("commonmark").enable("table")
    return segments_from_blocks(blocks(parser.parse(text)))
