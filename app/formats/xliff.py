"""XLIFF 2.1 export: one ``<unit>`` per pair, with a single segment.

The segment's ``state`` follows the review status (automatic → ``initial``, confirmed →
``final``; a rejected pair, when the selection keeps it, is ``initial`` with the
``subState`` ``alinea:rejected``). The similarity, the per-scorer scores and the QA flags go
in the Metadata module (``mda:``), which XLIFF 2 tools keep and may ignore; so do the
names of the two documents, at file level. A character XML cannot carry is written as
the core's ``<cp hex="..."/>``. Written as text, like TMX, so that any number of pairs
streams in constant memory.
"""

from __future__ import annotations

from app.formats.base import (
    DocumentExporter,
    ExportMeta,
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
    is_nmtoken,
)
from app.segments import BeadStatus, PairRecord

XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
METADATA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"

STATES = {
    BeadStatus.AUTOMATIC: "initial",
    BeadStatus.CONFIRMED: "final",
    BeadStatus.REJECTED: "initial",
}
"""XLIFF 2 segment state for each review status."""

_TAIL = "  </file>\n</xliff>\n"


def control_placeholder(cp: int, number: int) -> str:
    """Return the ``<cp>`` standing for the character ``cp`` inside a source or target."""
    return f'<cp hex="{cp:04X}"/>'


def format_meta(meta_type: str, value: str, indent: str = "          ") -> str:
    """Return one ``<mda:meta>`` line."""
    attribute = escape_attribute(meta_type)
    return f'{indent}<mda:meta type="{attribute}">{escape_text(value)}</mda:meta>\n'


def format_group(category: str, values: list[tuple[str, str]], indent: str = "        ") -> str:
    """Return a ``<mda:metaGroup>`` of ``values``; empty when there are none (not allowed)."""
    if not values:
        return ""
    lines = "".join(format_meta(meta_type, value, indent + "  ") for meta_type, value in values)
    return f'{indent}<mda:metaGroup category="{category}">\n{lines}{indent}</mda:metaGroup>\n'


def file_values(meta: ExportMeta) -> list[tuple[str, str]]:
    """Return what the file says about its documents, as metadata (type, value)."""
    optional = {
        "source-name": meta.source_name,
        "target-name": meta.target_name,
        "alignment-id": meta.alignment_id,
    }
    return [(kind, str(value)) for kind, value in optional.items() if value is not None]


def alinea_values(pair: PairRecord) -> list[tuple[str, str]]:
    """Return the status, similarity and scores of ``pair`` as metadata (type, value)."""
    values = [("status", str(pair.status))]
    if pair.similarity is not None:
        values.append(("similarity", f"{pair.similarity:.3f}"))
    values += [(f"score:{name}", f"{score:.3f}") for name, score in scores_of(pair).items()]
    return values


def qa_values(pair: PairRecord) -> list[tuple[str, str]]:
    """Return the QA flags of ``pair`` as metadata (check, message)."""
    return [(str(flag.get("check", "")), str(flag.get("message", ""))) for flag in flags_of(pair)]


def format_unit(pair: PairRecord, unit_id: str) -> str:
    """Return the ``<unit>`` of ``pair``: metadata, notes, then its one segment."""
    groups = format_group("alinea", alinea_values(pair)) + format_group("qa", qa_values(pair))
    parts = [f'    <unit id="{escape_attribute(unit_id)}">\n']
    parts.append(f"      <mda:metadata>\n{groups}      </mda:metadata>\n")
    if pair.note and pair.note.strip():
        parts.append(
            f"      <notes>\n        <note>{escape_text(pair.note)}</note>\n      </notes>\n"
        )
    state = f'state="{STATES[pair.status]}"'
    if pair.status is BeadStatus.REJECTED:
        state += ' subState="alinea:rejected"'
    parts.append(f"      <segment {state}>\n")
    source = escape_segment(pair.source, control_placeholder)
    target = escape_segment(pair.target, control_placeholder)
    parts.append(f"        <source>{source}</source>\n")
    parts.append(f"        <target>{target}</target>\n")
    parts.append("      </segment>\n    </unit>\n")
    return "".join(parts)


@register
class XliffExporter(DocumentExporter):
    """Exports pairs as an XLIFF 2.1 document with one file."""

    name = "xliff"
    title = "XLIFF 2.1"
    extension = ".xliff"
    media_type = "application/xliff+xml"
    tail = _TAIL

    def start(self, meta: ExportMeta) -> None:
        # XLIFF 2 ids are NMTOKENs: an imported id that is not one is replaced.
        self.unit_ids = UnitIds(prefix="u", valid=is_nmtoken)

    def format_unit(self, pair: PairRecord) -> str:
        """Return the ``<unit>`` of ``pair`` under its own id."""
        return format_unit(pair, self.unit_ids.of(unit_id_of(pair), pair.position))

    def format_tail(self) -> str:
        # A <file> must hold at least one unit or group: an export of no pairs gets an
        # empty group, so that it is still a valid file.
        return ('    <group id="empty"/>\n' if self.written == 0 else "") + self.tail

    def format_head(self, meta: ExportMeta) -> str:
        """Return everything before the first ``<unit>``."""
        root = format_attributes(
            {"version": "2.1", "srcLang": meta.source_lang, "trgLang": meta.target_lang}
        )
        original = meta.source_name or f"alignment {meta.alignment_id or ''}".strip()
        file_attributes = format_attributes({"id": "f1", "original": original})
        groups = format_group("alinea", file_values(meta), "      ")
        metadata = f"    <mda:metadata>\n{groups}    </mda:metadata>\n" if groups else ""
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<xliff xmlns="{XLIFF2_NS}" xmlns:mda="{METADATA_NS}"{root}>\n'
            f'  <file{file_attributes} xml:space="preserve">\n{metadata}'
        )
