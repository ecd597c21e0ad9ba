"""TMX 1.4b export: a header describing the memory, then one ``<tu>`` per two-sided pair.

The document is written as text rather than built as a tree so that any number of pairs
streams in constant memory; escaping and cleaning are therefore done here by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime

from app.formats.base import Exporter, ExportMeta, as_utc, flags_of, has_text, register
from app.segments import PairRecord

SEGTYPES = ("block", "paragraph", "sentence", "phrase")
"""The segmentation levels TMX 1.4b allows in the header's ``segtype``."""

# Everything outside the XML 1.0 Char production: C0 controls other than tab, newline and
# CR, lone surrogates, and U+FFFE/U+FFFF.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_TUV_CLOSING = "</seg>\n      </tuv>\n"
_TAIL = "  </body>\n</tmx>\n"


def xml_safe(text: str) -> str:
    """Return ``text`` without the characters XML 1.0 cannot carry at all."""
    # XML 1.0 forbids these even as character references, so no escaping can keep them
    # and one of them makes parsers reject the whole file. In prose they are debris from
    # conversions (a stray \x01, half of a broken emoji), so dropping them loses nothing
    # a translator could use.
    return _NOT_XML_CHAR.sub("", text)


def escape_text(text: str) -> str:
    """Return ``text`` made safe as XML element content."""
    # '&' goes first so the references added after it are not escaped again. '>' only
    # needs escaping inside ']]>', but always escaping it is simpler and harmless. CR goes
    # out as a reference because parsers turn a literal CR into a newline.
    return (
        xml_safe(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def escape_attribute(value: str) -> str:
    """Return ``value`` made safe inside a double-quoted XML attribute."""
    # Tab and newline go out as references because parsers normalise literal ones in
    # attribute values to spaces.
    return escape_text(value).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


def tmx_date(moment: datetime) -> str:
    """Return ``moment`` in the TMX date format, ``YYYYMMDDThhmmssZ`` in UTC."""
    # Formatted by hand: strftime is a noticeable share of a million-pair export.
    utc = as_utc(moment)
    day = f"{utc.year:04d}{utc.month:02d}{utc.day:02d}"
    return f"{day}T{utc.hour:02d}{utc.minute:02d}{utc.second:02d}Z"


def is_writable(pair: PairRecord) -> bool:
    """Return True when both sides of ``pair`` still have text once made XML-safe."""
    # A side made only of forbidden characters would become an empty <seg>, which is as
    # useless to a translation memory as a one-sided bead.
    return has_text(xml_safe(pair.source)) and has_text(xml_safe(pair.target))


def format_attributes(attributes: dict[str, str]) -> str:
    """Return ``attributes`` as ` name="value"` pairs, in the order given."""
    return "".join(f' {name}="{escape_attribute(value)}"' for name, value in attributes.items())


def format_prop(prop_type: str, value: str, indent: str) -> str:
    """Return one ``<prop>`` line (with its newline) carrying ``value``."""
    # Prop types are this module's own ASCII constants, so only the value is escaped.
    return f'{indent}<prop type="{prop_type}">{escape_text(value)}</prop>\n'


def tuv_opening(lang: str) -> str:
    """Return the text that opens a ``<tuv>`` in language ``lang`` and its ``<seg>``."""
    return f'      <tuv xml:lang="{escape_attribute(lang)}">\n        <seg>'


def format_unit(pair: PairRecord, tuv_openings: tuple[str, str]) -> str:
    """Return the ``<tu>`` element for ``pair``, children in DTD order: note*, prop*, tuv+.

    ``tuv_openings`` are the ``tuv_opening`` texts of the source and target languages.
    """
    changedate = "" if pair.changed_at is None else f' changedate="{tmx_date(pair.changed_at)}"'
    parts = [f'    <tu tuid="{pair.position:d}"{changedate}>\n']
    if pair.note and has_text(pair.note):
        parts.append(f"      <note>{escape_text(pair.note)}</note>\n")
    if pair.similarity is not None:
        parts.append(format_prop("x-similarity", f"{pair.similarity:.3f}", "      "))
    parts.append(format_prop("x-status", str(pair.status), "      "))
    for flag in flags_of(pair):
        message = f"{flag.get('check', '')}: {flag.get('message', '')}"
        parts.append(format_prop("x-qa", message, "      "))
    # Nothing may be added inside <seg>: its whitespace belongs to the segment.
    source_opening, target_opening = tuv_openings
    parts.append(f"{source_opening}{escape_text(pair.source)}{_TUV_CLOSING}")
    parts.append(f"{target_opening}{escape_text(pair.target)}{_TUV_CLOSING}")
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

    def __init__(self, segtype: str = "paragraph") -> None:
        """Set the header's ``segtype``; raises ``ValueError`` if TMX does not know it."""
        if segtype not in SEGTYPES:
            raise ValueError(
                f"unknown TMX segtype '{segtype}'; choose one of: " + ", ".join(SEGTYPES)
            )
        self.segtype = segtype

    def iter_chunks(self, pairs: Iterable[PairRecord], meta: ExportMeta) -> Iterator[str]:
        """Yield the document head, then one ``<tu>`` chunk per writable pair, then the tail."""
        yield self.format_head(meta)
        # The languages are the same for every unit: escape them once per export.
        tuv_openings = (tuv_opening(meta.source_lang), tuv_opening(meta.target_lang))
        for pair in pairs:
            if is_writable(pair):
                yield format_unit(pair, tuv_openings)
        yield _TAIL

    def format_head(self, meta: ExportMeta) -> str:
        """Return everything before the first ``<tu>``: declaration, root, header, ``<body>``."""
        attributes = format_attributes(
            {
                "creationtool": "Alinea",
                "creationtoolversion": meta.tool_version,
                "segtype": self.segtype,
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
