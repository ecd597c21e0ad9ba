"""XLIFF 1.2: export valid against the strict schema, one ``<trans-unit>`` per pair; import of 1.x.

The review status is told by the standard attributes: a confirmed pair is
``approved="yes"`` with its target ``state="final"``; an automatic one is ``approved="no"``
with ``state="needs-review-translation"``; a rejected one (when the selection keeps it) is
``approved="no"`` with ``state="x-rejected"``, XLIFF 1.2's way of extending the list.
The similarity and the per-scorer scores go in a ``<context-group purpose="information">``
(``context-type`` ``x-similarity`` and ``x-score:NAME``), the QA flags in notes
``from="qa"``, the documents' names in notes of the header. A character XML cannot carry
is written as ``<ph ctype="x-cp">U+XXXX</ph>``. Written as text so that any number of
pairs streams in constant memory.

A 1.x file (or one that gives no version) is read back by ``read_xliff1``, statuses,
scores, flags and names included; what both versions share, and the reader that takes
either, is in ``app.formats.xliff_common``.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.formats import reader
from app.formats.base import DocumentExporter, ExportMeta, flags_of, scores_of
from app.formats.reader import BilingualDocument, BilingualUnit
from app.formats.registry import FileFormat, register_format
from app.formats.safexml import CONTROL_TYPE, children, descendants
from app.formats.xliff_common import XliffReader, text_of, version_reader, xliff_document
from app.formats.xmltext import escape_attribute, escape_segment, escape_text, format_attributes
from app.ingest.errors import IngestError
from app.segments import BeadStatus, PairRecord

XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"

STATES = {
    BeadStatus.AUTOMATIC: "needs-review-translation",
    BeadStatus.CONFIRMED: "final",
    BeadStatus.REJECTED: "x-rejected",
}
"""The target's ``state`` for each review status."""

HEADER_NOTES = {
    "alinea:source-name": "source_name",
    "alinea:target-name": "target_name",
    "alinea:alignment-id": "alignment_id",
}
"""The header's notes (by ``from``) and the export metadata each one carries."""


def control_placeholder(cp: int, number: int) -> str:
    """Return the ``<ph>`` standing for the character ``cp``, the ``number``-th of its text."""
    return f'<ph id="cp{number}" ctype="{CONTROL_TYPE}">U+{cp:04X}</ph>'


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


class Xliff12Exporter(DocumentExporter):
    """Exports pairs as an XLIFF 1.2 document with one file."""

    tail = "    </body>\n  </file>\n</xliff>\n"

    format_unit = staticmethod(format_unit)

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


ALINEA_NS = "urn:alinea:xliff"
"""Namespace of the extension attributes of Alinea's older XLIFF 1.2 exports."""

UNREVIEWED_STATES_1 = frozenset(
    {"new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-translation",
     "needs-review-adaptation", "needs-review-l10n"}
)  # fmt: skip


def status_1(unit: Element, target: Element | None) -> BeadStatus:
    """Return the status of an XLIFF 1.x ``<trans-unit>``."""
    own = reader.parse_status(unit.get(f"{{{ALINEA_NS}}}status"))
    if own is not None:
        return own
    state = target.get("state") if target is not None else None
    if state == STATES[BeadStatus.REJECTED]:
        return BeadStatus.REJECTED
    if unit.get("approved") == "no" or state in UNREVIEWED_STATES_1:
        return BeadStatus.AUTOMATIC
    return BeadStatus.CONFIRMED


def contexts_1(unit: Element) -> dict[str, str]:
    """Return the ``<context>`` values of a 1.x unit's information groups, by context-type."""
    return {
        context.get("context-type", ""): context.text or ""
        for group in children(unit, "context-group")
        for context in children(group, "context")
    }


def unit_1(unit: Element) -> BilingualUnit:
    """Return the unit of an XLIFF 1.x ``<trans-unit>``."""
    targets = children(unit, "target")
    notes = [note.text or "" for note in children(unit, "note") if note.get("from") != "qa"]
    qa = [
        reader.parse_flag(note.text) for note in children(unit, "note") if note.get("from") == "qa"
    ]
    context = contexts_1(unit)
    similarity = context.get("x-similarity") or unit.get(f"{{{ALINEA_NS}}}similarity")
    scores = {
        kind.removeprefix("x-score:"): score
        for kind, value in context.items()
        if kind.startswith("x-score:") and (score := reader.parse_score(value)) is not None
    }
    return BilingualUnit(
        source=text_of(unit, "source"),
        target=text_of(unit, "target"),
        status=status_1(unit, targets[0] if targets else None),
        similarity=reader.parse_similarity(similarity),
        note="\n".join(notes) or None,
        unit_id=unit.get("id") or None,
        scores=scores,
        flags=tuple(flag for flag in qa if flag),
    )


def header_notes_1(file: Element) -> dict[str, str]:
    """Return the notes of a 1.x file's header by their ``from``."""
    return {
        note.get("from", ""): note.text or ""
        for header in children(file, "header")
        for note in children(header, "note")
    }


@version_reader("1.")
def read_xliff1(root: Element, name: str) -> BilingualDocument:
    """Return the units of an XLIFF 1.x document; the first file gives the languages."""
    files = children(root, "file")
    if not files:
        raise IngestError(f"{name}: not a valid XLIFF file (no <file>)")
    described = header_notes_1(files[0])
    return xliff_document(
        name,
        (files[0].get("source-language"), files[0].get("target-language")),
        [unit_1(unit) for file in files for unit in descendants(file, "trans-unit")],
        (described.get("alinea:source-name"), described.get("alinea:target-name")),
    )


register_format(
    FileFormat(
        name="xliff12",
        title="XLIFF 1.2",
        extensions=(".xlf", ".sdlxliff", ".mxliff"),
        media_type="application/x-xliff+xml",
        exporter=Xliff12Exporter,
        reader=XliffReader,
    )
)
