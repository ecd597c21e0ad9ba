"""TMX 1.4b export: a header describing the memory, then one ``<tu>`` per two-sided pair.

The document is written as text rather than built as a tree so that any number of pairs
streams in constant memory; escaping and cleaning are therefore done here by hand.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from datetime import datetime

from app.formats.base import (
    Exporter,
    ExportMeta,
    as_utc,
    exportable,
    flags_of,
    register,
    scores_of,
    unit_id_of,
)
from app.formats.xmltext import (
    UnitIds,
    escape_attribute,
    escape_segment,
    escape_text,
    format_attributes,
)
from app.segments import PairRecord

SEGTYPES = ("block", "paragraph", "sentence", "phrase")
"""The segmentation levels TMX 1.4b allows in the header's ``segtype``."""

CONTROL_TYPE = "x-cp"
"""The ``<ph type>`` of a character XML cannot carry; the element holds ``U+XXXX``."""

_TUV_CLOSING = "</seg>\n      </tuv>\n"
_TAIL = "  </body>\n</tmx>\n"


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


@register
class TmxExporter(Exporter):
    """Exports pairs as a TMX 1.4b translation memory."""

    name = "tmx"
    title = "TMX 1.4 (translation memory)"
    extension = ".tmx"
    media_type = "application/x-tmx+xml"
    options = frozenset({"segtype"})

    def __init__(self, segtype: str | None = None) -> None:
        """Set the header's ``segtype`` (default: the export's level).

        Raises ``ValueError`` if TMX does not know ``segtype``.
        """
        if segtype is not None and segtype not in SEGTYPES:
            raise ValueError(
                f"unknown TMX segtype '{segtype}'; choose one of: " + ", ".join(SEGTYPES)
            )
        self.segtype = segtype

    def iter_chunks(self, pairs: Iterable[PairRecord], meta: ExportMeta) -> Iterator[str]:
        """Yield the document head, then one ``<tu>`` chunk per two-sided pair, then the tail."""
        self.written = 0
        yield self.format_head(meta)
        # The languages are the same for every unit: escape them once per export.
        tuv_openings = (tuv_opening(meta.source_lang), tuv_opening(meta.target_lang))
        tuids = UnitIds()
        # A translation memory holds translations: one-sided pairs never go in.
        for pair in exportable(pairs, one_sided=False):
            yield format_unit(pair, tuids.of(unit_id_of(pair), pair.position), tuv_openings)
            self.written += 1
        yield _TAIL

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
