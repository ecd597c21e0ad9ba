"""A 100,000-paragraph document imports whole (the figures are in docs/reliability.md, measured
with ``bench/large_document.py``)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.ingest import load_document
from app.services import add_document, list_documents
from app.store import db as store_db
from app.store import models
from bench.large_document import write_document


def test_a_100000_paragraph_document_imports_whole(tmp_path):
    text = tmp_path / "long.txt"
    write_document(text, 100_000)
    url = f"sqlite:///{tmp_path / 'alinea.db'}"
    store_db.upgrade(url)
    engine = store_db.make_engine(url)
    sessions = store_db.make_session_factory(engine)

    loaded = load_document(text)
    with store_db.transaction(sessions) as session:
        document_id = add_document(session, loaded).id

    with sessions() as session:
        stored = session.scalar(
            select(func.count()).where(models.Segment.document_id == document_id)
        )
        last = session.scalar(
            select(models.Segment.text).where(
                models.Segment.document_id == document_id, models.Segment.position == 99_999
            )
        )
        listed = dict((document.id, count) for document, count in list_documents(session))
    engine.dispose()
    assert loaded.language == "en"
    assert stored == 100_000
    assert last.endswith("number 99999.")
    assert listed[document_id] == 100_000
