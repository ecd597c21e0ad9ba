"""Exchanging alignments with other tools: import a TMX or XLIFF as an alignment, export
an alignment's pairs with filters.

Each function takes an open session; the caller decides the transaction, so an import
that fails writes nothing. Exports read beads and segments as three ordered streams, so
memory stays constant however many pairs there are.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Text, func, select, type_coerce
from sqlalchemy.orm import Session

from app.errors import InvalidRequest, NotFound
from app.formats import BilingualDocument, DetailedPair
from app.formats.reader import reader_for_path
from app.ingest import IngestError, LoadedDocument
from app.ingest.document import MAX_SEGMENTS
from app.review.keys import GAP
from app.segments import BeadStatus, Segment
from app.services import add_document
from app.store import models, segments
from app.store.beads import RANGES
from app.store.queries import sentence_level
from app.store.selection import BeadSelection

LEVELS = ("paragraph", "sentence")
BATCH = 2000


def is_bilingual(path: str | os.PathLike[str]) -> bool:
    """Return True when the file at ``path`` is a TMX or XLIFF file, by extension or content."""
    return reader_for_path(path) is not None


def read_bilingual(
    path: str | os.PathLike[str], max_units: int = MAX_SEGMENTS
) -> BilingualDocument:
    """Return the bilingual file at ``path`` read by the reader for its extension or, when
    the extension says nothing, for its root element.

    Raises IngestError for a file that is not TMX or XLIFF, one the reader refuses, or one
    with more than ``max_units`` units (each becomes a segment on both sides).
    """
    reader = reader_for_path(path)
    if reader is None:
        raise IngestError(
            f"{Path(path).name}: not a bilingual file (neither a .tmx, .xlf or .xliff name "
            "nor a <tmx> or <xliff> root element)"
        )
    bilingual = reader.read_path(path)
    if len(bilingual.units) > max_units:
        raise IngestError(
            f"{Path(path).name}: the file has {len(bilingual.units):,} units, more than the "
            f"{max_units:,} one alignment may have (ALINEA_MAX_SEGMENTS)"
        )
    return bilingual


def side_document(
    bilingual: BilingualDocument, texts: list[str], language: str, title: str | None
) -> LoadedDocument:
    """Return one side of a bilingual file as a document with one segment per unit.

    ``title`` is the name the file gives the document; without one, the file's name and
    the language make the title.
    """
    text = "\n\n".join(texts)
    return LoadedDocument(
        title=title or f"{bilingual.name} ({language})",
        language=language,
        text=text,
        segments=[Segment(part) for part in texts],
        checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        origin=bilingual.name,
    )


def import_bilingual(
    session: Session, bilingual: BilingualDocument, project_id: int | None = None
) -> models.Alignment:
    """Store a bilingual file's two sides as documents and its units as an alignment.

    They belong to the project ``project_id`` (None: the default project).

    Each unit becomes one bead with the unit's status (confirmed unless the file says
    otherwise); a unit with one empty side becomes a one-sided bead. A file that carries no
    Alinea scores or flags is checked by QA at once.
    """
    units = [unit for unit in bilingual.units if unit.source.strip() or unit.target.strip()]
    sources = [unit.source for unit in units if unit.source.strip()]
    targets = [unit.target for unit in units if unit.target.strip()]
    if not sources or not targets:
        raise IngestError(f"{bilingual.name}: one side of the file has no text at all")
    source_side = side_document(bilingual, sources, bilingual.source_lang, bilingual.source_name)
    target_side = side_document(bilingual, targets, bilingual.target_lang, bilingual.target_name)
    source = add_document(session, source_side, project_id, same_title=True)
    target = add_document(session, target_side, project_id, same_title=True)
    parameters: dict[str, Any] = {"file": bilingual.name[:500], "units": len(units)}
    if bilingual.level in LEVELS:
        # Units are stored as paragraph-level beads whatever they hold; the level the file
        # declared is remembered so that an export declares it again.
        parameters["unit_level"] = bilingual.level
    alignment = models.Alignment(
        source_id=source.id,
        target_id=target.id,
        project_id=project_id,
        level="paragraph",
        method=f"import:{bilingual.format}",
        parameters=parameters,
    )
    beads, src, tgt = [], 0, 0
    for position, unit in enumerate(units):
        src_end = src + (1 if unit.source.strip() else 0)
        tgt_end = tgt + (1 if unit.target.strip() else 0)
        beads.append(
            models.Bead(
                sort_key=position * GAP,
                src_start=src,
                src_end=src_end,
                tgt_start=tgt,
                tgt_end=tgt_end,
                similarity=unit.similarity,
                scores=dict(unit.scores),
                status=unit.status.value,
                note=unit.note[:5000] if unit.note else None,
                flags=[dict(flag) for flag in unit.flags],
                unit_id=unit.unit_id[:200] if unit.unit_id else None,
            )
        )
        src, tgt = src_end, tgt_end
    alignment.beads = beads
    session.add(alignment)
    session.flush()
    if not any(unit.flags or unit.scores or unit.similarity is not None for unit in units):
        # A file from another tool is checked at once, as every new alignment is; one of
        # Alinea's own exports carries its checks' flags, which stay as they were, so that
        # export, import and export again give the same file.
        from app.services.qa import check_new

        check_new(session, alignment)
    return alignment


# The statuses an export takes unless told otherwise: rejected pairs are left out.
EXPORTED = frozenset({BeadStatus.AUTOMATIC, BeadStatus.CONFIRMED})


def export_selection(
    *,
    statuses: frozenset[BeadStatus] = EXPORTED,
    min_similarity: float | None = None,
    level: str = "paragraph",
    flagged: bool | None = None,
    checks: frozenset[str] = frozenset(),
    one_sided: bool = False,
    similarity_for_confirmed: bool = False,
) -> BeadSelection:
    """Which beads an export takes, with an export's defaults.

    ``statuses``: the review statuses kept (default: automatic and confirmed).
    ``min_similarity``: keep only beads scored at least this (one-sided beads have no score);
    a confirmed bead passes whatever its score, unless ``similarity_for_confirmed``.
    ``level``: "paragraph", or "sentence" for the sentence alignment refining the one given.
    ``flagged``: True keeps only beads with QA flags, False only those without.
    ``checks``: keep only beads flagged by one of these checks.
    ``one_sided``: keep one-sided beads *as well* (formats that cannot hold them still skip
    them); without it an export takes two-sided beads only. (In ``BeadSelection`` itself,
    ``one_sided=True`` means one-sided beads only, as on the review page.)
    """
    return BeadSelection(
        statuses=statuses,
        min_similarity=min_similarity,
        similarity_for_confirmed=similarity_for_confirmed,
        level=level,
        flagged=flagged,
        checks=checks,
        one_sided=None if one_sided else False,
    )


def alignment_at_level(
    session: Session, alignment: models.Alignment, level: str
) -> models.Alignment:
    """Return ``alignment`` itself, or its newest sentence-level refinement; raise if none."""
    if level not in LEVELS:
        raise InvalidRequest(f"level must be one of {', '.join(LEVELS)}, not '{level}'")
    if alignment.level == level:
        return alignment
    if level == "paragraph":
        if alignment.parent is None:
            raise NotFound(f"alignment {alignment.id} has no paragraph level")
        return alignment.parent
    child = sentence_level(session, alignment.id)
    if child is None:
        raise NotFound(f"alignment {alignment.id} has not been aligned at sentence level")
    return child


class SegmentStream:
    """A document's segment texts read in order, handing out the ranges beads ask for.

    Beads are contiguous and ordered, so their ranges only move forward: only the segments
    of the current bead are kept.
    """

    def __init__(self, rows: Iterable[Any]) -> None:
        self._rows = iter(rows)
        self._buffer: deque[Any] = deque()
        self._done = False

    def texts(self, start: int, end: int) -> list[str]:
        """Return the texts of the segments at positions ``[start, end)``."""
        if start >= end:
            return []
        while self._buffer and self._buffer[0][0] < start:
            self._buffer.popleft()
        while not self._done and (not self._buffer or self._buffer[-1][0] < end - 1):
            row = next(self._rows, None)
            if row is None:
                self._done = True
            elif row[0] >= start:
                self._buffer.append(row)
        return [text for position, text in self._buffer if start <= position < end]

    def joined(self, start: int, end: int) -> str:
        """Return the texts of the segments at ``[start, end)`` joined by spaces."""
        return " ".join(self.texts(start, end))


def _bead_query(alignment: models.Alignment, selection: BeadSelection):
    bead = models.Bead
    # A pair's number is its position among all the alignment's beads (its rank by sort
    # key), numbered before the selection leaves some out.
    numbered = (
        select(
            (func.row_number().over(order_by=bead.sort_key) - 1).label("position"),
            bead.sort_key,
            *RANGES,
            bead.similarity,
            # Read as text and decoded below: SQLAlchemy's JSON processing costs more than
            # the export of the pair itself, and most beads have no flags at all.
            type_coerce(bead.scores, Text).label("scores"),
            bead.status,
            bead.note,
            type_coerce(bead.flags, Text).label("flags"),
            bead.updated_at,
            bead.unit_id,
        )
        .where(bead.alignment_id == alignment.id)
        .subquery()
    )
    c = numbered.c
    query = (
        select(
            c.position,
            c.src_start,
            c.src_end,
            c.tgt_start,
            c.tgt_end,
            c.similarity,
            c.scores,
            c.status,
            c.note,
            c.flags,
            c.updated_at,
            c.unit_id,
        )
        # The flags are read anyway: they are filtered as they are decoded (``_pairs``).
        .where(*selection.conditions(bead=c, with_flags=False))
        .order_by(c.sort_key)
    )
    return query


def count_one_sided(session: Session, alignment: models.Alignment, selection: BeadSelection) -> int:
    """How many one-sided pairs of the selection's statuses the alignment (at the selection's
    level) has: the pairs an export without one-sided units leaves out."""
    chosen = _chosen(session, alignment, selection)
    bead = models.Bead
    statuses = BeadSelection(statuses=selection.statuses, one_sided=True)
    return (
        session.scalar(
            select(func.count())
            .select_from(bead)
            .where(bead.alignment_id == chosen.id, *statuses.conditions())
        )
        or 0
    )


def _chosen(
    session: Session, alignment: models.Alignment, selection: BeadSelection
) -> models.Alignment:
    """The alignment at the selection's level (itself when the selection names none)."""
    if selection.level is None:
        return alignment
    return alignment_at_level(session, alignment, selection.level)


