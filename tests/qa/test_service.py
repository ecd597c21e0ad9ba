"""QA and exchange use cases on the stored corpus alignment (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.formats import TmxExporter, XliffExporter
from app.segments import BeadStatus
from app.services import export_meta, get_alignment, set_bead_status
from app.services.exchange import (
    export_selection,
    import_bilingual,
    iter_export_pairs,
    read_bilingual,
)
from app.services.qa import run_qa
from app.store import db as store_db
from app.store import models


def test_run_qa_stores_flags_only_on_one_sided_beads_of_the_corpus(sessions, demo_alignment):
    with store_db.transaction(sessions) as session:
        report = run_qa(session, get_alignment(session, demo_alignment))
    assert report.beads == 28 and report.flagged == 8
    with sessions() as session:
        beads = session.scalars(select(models.Bead).order_by(models.Bead.sort_key)).all()
        assert [b.id for b in beads if b.flags] == [b.id for b in beads if b.one_sided]
        assert beads[1].flags[-1] == {
            "check": "omission",
            "message": "likely omission: this passage of the original has no translation",
        }


def test_export_filters_on_flags_status_and_one_sided(sessions, demo_alignment):
    with store_db.transaction(sessions) as session:
        run_qa(session, get_alignment(session, demo_alignment))
        bead = session.scalars(select(models.Bead).order_by(models.Bead.sort_key)).all()[3]
        set_bead_status(session, bead.id, BeadStatus.CONFIRMED)
    with sessions() as session:
        alignment = get_alignment(session, demo_alignment)

        def positions(**options) -> list[int]:
            pairs = iter_export_pairs(session, alignment, export_selection(**options))
            return [pair.position for pair in pairs]

        assert len(positions()) == 20
        assert positions(statuses=frozenset({BeadStatus.CONFIRMED})) == [3]
        assert positions(flagged=True) == []
        assert positions(flagged=True, one_sided=True) == [1, 21, 22, 23, 24, 25, 26, 27]
        assert positions(checks=frozenset({"omission"}), one_sided=True) == [1]
        # A threshold above the weakest pair leaves it out (confirmed pairs always pass,
        # unless the filter is asked to apply to them too).
        weakest = min(
            pair.similarity for pair in iter_export_pairs(session, alignment, export_selection())
        )
        above = weakest + 0.00005
        assert len(positions(min_similarity=above, similarity_for_confirmed=True)) < 20


def test_tmx_and_xliff_exports_import_back_as_the_same_alignment(
    sessions, demo_alignment, tmp_path: Path
):
    for exporter in (TmxExporter(), XliffExporter()):
        with sessions() as session:
            alignment = get_alignment(session, demo_alignment)
            meta = export_meta(alignment, "test", alignment.created_at)
            pairs = list(iter_export_pairs(session, alignment, export_selection()))
        path = tmp_path / f"round{exporter.extension}"
        with path.open("w", encoding="utf-8", newline="") as handle:
            exporter.write(pairs, meta, handle)
        bilingual = read_bilingual(path)
        with store_db.transaction(sessions) as session:
            imported_id = import_bilingual(session, bilingual).id
        with sessions() as session:
            imported = get_alignment(session, imported_id)
            again = list(iter_export_pairs(session, imported, export_selection()))
            assert (imported.source.language, imported.target.language) == ("es", "en")
        assert [(p.source, p.target, p.status) for p in again] == [
            (p.source, p.target, p.status) for p in pairs
        ]


def test_a_refused_file_writes_nothing(sessions, database_url, tmp_path: Path):
    path = tmp_path / "bad.tmx"
    path.write_text("<tmx version='1.4'><header srclang='en'/><body><tu>", encoding="utf-8")
    try:
        read_bilingual(path)
    except ValueError as error:
        assert "not well-formed XML" in str(error)
    with sessions() as session:
        assert session.scalars(select(models.Alignment)).all() == []
