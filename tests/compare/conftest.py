"""The corpus article with its two English versions, aligned once per run."""

from __future__ import annotations

import pytest

from app.ingest import load_document
from app.services import comparisons
from app.store import db as store_db
from tests.conftest import CORPUS


@pytest.fixture(scope="session")
def corpus_versions():
    """(Spanish original, [published English, literal English]) as imported documents."""
    return load_document(CORPUS / "es.txt"), [
        load_document(CORPUS / "en.txt"),
        load_document(CORPUS / "en-literal.txt"),
    ]


@pytest.fixture(scope="session")
def computed_versions(corpus_versions, tmp_path_factory):
    """Both versions aligned with the original (no database needed but the embedding cache)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cache') / 'cache.db'}"
    store_db.upgrade(url)
    engine = store_db.make_engine(url)
    sessions = store_db.make_session_factory(engine)
    original, versions = corpus_versions
    inputs = [
        comparisons.VersionInput(versions[0], "published"),
        comparisons.VersionInput(versions[1], "literal"),
    ]
    computed = comparisons.compute_all(sessions, original, inputs, use_mt=False)
    engine.dispose()
    return computed


@pytest.fixture
def stored_comparison(sessions, corpus_versions, computed_versions) -> int:
    original, _versions = corpus_versions
    with store_db.transaction(sessions) as session:
        return comparisons.store_all(session, original, computed_versions, "Mexico border").id
