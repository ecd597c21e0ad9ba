"""HTML import: the main text of a page, boilerplate (menus, footers, ads) dropped.

trafilatura finds the main content and hands it back as simple XML (``head``, ``p``,
``list``/``item``, ``table``/``cell``, ``quote``), which is walked in document order.
"""

from __future__ import annotations

from collections.abc import Iterator

import trafilatura
from lxml import etree, html

from app.ingest.binary import describe_signature
from app.ingest.blocks import segments_from_blocks
from app.ingest.errors import IngestError
from app.segments import Segment, SegmentKind

_TEXT_BLOCKS = {
    "p": SegmentKind.PARAGRAPH,
    "head": SegmentKind.HEADING,
    "item": SegmentKind.PARAGRAPH,
    "cell": SegmentKind.PARAGRAPH,
}
_CONTAINERS = {"main", "list", "table", "row", "quote", "div"}


def element_text(element: etree._Element) -> str:
    """Return all the text inside ``element``."""
    return "".join(element.itertext())


def blocks(element: etree._Element) -> Iterator[tuple[SegmentKind, str]]:
    """Yield (kind, text) for the text blocks under ``element``, in document order."""
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _CONTAINERS:
            if tag == "quote" and (child.text or "").strip():
                yield SegmentKind.PARAGRAPH, element_text(child)
            else:
                yield from blocks(child)
        elif tag in _TEXT_BLOCKS:
            yield _TEXT_BLOCKS[tag], element_text(child)


MAX_DEPTH = 256
"""How deep libxml2 (under lxml and trafilatura) nests elements; past it, it drops the rest of
the branch silently, so such a page is refused rather than imported with text missing."""


def _too_deep(data: bytes | str) -> bool:
    """Whether libxml2 reaches its nesting limit on the page ``data``."""
    parser = html.HTMLParser(recover=True, no_network=True)
    try:
        etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):
        return False  # nothing parseable: trafilatura finds no text and says so
    return any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log)


def extract_xml(data: bytes | str, name: str) -> etree._Element:
    """Return trafilatura's XML of the main content of the page ``data``; raise IngestError."""
    if isinstance(data, bytes):
        signature = describe_signature(data)
        if signature is not None:
            raise IngestError(f"{name}: this looks like a binary file ({signature}), not HTML")
    if _too_deep(data):
        raise IngestError(
            f"{name}: the page nests its tags more than {MAX_DEPTH} deep, which no real page "
            "does; its text cannot be read reliably (save it as plain text instead)"
        )
    try:
        result = trafilatura.extract(
            data,
            output_format="xml",
            include_comments=False,
            include_tables=True,
            include_images=False,
            favor_recall=True,
            with_metadata=True,
        )
        if not result:
            raise IngestError(f"{name}: no main text found in the page")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(result.encode("utf-8"), parser)
    except IngestError:
        raise
    except Exception as error:  # trafilatura re-parses its own output, which can fail on junk
        raise IngestError(
            f"{name}: the page's markup is too damaged to read ({type(error).__name__})"
        ) from None


def read_html(data: bytes | str, name: str) -> list[Segment]:
    """Return the segments of the main text of the HTML page ``data``; raises IngestError.

    The page title opens the document as a heading unless the text already starts with it.
    """
    root = extract_xml(data, name)
    main = root.find("main")
    segments = segments_from_blocks(blocks(main if main is not None else root))
    title = (root.get("title") or "").strip()
    if title and (not segments or segments[0].text != title):
        segments.insert(0, Segment(title, SegmentKind.HEADING))
    if not segments:
        raise IngestError(f"{name}: no main text found in the page")
    return segments
