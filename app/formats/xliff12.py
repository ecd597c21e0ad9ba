"""XLIFF 1.2 export, valid against the strict schema: one ``<trans-unit>`` per pair.

The review status is told by the standard attributes: a confirmed pair is
``approved="yes"`` with its target ``state="final"``; an automatic one is ``approved="no"``
with ``state="needs-review-translation"``; a rejected one (when the selection keeps it) is
``approved="no"`` with ``state="x-rejected"``, XLIFF 1.2's way of extending the list.
The similarity and the per-scorer scores go in a ``<context-group purpose="information">``
(``context-type`` ``x-similarity`` and ``x-score:NAME``), the QA flags in notes
``from="qa"``, the documents' names in notes of the header. A character XML cannot carry
is written as ``<ph ctype="x-cp">U+XXXX</ph>``. Written as text so that any number of
pairs streams in constant memory.
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
)
from app.segments import BeadStatus, PairRecord

XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"

STATES = {
    BeadStatus.AUTOMATIC: "needs-review-translation",
    BeadStatus.CONFIRMED: "final",
    BeadStatus.REJECTED: "x-rejected",
}
"""The target's ``state`` for each review status."""

CONTROL_CTYPE = "x-cp"
"""The ``<ph ctype>`` of a character XML cannot carry; the element holds ``U+XXXX``."""

HEADER_NOTES = {
    "alinea:source-name": "source_name",
    "alinea:target-name": "target_name",
    "alinea:alignment-id": "alignment_id",
}
"""The header's notes (by ``from``) and the export metadata each one carries."""

_TAIL = "    </body>\n  </file>\n</xliff>\n"


def control_placeholder(cp: int, number: int) -> str:
    """Return the ``<ph>`` standing for the character ``cp``, the ``number``-th of its text."""
    return f'<ph id="cp{number}" ctype="{CONTROL_CTYPE}">U+{cp:04X}</ph>'


def unit_attributes(pair: PairRecord, unit_id: str) -> str:
    """Return the attributes of the ``<trans-unit>`` of ``pair``."""
    approved = "yes" if pair.status is BeadStatus.CONFIRMED else "no"
    return format_attributes({"id": unit_id, "approved": approved}) + ' xml:space="preserve"'


def format_context(pair: PairRecord) -> str:
    """Return the ``<context-group>`` with the similarity and scores; empty when unscored."""
    values = [] if pair.similarity is None else [("x-similarity", pair.similarity)]
    values += [(f"x-score:{name}", score) for name, score in scores_of(pair).items()]
    if not values:
        return ""
    contexts = "".join(
        f'          <context context-type="{escape_attribute(kind)}">{score:.3f}</context>\n'
        for kind, score in values
    )
    return f'        <context-group purpose="information">\n{contexts}        </context-group>\n'


def format_notes(pair: PairRecord) -> str:
    """Return the ``<note>`` lines of ``pair``: the reviewer's note, then one per QA flag."""
    notes = []
    if pair.note and pair.note.strip():
        notes.append(f'        <note from="reviewer">{escape_text(pair.note)}</note>\n')
    for flag in flags_of(pair):
        text = f"{flag.get('check', '')}: {flag.get('message', '')}"
        notes.append(f'        <note from="qa" priority="2">{escape_text(text)}</note>\n')
    return "".join(notes)


def format_unit(pair: PairRecord, unit_id: str) -> str:
    """Return the ``<trans-unit>`` of ``pair``, children in the order XLIFF 1.2 requires."""
    source = escape_segment(pair.source, control_placeholder)
    target = escape_segment(pair.target, control_placeholder)
    return (
        f"      <trans-unit{unit_attributes(pair, unit_id)}>\n"
        f"        <source>{source}</source>\n"
        f'        <target state="{STATES[pair.status]}">{target}</target>\n'
        f"{format_context(pair)}"
        f"{format_notes(pair)}"
        "      </trans-unit>\n"
    )


def header_notes(meta: ExportMeta) -> str:
    """Return the header's notes naming the documents and the alignment."""
    lines = []
    for origin, field in HEADER_NOTES.items():
        value = getattr(meta, field)
        if value is not None:
            lines.append(f'      <note from="{origin}">{escape_text(str(value))}</note>\n')
    return "".join(lines)


@register
class Xliff12Exporter(DocumentExporter):
    """Exports pairs as an XLIFF 1.2 document with one file."""

    name = "xliff12"
    title = "XLIFF 1.2"
    extension = ".xlf"
    media_type = "application/x-xliff+xml"
    tail = _TAIL

    def start(self, meta: ExportMeta) -> None:
        self.unit_ids = UnitIds()

    def format_unit(self, pair: PairRecord) -> str:
        """Return the ``<trans-unit>`` of ``pair`` under its own id."""
        return format_unit(pair, self.unit_ids.of(unit_id_of(pair), pair.position))

    def format_head(self, meta: ExportMeta) -> str:
        """Return everything before the first ``<trans-unit>``."""
        original = meta.source_name or f"alignment {meta.alignment_id or ''}".strip()
        file_attributes = format_attributes(
            {
                "original": original,
                "source-language": meta.source_lang,
                "target-language": meta.target_lang,
                "datatype": "plaintext",
            }
        )
        tool = format_attributes(
            {"tool-id": "alinea", "tool-name": "Alinea", "tool-version": meta.tool_version}
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<xliff version="1.2" xmlns="{XLIFF12_NS}">\n'
            f"  <file{file_attributes}>\n"
            f"    <header>\n      <tool{tool}/>\n{header_notes(meta)}    </header>\n"
            "    <body>\n"
        )
