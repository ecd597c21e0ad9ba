"""The accounts migration: existing work lands in the default project, and it reverses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from app.store import db
from tests.conftest import _drop_postgres_database, _postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    url, name = _postgres_database()
    yield url
    _drop_postgres_database(name)


def test_documents_from_before_accounts_belong_to_the_default_project(fresh_url):
    db.upgrade(fresh_url, "0002")
    engine = db.make_engine(fresh_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO documents (title, language, origin, text, checksum, created_at) "
                "VALUES ('Old', 'en', 'old.txt', 'Old text.', 'abc', :now)"
            ),
            {"now": datetime.now(UTC)},
        )
    engine.dispose()

    db.upgrade(fresh_url)

    engine = db.make_engine(fresh_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT title, project_id FROM documents")).all() == [
            ("Old", None)
        ]
        assert connection.execute(text("SELECT name FROM projects")).scalars().all() == ["default"]
    engine.dispose()
    db.downgrade(fresh_url, "0002")
    engine = db.make_engine(fresh_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT title FROM documents")).scalars().all() == ["Old"]
    engine.dispose()
    db.upgrade(fresh_url)
