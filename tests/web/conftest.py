"""Fixtures for the review UI: the store read back, and an alignment with hostile text."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from app.align.aligner import AlignmentResult
from app.ingest import LoadedDocument
from app.segments import BeadSpan, Segment, SegmentKind
from app.services import add_document, store_alignment
from app.store import models
from app.store.db import transaction

HOSTILE = "<script>alert(1)</script>"


def stored_beads(sessions, alignment_id: int) -> list[models.Bead]:
    """The alignment's beads as the store has them now, in document order."""
    with sessions() as session:
        return list(
            session.scalars(
                select(models.Bead)
                .where(models.Bead.alignment_id == alignment_id)
                .order_by(models.Bead.position)
            )
        )


def stored_bead(sessions, bead_id: int) -> models.Bead:
    with sessions() as session:
        bead = session.get(models.Bead, bead_id)
        assert bead is not None
        return bead


def two_sided(beads: list[models.Bead]) -> list[models.Bead]:
    return [bead for bead in beads if not bead.one_sided]


def loaded_document(title: str, language: str, segments: list[Segment]) -> LoadedDocument:
    text = "\n\n".join(segment.text for segment in segments)
    return LoadedDocument(
        title=title,
        language=language,
        text=text,
        segments=segments,
        checksum=hashlib.sha256(text.encode()).hexdigest(),
        origin=f"hand-made/{language}.txt",
    )


@pytest.fixture
def hostile_alignment(sessions) -> int:
    """Two documents whose text, title and scores try to inject markup; aligned by hand."""
    source = loaded_document(
        f"Título {HOSTILE}",
        "es",
        [
            Segment(f"Encabezado {HOSTILE}", SegmentKind.HEADING),
            Segment(f'Párrafo con {HOSTILE} y <b>negrita</b> & "comillas".'),
            Segment("Sólo en el original."),
        ],
    )
    target = loaded_document(
        f"Title {HOSTILE}",
        "en",
        [
            Segment(f"Heading {HOSTILE}", SegmentKind.HEADING),
            Segment(f'Paragraph with {HOSTILE} and <b>bold</b> & "quotes".'),
        ],
    )
    result = AlignmentResult(
        beads=[
            BeadSpan(0, 1, 0, 1, 0.93, {"semantic": 0.9, "length": 0.97}),
            BeadSpan(1, 2, 1, 2, 0.42, {"semantic": 0.4, f"<i>{HOSTILE}</i>": 0.5}),
            BeadSpan(2, 3, 2, 2, None, {}),
        ],
        method="by-hand/1",
        parameters={"scorers": ["semantic", "length"]},
    )
    with transaction(sessions) as session:
        stored_source = add_document(session, source)
        stored_target = add_document(session, target)
        return store_alignment(session, stored_source, stored_target, result).id
