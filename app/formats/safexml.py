"""Parsing untrusted XML: no external entities, no entity expansion, no network access.

Bilingual files come from anywhere, so they are parsed with defusedxml, which refuses
entity declarations (the "billion laughs" bomb) and external references (XXE) outright.
A plain ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` is allowed: many tools write one, and it is
never fetched.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

from app.ingest.errors import IngestError

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
        raise IngestError(f"{name}: the XML is refused for safety ({error})") from None
    except ParseError as error:
        raise IngestError(f"{name}: not well-formed XML ({error})") from None


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


def inline_text(element: Element, skipped: frozenset[str]) -> str:
    """Return the text of ``element`` and its inline children, leaving out ``skipped`` ones.

    ``skipped`` names inline elements whose content is native markup (TMX ``<bpt>``, XLIFF
    ``<ph>``...) rather than text; their tails are kept.
    """
    parts = [element.text or ""]
    for child in element:
        if local_name(child) not in skipped:
            parts.append(inline_text(child, skipped))
        parts.append(child.tail or "")
    return "".join(parts)
