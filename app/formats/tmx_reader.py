"""TMX import (versions 1.1 to 1.4b): the header's source language and one other language.

Each ``<tu>`` becomes a unit under its ``tuid``. Alinea's own props (``x-status``,
``x-similarity``, ``x-score:NAME``, ``x-qa``, and the header's ``x-source-name`` and
``x-target-name``) are read back so that an exported memory round-trips; units from other
tools count as confirmed, since a translation memory holds translations someone accepted.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.formats.reader import (
    BilingualDocument,
    BilingualUnit,
    Reader,
    language_code,
    parse_flag,
    parse_score,
    parse_similarity,
    parse_status,
    register_reader,
)
from app.formats.safexml import XML_NS, children, inline_text, local_name
from app.ingest.errors import IngestError, shown
from app.segments import BeadStatus

# Inline elements that hold native codes (formatting of the original file), not text.
NATIVE_CODE = frozenset({"bpt", "ept", "it", "ph", "ut"})


def tuv_language(tuv: Element) -> str | None:
    """Return the language tag of a ``<tuv>``: ``xml:lang``, or ``lang`` before TMX 1.4."""
    return tuv.get(f"{{{XML_NS}}}lang") or tuv.get("lang")


def tuv_text(tuv: Element) -> str:
    """Return the text of a ``<tuv>``'s ``<seg>``, without native codes."""
    segs = children(tuv, "seg")
    return inline_text(segs[0], NATIVE_CODE) if segs else ""


def props(element: Element) -> dict[str, str]:
    """Return the ``<prop>`` children of ``element`` by type (the last one of a type wins)."""
    return {prop.get("type", ""): prop.text or "" for prop in children(element, "prop")}


def scores(element: Element) -> dict[str, float]:
    """Return the per-scorer scores in the ``x-score:NAME`` props of ``element``."""
    found = {}
    for kind, value in props(element).items():
        name = kind.removeprefix("x-score:")
        score = parse_score(value)
        if kind.startswith("x-score:") and name and score is not None:
            found[name] = score
    return found


def flags(element: Element) -> tuple[dict[str, str], ...]:
    """Return the QA flags in the ``x-qa`` props of ``element``, in file order."""
    parsed = (parse_flag(prop.text) for prop in children(element, "prop"))
    kinds = (prop.get("type") for prop in children(element, "prop"))
    return tuple(flag for kind, flag in zip(kinds, parsed, strict=True) if kind == "x-qa" and flag)


def primary(tag: str | None) -> str:
    """Return the lower-case primary subtag of a language tag ('en-GB' → 'en')."""
    return (tag or "").strip().replace("_", "-").split("-", 1)[0].lower()


def target_language(units: list[Element], source: str) -> str | None:
    """Return the first language tag in ``units`` other than ``source``, or None."""
    for tu in units:
        for tuv in children(tu, "tuv"):
            tag = tuv_language(tuv)
            if tag and primary(tag) != source:
                return tag
    return None


def read_unit(tu: Element, source: str, target: str) -> BilingualUnit:
    """Return the unit of one ``<tu>``; languages other than the two are ignored."""
    texts = {primary(tuv_language(tuv)): tuv_text(tuv) for tuv in children(tu, "tuv")}
    properties = props(tu)
    notes = [note.text or "" for note in children(tu, "note")]
    return BilingualUnit(
        source=texts.get(source, ""),
        target=texts.get(target, ""),
        status=parse_status(properties.get("x-status")) or BeadStatus.CONFIRMED,
        similarity=parse_similarity(properties.get("x-similarity")),
        note="\n".join(notes) or None,
        unit_id=tu.get("tuid") or None,
        scores=scores(tu),
        flags=flags(tu),
    )


@register_reader
class TmxReader(Reader):
    """Reads a TMX translation memory as source/target units."""

    name = "tmx"
    extensions = (".tmx",)
    roots = ("tmx",)

    def parse(self, root: Element, name: str) -> BilingualDocument:
        """Return the memory's units between the header's source language and one other."""
        if local_name(root) != "tmx":
            raise IngestError(
                f"{name}: not a TMX file (the root element is <{shown(local_name(root))}>)"
            )
        headers, bodies = children(root, "header"), children(root, "body")
        if not headers or not bodies:
            raise IngestError(f"{name}: not a valid TMX file (no <header> or no <body>)")
        units = children(bodies[0], "tu")
        srclang = headers[0].get("srclang")
        if srclang in (None, "*all*") and units:
            # "*all*" means any language may be the source; the first one written is.
            first = children(units[0], "tuv")
            srclang = tuv_language(first[0]) if first else None
        source = language_code(srclang, name, "source")
        target = language_code(target_language(units, source), name, "target")
        described = props(headers[0])
        return BilingualDocument(
            name=name,
            format=self.name,
            source_lang=source,
            target_lang=target,
            units=[read_unit(tu, source, target) for tu in units],
            source_name=described.get("x-source-name") or None,
            target_name=described.get("x-target-name") or None,
            level=headers[0].get("segtype") or None,
        )
