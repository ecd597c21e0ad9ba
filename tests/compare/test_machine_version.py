"""Apertium's translation of the original as an optional reference version."""

from __future__ import annotations

import os

import pytest

from app.align import mt as apertium
from app.ingest import load_text
from app.services import comparisons
from app.store.comparisons import VersionKind


@pytest.fixture(scope="module")
def spa_eng():
    if apertium.direction("es", "en") != "spa-eng":
        reason = "Apertium with spa-eng is not installed (apt-get install apertium-eng-spa)"
        if os.environ.get("ALINEA_REQUIRE_APERTIUM") == "1":
            pytest.fail(reason + " (ALINEA_REQUIRE_APERTIUM=1)")
        pytest.skip(reason)


def test_the_machine_version_translates_the_original_paragraph_by_paragraph(spa_eng):
    original = load_text(
        b"La frontera\n\nLos migrantes esperan en la frontera.", "o.txt", lang="es"
    )
    machine = comparisons.machine_version(original, "en")
    assert machine is not None and machine.language == "en"
    assert len(machine.segments) == 2
    assert "border" in machine.segments[1].text.lower()
    assert [s.kind for s in machine.segments] == [s.kind for s in original.segments]


def test_a_language_apertium_lacks_gives_no_machine_version():
    original = load_text(b"Une phrase.", "o.txt", lang="fr")
    assert comparisons.machine_version(original, "ja") is None


def test_the_machine_version_becomes_a_column_marked_as_such(spa_eng, sessions, corpus_versions):
    from app.store import db as store_db

    original, (published, _literal) = corpus_versions
    inputs = [
        comparisons.VersionInput(published, "published"),
        comparisons.VersionInput(
            comparisons.machine_version(original, "en"), "Apertium MT", VersionKind.MACHINE
        ),
    ]
    computed = comparisons.compute_all(sessions, original, inputs, use_mt=False)
    with store_db.transaction(sessions) as session:
        comparison_id = comparisons.store_all(session, original, computed).id
    with sessions() as session:
        pivot = comparisons.pivot(session, comparisons.get(session, comparison_id))
    assert [c.kind for c in pivot.columns] == ["original", "given", "machine"]
    assert comparisons.same_language_pairs(pivot.columns) == [(1, 2)]
