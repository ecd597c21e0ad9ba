"""Shared fixtures: a migrated database on each backend, the app, and the corpus pair.

Every test that asks for ``database_url`` runs twice: on a SQLite file and on the
PostgreSQL server at 127.0.0.1:5432. Without that server the PostgreSQL runs skip, unless
ALINEA_REQUIRE_POSTGRES=1 (set by .ci/run), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from app.config import Settings
from app.ingest import DEFAULT_LANGUAGES, load_document
from app.services import add_document, store_alignment
from app.store import db as store_db
from app.web import create_app

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "dw-2025-02-17-mexico-border"
POSTGRES_SERVER = os.environ.get(
    "ALINEA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)
TABLES = (
    "comparison_versions",
    "comparisons",
    "job_files",
    "jobs",
    "beads",
    "alignments",
    "segments",
    "documents",
    "embeddings",
    "memberships",
    "known_addresses",
    "users",
    "login_failures",
)


def _postgres_database() -> tuple[str, str]:
    """Create a throw-away database on the test server; return (its URL, its name)."""
    import psycopg

    name = f"alinea_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(POSTGRES_SERVER, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        reason = f"PostgreSQL test server not reachable at {POSTGRES_SERVER}: {error}"
        if os.environ.get("ALINEA_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " (ALINEA_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    base = POSTGRES_SERVER.rsplit("/", 1)[0]
    return f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1), name


def _drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def migrated_database_url(request, tmp_path_factory):
    """A database at the migrations' head, one per backend for the whole run."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'alinea.db'}"
        store_db.upgrade(url)
        yield url
        return
    url, name = _postgres_database()
    store_db.upgrade(url)
    yield url
    _drop_postgres_database(name)


@pytest.fixture
def database_url(migrated_database_url):
    """The backend's database, emptied before the test."""
    engine = store_db.make_engine(migrated_database_url)
    with engine.begin() as connection:
        for table in TABLES:
            connection.execute(text(f"DELETE FROM {table}"))
        # The default project comes with the schema; the others are the tests' own.
        connection.execute(text("DELETE FROM projects WHERE name <> 'default'"))
    engine.dispose()
    return migrated_database_url


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    """Accounts made by tests hash with a fast method; one test checks the real default."""
    from app.store import accounts

    monkeypatch.setattr(accounts, "PASSWORD_METHOD", "pbkdf2:sha256:1000")


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    return Settings(
        database_url=database_url, instance_path=tmp_path / "instance", languages=DEFAULT_LANGUAGES
    )


@pytest.fixture
def app(settings):
    app = create_app(settings, TESTING=True, WTF_CSRF_ENABLED=False)
    yield app
    app.extensions["alinea.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def sessions(app):
    return app.extensions["alinea.sessions"]


@pytest.fixture(scope="session")
def corpus_pair():
    """The corpus pair as imported documents: (Spanish original, English translation)."""
    return load_document(CORPUS / "es.txt"), load_document(CORPUS / "en.txt")


@pytest.fixture(scope="session")
def corpus_result(corpus_pair):
    """The paragraph alignment of the corpus pair, computed once per run."""
    from app.align.levels import align_segments

    es, en = corpus_pair
    return align_segments(es.segments, en.segments, es.language, en.language)


@pytest.fixture
def demo_alignment(sessions, corpus_pair, corpus_result) -> int:
    """The corpus pair imported and aligned in the test database; returns the alignment id."""
    es, en = corpus_pair
    with store_db.transaction(sessions) as session:
        source, target = add_document(session, es), add_document(session, en)
        return store_alignment(session, source, target, corpus_result).id
