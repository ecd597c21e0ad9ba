"""XLIFF 1.2 export: one ``<trans-unit>`` per pair, with ``approved`` and ``state``.

Confirmed pairs are ``approved="yes"`` with the target ``state="final"``; automatic and
rejected ones are ``approved="no"`` with ``state="needs-review-translation"``. Alinea's
own status and similarity travel as attributes in its namespace, QA flags as notes
``from="qa"``. Written as text so that any number of pairs streams in constant memory.
"""

from __future__ import annotations

from app.formats.base import DocumentExporter, ExportMeta, flags_of, register
from app.formats.tmx import escape_text, format_attributes
from app.formats.xliff_reader import ALINEA_NS
from app.segments import BeadStatus, PairRecord

XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"

_TAIL = "    </body>\n  </file>\n</xliff>\n"


def unit_attributes(pair: PairRecord) -> str:
    """Return the attributes of the ``<trans-unit>`` of ``pair``."""
    attributes = {
        "id": str(pair.position),
        "approved": "yes" if pair.status is BeadStatus.CONFIRMED else "no",
        "alinea:status": str(pair.status),
    }
    if pair.similarity is not None:
        attributes["alinea:similarity"] = f"{pair.similarity:.3f}"
    return format_attributes(attributes) + ' xml:space="preserve"'


def format_notes(pair: PairRecord) -> str:
    """Return the ``<note>`` lines of ``pair``: the reviewer's note, then one per QA flag."""
    notes = []
    if pair.note and pair.note.strip():
        notes.append(f'        <note from="reviewer">{escape_text(pair.note)}</note>\n')
    for flag in flags_of(pair):
        text = f"{flag.get('check', '')}: {flag.get('message', '')}"
        notes.append(f'        <note from="qa" priority="2">{escape_text(text)}</note>\n')
    return "".join(notes)


def format_unit(pair: PairRecord) -> str:
    """Return the ``<trans-unit>`` of ``pair``, children in the order XLIFF 1.2 requires."""
    state = "final" if pair.status is BeadStatus.CONFIRMED else "needs-review-translation"
    return (
        f"      <trans-unit{unit_attributes(pair)}>\n"
        f"        <source>{escape_text(pair.source)}</source>\n"
        f'        <target state="{state}">{escape_text(pair.target)}</target>\n'
        f"{format_notes(pair)}"
        "      </trans-unit>\n"
    )


@register
class Xliff12Exporter(DocumentExporter):
    """Exports pairs as an XLIFF 1.2 document with one file."""

    name = "xliff12"
    title = "XLIFF 1.2"
    extension = ".xlf"
    media_type = "application/x-xliff+xml"
    tail = _TAIL
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
            f'<xliff version="1.2" xmlns="{XLIFF12_NS}" xmlns:alinea="{ALINEA_NS}">\n'
            f"  <file{file_attributes}>\n"
            f"    <header>\n      <tool{tool}/>\n    </header>\n"
            "    <body>\n"
        )
