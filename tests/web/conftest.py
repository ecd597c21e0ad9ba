"""Fixtures for the review UI: the store read back, and an alignment with hostile text."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.align.result import AlignmentResult
from app.ingest import LoadedDocument
from app.review.keys import GAP
from app.segments import BeadSpan, Segment, SegmentKind
from app.services import add_document, store_alignment
from app.store import accounts, models
from app.store.db import transaction

HOSTILE = "<script>alert(1)</script>"


def stored_beads(sessions, alignment_id: int) -> list[models.Bead]:
    """The alignment's beads as the store has them now, in document order.

    Each carries its ``position`` (its rank, the pair number the page shows) as a plain
    attribute: the store keeps only sort keys.
    """
    with sessions() as session:
        beads = list(
            session.scalars(
                select(models.Bead)
                .where(models.Bead.alignment_id == alignment_id)
                .order_by(models.Bead.sort_key)
            )
        )
    for position, bead in enumerate(beads):
        bead.position = position
    return beads


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


def insert_synthetic_alignment(sessions, beads: int, flagged: tuple[int, ...] = ()) -> int:
    """Two documents of ``beads`` paragraphs each, aligned one to one; returns the alignment id.

    Similarities cycle through 0.30..0.99 so that every filter and order has work to do.
    """
    with transaction(sessions) as session:
        ids = []
        for language in ("es", "en"):
            segments = [Segment(f"{language} paragraph {k} text") for k in range(beads)]
            ids.append(
                add_document(session, loaded_document(f"Long {language}", language, segments))
            )
        result = AlignmentResult(
            beads=[
                BeadSpan(k, k + 1, k, k + 1, round(0.3 + (k * 7 % 70) / 100, 2), {})
                for k in range(beads)
            ],
            method="synthetic/1",
            parameters={"scorers": []},
        )
        alignment = store_alignment(session, ids[0], ids[1], result)
        for position, bead in enumerate(alignment.beads):
            if position in flagged:
                bead.flags = [{"check": "numbers", "message": f"number mismatch in {position}"}]
        return alignment.id


@pytest.fixture
def long_alignment(sessions) -> int:
    """An alignment of 450 beads: three pages; beads 5 and 300 carry QA flags."""
    return insert_synthetic_alignment(sessions, 450, flagged=(5, 300))


@pytest.fixture
def sentence_alignment(sessions, hostile_alignment) -> tuple[int, int]:
    """A sentence-level alignment under the hostile paragraph alignment: (parent, child).

    Its sentences reuse the paragraph positions 0..n, so a query that forgets the level
    would show paragraph text in the sentence view.
    """
    with transaction(sessions) as session:
        parent = session.get(models.Alignment, hostile_alignment)
        for document, texts in (
            (parent.source, ["Frase uno.", "Frase dos."]),
            (parent.target, ["Sentence one.", "Sentence two."]),
        ):
            for k, text in enumerate(texts):
                session.add(
                    models.Segment(
                        document_id=document.id,
                        level="sentence",
                        position=k,
                        paragraph=0,
                        kind="paragraph",
                        text=text,
                    )
                )
        child = models.Alignment(
            source_id=parent.source_id,
            target_id=parent.target_id,
            level="sentence",
            parent_id=parent.id,
            method="by-hand/1",
            parameters={},
        )
        child.beads = [
            models.Bead(sort_key=k * GAP, src_start=k, src_end=k + 1, tgt_start=k, tgt_end=k + 1)
            for k in range(2)
        ]
        session.add(child)
        session.flush()
        return parent.id, child.id


# Accounts ---------------------------------------------------------------------------------

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Team:
    """Accounts and projects for the role tests: every role of project "news", an outsider
    who belongs only to project "archive", and an administrator."""

    news_alignment: int
    archive_alignment: int


def add_account(sessions, name: str, role: str, project: str = "news") -> None:
    with transaction(sessions) as session:
        user = accounts.create_user(session, name, PASSWORD, is_admin=role == "admin")
        if role != "admin":
            accounts.set_membership(session, accounts.get_project(session, project), user, role)


def move_to_project(sessions, alignment_id: int, project: str) -> None:
    """Put an alignment, its sentence level and its documents into ``project``."""
    with transaction(sessions) as session:
        project_id = accounts.get_project(session, project).id
        alignment = session.get(models.Alignment, alignment_id)
        alignment.project_id = project_id
        alignment.source.project_id = project_id
        alignment.target.project_id = project_id
        for child in session.scalars(
            select(models.Alignment).where(models.Alignment.parent_id == alignment_id)
        ):
            child.project_id = project_id


@pytest.fixture
def team(sessions, hostile_alignment) -> Team:
    with transaction(sessions) as session:
        accounts.create_project(session, "news", "Newsroom")
        accounts.create_project(session, "archive", "Archive")
    for name, role in (("vera", "viewer"), ("rita", "reviewer"), ("rudi", "reviewer")):
        add_account(sessions, name, role)
    add_account(sessions, "eddie", "editor")
    add_account(sessions, "nora", "reviewer", project="archive")
    add_account(sessions, "ada", "admin")
    move_to_project(sessions, hostile_alignment, "news")
    archive = insert_synthetic_alignment(sessions, 5)
    move_to_project(sessions, archive, "archive")
    return Team(news_alignment=hostile_alignment, archive_alignment=archive)


def login(client, name: str, password: str = PASSWORD, next_page: str | None = None):
    """Log ``client`` in through the login form (with its CSRF token); returns the answer."""
    page = client.get("/login").get_data(as_text=True)
    data = {"name": name, "password": password}
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if match:
        data["csrf_token"] = match.group(1)
    if next_page:
        data["next"] = next_page
    return client.post("/login", data=data)


@pytest.fixture
def as_user(app):
    """A function giving a new client logged in as the named user."""

    def client_for(name: str):
        client = app.test_client()
        response = login(client, name)
        assert response.status_code == 303, response.get_data(as_text=True)
        return client

    return client_for
