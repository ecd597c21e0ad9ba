"""XLIFF 2: export as XLIFF 2.1, one ``<unit>`` per pair with a single segment; import of 2.x.

The segment's ``state`` follows the review status (automatic → ``initial``, confirmed →
``final``; a rejected pair, when the selection keeps it, is ``initial`` with the
``subState`` ``alinea:rejected``). The similarity, the per-scorer scores and the QA flags go
in the Metadata module (``mda:``), which XLIFF 2 tools keep and may ignore; so do the
names of the two documents, at file level. A character XML cannot carry is written as
the core's ``<cp hex="..."/>``. Written as text, like TMX, so that any number of pairs
streams in constant memory.

A 2.x file is read unit by unit, the segments of a unit joined (``read_xliff2``); what
both versions share, and the reader that takes either, is in ``app.formats.xliff_common``.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.formats import reader
from app.formats.base import DocumentExporter, ExportMeta, flags_of, scores_of
from app.formats.reader import BilingualDocument, BilingualUnit
from app.formats.registry import FileFormat, register_format
from app.formats.safexml import children, descendants, local_name
from app.formats.xliff_common import XliffReader, text_of, version_reader, xliff_document
from app.formats.xmltext import (
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


class XliffExporter(DocumentExporter):
    """Exports pairs as an XLIFF 2.1 document with one file."""

    tail = "  </file>\n</xliff>\n"
    # XLIFF 2 ids are NMTOKENs: an imported id that is not one is replaced.
    id_prefix = "u"
    valid_id = staticmethod(is_nmtoken)

    format_unit = staticmethod(format_unit)

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


def metas_list(element: Element, category: str) -> list[tuple[str, str]]:
    """Return the 2.x ``<meta>`` (type, value) of ``element``'s own metadata groups of
    ``category``, in file order."""
    return [
        (meta.get("type", ""), meta.text or "")
        for metadata in children(element, "metadata")
        for group in descendants(metadata, "metaGroup")
        if group.get("category") == category
        for meta in children(group, "meta")
    ]


def metas(element: Element, category: str) -> dict[str, str]:
    """Return the 2.x metadata ``<meta>`` values of ``element`` in groups of ``category``."""
    return dict(metas_list(element, category))


def status_2(segments: list[Element], own: dict[str, str]) -> BeadStatus:
    """Return the status of an XLIFF 2.x unit from Alinea's meta or its segments' states."""
    status = reader.parse_status(own.get("status"))
    if status is not None:
        return status
    states = {segment.get("state", "initial") for segment in segments}
    return BeadStatus.AUTOMATIC if "initial" in states else BeadStatus.CONFIRMED


def unit_2(unit: Element) -> BilingualUnit:
    """Return the unit of an XLIFF 2.x ``<unit>``; its segments are joined with spaces."""
    parts = [part for part in unit if local_name(part) in ("segment", "ignorable")]
    segments = [part for part in parts if local_name(part) == "segment"]
    own = metas(unit, "alinea")
    notes = [note.text or "" for note in descendants(unit, "note")]
    scores = {
        kind.removeprefix("score:"): score
        for kind, value in own.items()
        if kind.startswith("score:") and (score := reader.parse_score(value)) is not None
    }
    qa = tuple({"check": check, "message": message} for check, message in metas_list(unit, "qa"))
    return BilingualUnit(
        source="".join(text_of(part, "source") for part in parts),
        target="".join(text_of(part, "target") for part in parts),
        status=status_2(segments, own),
        similarity=reader.parse_similarity(own.get("similarity")),
        note="\n".join(notes) or None,
        unit_id=unit.get("id") or None,
        scores=scores,
        flags=qa,
    )


@version_reader("2.")
def read_xliff2(root: Element, name: str) -> BilingualDocument:
    """Return the units of an XLIFF 2.x document; the first file's metadata names it."""
    files = children(root, "file")
    described = metas(files[0], "alinea") if files else {}
    return xliff_document(
        name,
        (root.get("srcLang"), root.get("trgLang")),
        [unit_2(unit) for unit in descendants(root, "unit")],
        (described.get("source-name"), described.get("target-name")),
    )


register_format(
    FileFormat(
        name="xliff",
        title="XLIFF 2.1",
        extensions=(".xliff", ".xlf2"),
        media_type="application/xliff+xml",
        exporter=XliffExporter,
        reader=XliffReader,
    )
)
