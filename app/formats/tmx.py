"""TMX: export as TMX 1.4b, import of versions 1.1 to 1.4b.

Export: a header describing the memory, then one ``<tu>`` per two-sided pair. The
document is written as text rather than built as a tree so that any number of pairs
streams in constant memory; escaping and cleaning are therefore done here by hand.

Import: the header's source language and one other language. Each ``<tu>`` becomes a
unit under its ``tuid``. Alinea's own props (``x-status``, ``x-similarity``,
``x-score:NAME``, ``x-qa``, and the header's ``x-source-name`` and ``x-target-name``) are
read back so that an exported memory round-trips; units from other tools count as
confirmed, since a translation memory holds translations someone accepted.
"""

from __future__ import annotations

import functools
from datetime import datetime
from xml.etree.ElementTree import Element

from app.formats import reader
from app.formats.base import DocumentExporter, ExportMeta, as_utc, flags_of, scores_of
from app.formats.reader import BilingualDocument, BilingualUnit, Reader, language_code
from app.formats.registry import FileFormat, register_format
from app.formats.safexml import CONTROL_TYPE, XML_NS, children, inline_text, local_name
from app.formats.xmltext import escape_attribute, escape_segment, escape_text, format_attributes
from app.ingest.errors import IngestError, shown
from app.segments import BeadStatus, PairRecord

SEGTYPES = ("block", "paragraph", "sentence", "phrase")
"""The segmentation levels TMX 1.4b allows in the header's ``segtype``."""

_TUV_CLOSING = "</seg>\n      </tuv>\n"


def control_placeholder(cp: int, number: int) -> str:
    """Return the ``<ph>`` standing for the character ``cp`` inside a ``<seg>``."""
    return f'<ph type="{CONTROL_TYPE}">U+{cp:04X}</ph>'


def escape_seg(text: str) -> str:
    """Return segment ``text`` as the content of a ``<seg>``."""
    return escape_segment(text, control_placeholder)


def tmx_date(moment: datetime) -> str:
    """Return ``moment`` in the TMX date format, ``YYYYMMDDThhmmssZ`` in UTC."""
    # Formatted by hand: strftime is a noticeable share of a million-pair export.
    utc = as_utc(moment)
    day = f"{utc.year:04d}{utc.month:02d}{utc.day:02d}"
    return f"{day}T{utc.hour:02d}{utc.minute:02d}{utc.second:02d}Z"


@functools.lru_cache(maxsize=256)
def prop_opening(prop_type: str, indent: str) -> str:
    """Return the text that opens a ``<prop>`` of ``prop_type`` (the same for every unit)."""
    return f'{indent}<prop type="{escape_attribute(prop_type)}">'


def format_prop(prop_type: str, value: str, indent: str) -> str:
    """Return one ``<prop>`` line (with its newline) carrying ``value``."""
    return f"{prop_opening(prop_type, indent)}{escape_text(value)}</prop>\n"


def format_number_prop(prop_type: str, number: float) -> str:
    """Return one ``<prop>`` line of a unit carrying ``number`` with three decimals."""
    # A formatted number needs no escaping: this is most of a unit's props.
    return f"{prop_opening(prop_type, '      ')}{number:.3f}</prop>\n"


def tuv_opening(lang: str) -> str:
    """Return the text that opens a ``<tuv>`` in language ``lang`` and its ``<seg>``."""
    return f'      <tuv xml:lang="{escape_attribute(lang)}">\n        <seg>'


def format_unit(pair: PairRecord, tuid: str, tuv_openings: tuple[str, str]) -> str:
    """Return the ``<tu>`` element for ``pair``, children in DTD order: note*, prop*, tuv+.

    ``tuv_openings`` are the ``tuv_opening`` texts of the source and target languages.
    """
    changedate = "" if pair.changed_at is None else f' changedate="{tmx_date(pair.changed_at)}"'
    tuid = tuid if tuid.isalnum() else escape_attribute(tuid)
    parts = [f'    <tu tuid="{tuid}"{changedate}>\n']
    if pair.note and pair.note.strip():
        parts.append(f"      <note>{escape_text(pair.note)}</note>\n")
    if pair.similarity is not None:
        parts.append(format_number_prop("x-similarity", pair.similarity))
    for name, score in scores_of(pair).items():
        parts.append(format_number_prop(f"x-score:{name}", score))
    parts.append(f"{prop_opening('x-status', '      ')}{pair.status}</prop>\n")
    for flag in flags_of(pair):
        message = f"{flag.get('check', '')}: {flag.get('message', '')}"
        parts.append(format_prop("x-qa", message, "      "))
    # Nothing may be added inside <seg>: its whitespace belongs to the segment.
    source_opening, target_opening = tuv_openings
    parts.append(f"{source_opening}{escape_seg(pair.source)}{_TUV_CLOSING}")
    parts.append(f"{target_opening}{escape_seg(pair.target)}{_TUV_CLOSING}")
    parts.append("    </tu>\n")
    return "".join(parts)


