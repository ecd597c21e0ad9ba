"""app.store.segments reads one document's segments at one level, in order (both backends)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.segments import Segment, SegmentKind
from app.store import db, models, segments

PARAGRAPHS = [("heading", "Title"), ("paragraph", "One. Two."), ("paragraph", "Three.")]
SENTENCES = [(0, "Title"), (1, "One."), (1, "Two."), (2, "Three.")]


@pytest.fixture
def stored(database_url):
    """A session on a store with two documents; yields (session, first id, second id).

    The first document has three paragraphs and four sentences, added in reverse order
    so that only ORDER BY puts them in order; the second has paragraphs of its own."""
    engine = db.make_engine(database_url)
    with db.make_session_factory(engine)() as session:
        documents = [
            models.Document(title=name, language="en", origin=name, text="", checksum=name)
            for name in ("first", "second")
        ]
        session.add_all(documents)
        session.flush()
        first, second = (document.id for document in documents)
        for position, (kind, text) in reversed(list(enumerate(PARAGRAPHS))):
            session.add(_segment(first, "paragraph", position, text, kind))
        for position, (paragraph, text) in reversed(list(enumerate(SENTENCES))):
            session.add(_segment(first, "sentence", position, text, paragraph=paragraph))
        for position in range(5):
            session.add(_segment(second, "paragraph", position, f"other {position}"))
        session.flush()
        session.expunge_all()
        yield session, first, second
    engine.dispose()


def _segment(document_id, level, position, text, kind="paragraph", paragraph=None):
    return models.Segment(
        document_id=document_id,
        level=level,
        position=position,
        paragraph=paragraph,
        kind=kind,
        text=text,
    )


def test_texts_are_the_documents_own_at_the_level_in_order(stored):
    session, document, _ = stored
    assert segments.texts(session, document, "paragraph") == [t for _, t in PARAGRAPHS]
    assert segments.texts(session, document, "sentence") == [t for _, t in SENTENCES]


def test_a_range_is_half_open_and_either_end_may_stay_open(stored):
    session, document, _ = stored
    assert segments.texts(session, document, "sentence", 1, 3) == ["One.", "Two."]
    assert segments.texts(session, document, "sentence", 2) == ["Two.", "Three."]
    assert segments.texts(session, document, "sentence", end=1) == ["Title"]
    assert segments.texts(session, document, "sentence", 2, 2) == []
    assert segments.texts(session, document, "sentence", 4, 9) == []


def test_pieces_are_plain_segments_with_their_kind(stored):
    session, document, _ = stored
    assert segments.pieces(session, document, "paragraph", 0, 2) == [
        Segment("Title", SegmentKind.HEADING),
        Segment("One. Two.", SegmentKind.PARAGRAPH),
    ]


def test_rows_are_orm_rows_to_change(stored):
    session, document, _ = stored
    rows = segments.rows(session, document, "sentence", 1, 3)
    assert [(row.position, row.paragraph, row.text) for row in rows] == [
        (1, 1, "One."),
        (2, 1, "Two."),
    ]
    rows[0].text = "Uno."
    session.flush()
    assert segments.texts(session, document, "sentence", 1, 2) == ["Uno."]


def test_one_row_by_position_or_none(stored):
    session, document, _ = stored
    row = segments.row(session, document, "paragraph", 2)
    assert row is not None and (row.level, row.text) == ("paragraph", "Three.")
    assert segments.row(session, document, "paragraph", 3) is None


def test_count_and_exist(stored):
    session, document, other = stored
    assert segments.count(session, document, "paragraph") == 3
    assert segments.count(session, document, "sentence") == 4
    assert segments.exist(session, document, "sentence")
    assert segments.count(session, other, "paragraph") == 5
    assert segments.count(session, other, "sentence") == 0
    assert not segments.exist(session, other, "sentence")


def test_condition_and_query_build_the_other_queries(stored):
    session, document, _ = stored
    segment = models.Segment
    by_paragraph = session.execute(
        segments.query(document, "sentence", segment.paragraph, segment.text, start=1)
    ).all()
    assert by_paragraph == [(1, "One."), (1, "Two."), (2, "Three.")]
    # The document may be a column: a count per document as a correlated subquery.
    count = (
        select(func.count(segment.id))
        .where(segments.condition(models.Document.id, "paragraph"))
        .scalar_subquery()
    )
    counts = dict(session.execute(select(models.Document.title, count)).all())
    assert counts == {"first": 3, "second": 5}
