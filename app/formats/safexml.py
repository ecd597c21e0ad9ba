"""Parsing untrusted XML: no external entities, no entity expansion, no network access.

Bilingual files come from anywhere, so they are parsed with defusedxml, which refuses
entity declarations (the "billion laughs" bomb) and external references (XXE) outright.
A plain ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` is allowed: many tools write one, and it is
never fetched.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

from app.ingest.errors import IngestError, one_line

XML_NS = "http://www.w3.org/XML/1998/namespace"


def parse_xml(data: bytes, name: str) -> Element:
    """Return the root element of the XML document ``data``; raise IngestError if refused.

    ``name`` starts every error message.
    """
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden:
        raise IngestError(
            f"{name}: the file declares XML entities, which are refused for safety "
            "(they can expand without limit or read other files)"
        ) from None
    except ExternalReferenceForbidden:
        raise IngestError(
            f"{name}: the file refers to an external resource, which is refused for safety"
        ) from None
    except DefusedXmlException as error:
        raise IngestError(f"{name}: the XML is refused for safety ({one_line(error)})") from None
    except ParseError as error:
        raise IngestError(f"{name}: not well-formed XML ({one_line(error)})") from None
    except (LookupError, ValueError) as error:
        # expat refuses an unknown or multi-byte encoding in the XML declaration this way.
        raise IngestError(
            f"{name}: the XML declares an encoding that cannot be read ({one_line(error)})"
        ) from None


def local_name(element: Element) -> str:
    """Return the tag of ``element`` without its namespace."""
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def namespace(element: Element) -> str:
    """Return the namespace URI of ``element``'s tag, or an empty string."""
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def children(element: Element, name: str) -> list[Element]:
    """Return the direct children of ``element`` whose local name is ``name``."""
    return [child for child in element if local_name(child) == name]


def descendants(element: Element, name: str) -> list[Element]:
    """Return every element below ``element`` whose local name is ``name``, in document order."""
    return [node for node in element.iter() if node is not element and local_name(node) == name]


CONTROL_TYPE = "x-cp"
"""The ``type`` (TMX) or ``ctype`` (XLIFF 1.2) of a ``<ph>`` that stands for one character."""


def code_point_of(element: Element) -> str | None:
    """Return the character an inline element stands for, or None if it is not such a one.

    XLIFF 2 writes a character XML cannot carry as ``<cp hex="0007"/>``; Alinea's TMX and
    XLIFF 1.2 files write it as ``<ph type|ctype="x-cp">U+0007</ph>``. A number that is no
    character a document can hold (a surrogate, or U+0000, which PostgreSQL text refuses)
    gives U+FFFD REPLACEMENT CHARACTER, so that what stood there still shows.
    """
    name = local_name(element)
    if name == "cp":
        digits = element.get("hex", "")
    elif name == "ph" and CONTROL_TYPE in (element.get("type"), element.get("ctype")):
        digits = (element.text or "").strip().upper().removeprefix("U+")
    else:
        return None
    try:
        number = int(digits, 16)
    except ValueError:
        return "\ufffd"
    if not 0 < number <= 0x10FFFF or 0xD800 <= number <= 0xDFFF:
        return "\ufffd"
    return chr(number)


def inline_text(element: Element, skipped: frozenset[str]) -> str:
    """Return the text of ``element`` and its inline children, leaving out ``skipped`` ones.

    ``skipped`` names inline elements whose content is native markup (TMX ``<bpt>``, XLIFF
    ``<ph>``...) rather than text; their tails are kept. An element standing for a
    character (``code_point_of``) gives that character.
    """
    # Walked with a stack rather than recursion: a hostile file may nest thousands deep.
    parts = [element.text or ""]
    stack: list[tuple[Element, Iterator[Element]]] = [(element, iter(element))]
    while stack:
        parent, remaining = stack[-1]
        child = next(remaining, None)
        if child is None:
            stack.pop()
            if parent is not element:
                parts.append(parent.tail or "")
        elif (char := code_point_of(child)) is not None:
            parts.append(char + (child.tail or ""))
        elif local_name(child) in skipped:
            parts.append(child.tail or "")
        else:
            parts.append(child.text or "")
            stack.append((child, iter(child)))
    return "".join(parts)
