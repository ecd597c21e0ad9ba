"""XLIFF import, versions 1.0-1.2 and 2.x: every unit with its source, target and state.

Alinea's own status (a ``status`` meta in 2.x; in 1.2 the ``x-rejected`` state, or the
``alinea:status`` attribute of older exports) wins so that an export round-trips.
Otherwise a unit counts as confirmed unless the file says it is not yet translated or
reviewed (1.2 ``state="new"``/``needs-*``, 2.x ``initial``). Unit ids, Alinea's scores,
QA flags and the documents' names are read back too.
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
from app.formats.safexml import children, descendants, inline_text, local_name
from app.ingest.errors import IngestError, shown
from app.segments import BeadStatus

ALINEA_NS = "urn:alinea:xliff"
"""Namespace of the extension attributes of Alinea's older XLIFF 1.2 exports."""
REJECTED_STATE_1 = "x-rejected"

# Inline elements holding native codes rather than text, in 1.2 and 2.x.
NATIVE_CODE = frozenset({"bpt", "ept", "it", "ph", "x", "bx", "ex", "sc", "ec"})
UNREVIEWED_STATES_1 = frozenset(
    {"new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-translation",
     "needs-review-adaptation", "needs-review-l10n"}
)  # fmt: skip


def text_of(parent: Element, name: str) -> str:
    """Return the text of ``parent``'s first ``name`` child, or an empty string."""
    found = children(parent, name)
    return inline_text(found[0], NATIVE_CODE) if found else ""


def status_1(unit: Element, target: Element | None) -> BeadStatus:
    """Return the status of an XLIFF 1.x ``<trans-unit>``."""
    own = parse_status(unit.get(f"{{{ALINEA_NS}}}status"))
    if own is not None:
        return own
    state = target.get("state") if target is not None else None
    if state == REJECTED_STATE_1:
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
    qa = [parse_flag(note.text) for note in children(unit, "note") if note.get("from") == "qa"]
    context = contexts_1(unit)
    similarity = context.get("x-similarity") or unit.get(f"{{{ALINEA_NS}}}similarity")
    scores = {
        kind.removeprefix("x-score:"): score
        for kind, value in context.items()
        if kind.startswith("x-score:") and (score := parse_score(value)) is not None
    }
    return BilingualUnit(
        source=text_of(unit, "source"),
        target=text_of(unit, "target"),
        status=status_1(unit, targets[0] if targets else None),
        similarity=parse_similarity(similarity),
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
    status = parse_status(own.get("status"))
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
        if kind.startswith("score:") and (score := parse_score(value)) is not None
    }
    qa = tuple({"check": check, "message": message} for check, message in metas_list(unit, "qa"))
    return BilingualUnit(
        source="".join(text_of(part, "source") for part in parts),
        target="".join(text_of(part, "target") for part in parts),
        status=status_2(segments, own),
        similarity=parse_similarity(own.get("similarity")),
        note="\n".join(notes) or None,
        unit_id=unit.get("id") or None,
        scores=scores,
        flags=qa,
    )


@register_reader
class XliffReader(Reader):
    """Reads XLIFF 1.x and 2.x files as source/target units."""

    name = "xliff"
    extensions = (".xlf", ".xliff", ".xlf2", ".sdlxliff", ".mxliff")
    roots = ("xliff",)

    def parse(self, root: Element, name: str) -> BilingualDocument:
        """Return the units of every ``<file>``; the first file gives the languages."""
        if local_name(root) != "xliff":
            raise IngestError(
                f"{name}: not an XLIFF file (the root element is <{shown(local_name(root))}>)"
            )
        version = root.get("version", "")
        if version.startswith("2."):
            return self._parse_2(root, name)
        if version.startswith("1.") or not version:
            return self._parse_1(root, name)
        raise IngestError(f"{name}: unsupported XLIFF version '{shown(version)}'")

    def _parse_1(self, root: Element, name: str) -> BilingualDocument:
        files = children(root, "file")
        if not files:
            raise IngestError(f"{name}: not a valid XLIFF file (no <file>)")
        described = header_notes_1(files[0])
        return BilingualDocument(
            name=name,
            format=self.name,
            source_lang=language_code(files[0].get("source-language"), name, "source"),
            target_lang=language_code(files[0].get("target-language"), name, "target"),
            units=[unit_1(unit) for file in files for unit in descendants(file, "trans-unit")],
            source_name=described.get("alinea:source-name") or None,
            target_name=described.get("alinea:target-name") or None,
        )

    def _parse_2(self, root: Element, name: str) -> BilingualDocument:
        files = children(root, "file")
        described = metas(files[0], "alinea") if files else {}
        return BilingualDocument(
            name=name,
            format=self.name,
            source_lang=language_code(root.get("srcLang"), name, "source"),
            target_lang=language_code(root.get("trgLang"), name, "target"),
            units=[unit_2(unit) for unit in descendants(root, "unit")],
            source_name=described.get("source-name") or None,
            target_name=described.get("target-name") or None,
        )