def header_props(meta: ExportMeta) -> dict[str, str]:
    """Return the optional export metadata that is set, as TMX prop types and values."""
    optional = {
        "x-source-name": meta.source_name,
        "x-target-name": meta.target_name,
        "x-alignment-id": meta.alignment_id,
    }
    return {prop_type: str(value) for prop_type, value in optional.items() if value is not None}


class TmxExporter(DocumentExporter):
    """Exports pairs as a TMX 1.4b translation memory."""

    # A translation memory holds translations: one-sided pairs never go in.
    supports_one_sided = False
    options = frozenset({"segtype"})
    tail = "  </body>\n</tmx>\n"

    def __init__(self, segtype: str | None = None) -> None:
        """Set the header's ``segtype`` (default: the export's level).

        Raises ``ValueError`` if TMX does not know ``segtype``.
        """
        if segtype is not None and segtype not in SEGTYPES:
            raise ValueError(
                f"unknown TMX segtype '{segtype}'; choose one of: " + ", ".join(SEGTYPES)
            )
        self.segtype = segtype

    def start(self, meta: ExportMeta) -> None:
        # The languages are the same for every unit: escape them once per export.
        self.tuv_openings = (tuv_opening(meta.source_lang), tuv_opening(meta.target_lang))

    def format_unit(self, pair: PairRecord, unit_id: str) -> str:
        """Return the ``<tu>`` of ``pair``."""
        return format_unit(pair, unit_id, self.tuv_openings)

    def segtype_of(self, meta: ExportMeta) -> str:
        """Return the header's ``segtype``: the one asked for, else the pairs' level."""
        if self.segtype is not None:
            return self.segtype
        return meta.level if meta.level in SEGTYPES else "paragraph"

    def format_head(self, meta: ExportMeta) -> str:
        """Return everything before the first ``<tu>``: declaration, root, header, ``<body>``."""
        attributes = format_attributes(
            {
                "creationtool": "Alinea",
                "creationtoolversion": meta.tool_version,
                "segtype": self.segtype_of(meta),
                "o-tmf": "Alinea",
                "adminlang": "en",
                "srclang": meta.source_lang,
                "datatype": "plaintext",
                "creationdate": tmx_date(meta.created_at),
            }
        )
        props = header_props(meta)
        if props:
            lines = "".join(format_prop(kind, value, "    ") for kind, value in props.items())
            header = f"  <header{attributes}>\n{lines}  </header>\n"
        else:
            header = f"  <header{attributes}/>\n"
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n{header}  <body>\n'


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
        score = reader.parse_score(value)
        if kind.startswith("x-score:") and name and score is not None:
            found[name] = score
    return found


def flags(element: Element) -> tuple[dict[str, str], ...]:
    """Return the QA flags in the ``x-qa`` props of ``element``, in file order."""
    parsed = (reader.parse_flag(prop.text) for prop in children(element, "prop"))
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
        status=reader.parse_status(properties.get("x-status")) or BeadStatus.CONFIRMED,
        similarity=reader.parse_similarity(properties.get("x-similarity")),
        note="\n".join(notes) or None,
        unit_id=tu.get("tuid") or None,
        scores=scores(tu),
        flags=flags(tu),
    )


class TmxReader(Reader):
    """Reads a TMX translation memory as source/target units."""

    name = "tmx"
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


register_format(
    FileFormat(
        name="tmx",
        title="TMX 1.4 (translation memory)",
        extensions=(".tmx",),
        media_type="application/x-tmx+xml",
        exporter=TmxExporter,
        reader=TmxReader,
    )
)