def iter_export_pairs(
    session: Session, alignment: models.Alignment, selection: BeadSelection
) -> Iterator[DetailedPair]:
    """Yield the selected beads of ``alignment`` (at the selection's level) as pairs, in order.

    Beads and the segments of both documents are read as ordered streams, in batches.
    """
    chosen = _chosen(session, alignment, selection)
    # (position, text) of each segment, in order: what a SegmentStream reads.
    columns = (models.Segment.position, models.Segment.text)
    # Separate sessions: each stream keeps a cursor open while the others are read.
    # Core connections rather than ORM sessions: rows are plain tuples, which is much
    # faster for a million of them. The segment streams get connections of their own,
    # since each keeps a cursor open while the others are read.
    engine = session.get_bind()
    with engine.connect() as source_connection, engine.connect() as target_connection:
        streamed = {"stream_results": True, "yield_per": BATCH}
        source_rows = source_connection.execution_options(**streamed).execute(
            segments.query(chosen.source_id, chosen.level, *columns)
        )
        target_rows = target_connection.execution_options(**streamed).execute(
            segments.query(chosen.target_id, chosen.level, *columns)
        )
        beads = (
            session.connection()
            .execution_options(**streamed)
            .execute(_bead_query(chosen, selection))
        )
        try:
            yield from _pairs(
                beads, SegmentStream(source_rows), SegmentStream(target_rows), selection
            )
        finally:
            # Server-side cursors must be closed even when the consumer stops early.
            for result in (beads, source_rows, target_rows):
                result.close()


def _pairs(
    beads: Iterable[Any], source: SegmentStream, target: SegmentStream, selection: BeadSelection
) -> Iterator[DetailedPair]:
    """Yield the pair of each bead row that passes the flag filters."""
    statuses = {status.value: status for status in BeadStatus}
    for row in beads:
        flags = _json(row[9], [])
        if not selection.accepts_flags(flags):
            continue
        yield DetailedPair(
            row[0],
            source.joined(row[1], row[2]),
            target.joined(row[3], row[4]),
            row[5],
            statuses[row[7]],
            row[8],
            row[10],
            _json(row[6], {}),
            tuple(flags),
            row[11],
        )


def _json(value: Any, empty: Any) -> Any:
    """Return a JSON column's value: decoded from text, or as the driver already decoded it."""
    if value is None or value in ("[]", "{}", "null"):
        return empty
    return json.loads(value) if isinstance(value, str) else value
