"""Comparisons in the store: built from pair alignments, read back as pivot rows that follow
every review change, extended one version at a time, exported."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from app.services import comparison_view, comparisons
from app.services import review as review_service
from app.services.review import Operation
from app.store import db as store_db
from app.store import models

SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "schemas"


def read(sessions, comparison_id: int, level: str = "paragraph"):
    """The comparison's pivot with every text and flag read, its session closed."""
    with sessions() as session:
        comparison = comparisons.get(session, comparison_id)
        pivot = comparisons.pivot(session, comparison, level)
        pivot.load_all()
        return pivot


@pytest.mark.parametrize("level", ["paragraph", "sentence"])
def test_every_version_text_appears_once_and_in_order(sessions, stored_comparison, level):
    pivot = read(sessions, stored_comparison, level)
    assert [c.label for c in pivot.columns] == ["Original", "published", "literal"]
    for column in pivot.columns:
        shown = [s for row in pivot.rows for s in pivot.segments(row, column.index)]
        assert shown == pivot.all_texts(column.index)


def test_the_literal_version_lines_up_with_the_published_one(sessions, stored_comparison):
    pivot = read(sessions, stored_comparison)
    row = next(r for r in pivot.rows if "Apuesta por una militarización" in pivot.text(r, 0))
    assert pivot.text(row, 2) == "A bet on a failed militarization"
    assert "militarization" in pivot.text(row, 1).lower()
    # The translator's note exists only in the literal version: it ends the last row.
    assert pivot.text(pivot.rows[-1], 2).endswith("way of thinking.]")


def test_a_review_change_in_a_pair_alignment_shows_in_the_comparison_at_once(
    sessions, stored_comparison
):
    before = read(sessions, stored_comparison)
    alignment_id = before.alignments[0]
    with store_db.transaction(sessions) as session:
        alignment = session.get(models.Alignment, alignment_id)
        review_service.apply_operation(
            session, alignment_id, alignment.version, Operation("merge_next", 4)
        )
    after = read(sessions, stored_comparison)
    assert len(after.rows) < len(before.rows)
    for column in after.columns:
        shown = [s for row in after.rows for s in after.segments(row, column.index)]
        assert shown == after.all_texts(column.index)


def test_adding_a_version_aligns_only_that_version(
    sessions, stored_comparison, corpus_versions, computed_versions
):
    original, _ = corpus_versions
    with sessions() as session:
        alignments_before = session.scalar(select(func.count()).select_from(models.Alignment))
        kept = [v.alignment_id for v in comparisons.get(session, stored_comparison).versions]
    # A third version: the literal one with one word changed.
    from app.ingest import load_text

    changed = load_text(
        (Path(original.origin).parent / "en-literal.txt")
        .read_text()
        .replace("A bet on a failed militarization", "A wager on a failed militarization")
        .encode(),
        "en-revised.txt",
        lang="en",
    )
    (_, pair), *_ = comparisons.compute_all(
        sessions, original, [comparisons.VersionInput(changed, "revised")], use_mt=False
    )
    with store_db.transaction(sessions) as session:
        comparisons.store_version(session, comparisons.get(session, stored_comparison), pair)
    with sessions() as session:
        comparison = comparisons.get(session, stored_comparison)
        assert [v.alignment_id for v in comparison.versions][:2] == kept
        assert session.scalar(select(func.count()).select_from(models.Alignment)) == (
            alignments_before + 2  # the new version's paragraph and sentence levels
        )
        pivot = comparisons.pivot(session, comparison)
        row = next(r for r in pivot.rows if "Apuesta por una militarización" in pivot.text(r, 0))
        pairs = comparisons.same_language_pairs(pivot.columns)
        view = comparison_view.row_view(pivot, 0, row, pairs)
    revised = view.cells[3]
    assert revised.base == 2
    assert [(p.kind, p.text.strip()) for p in revised.pieces if p.kind != "same"] == [
        ("del", "bet"),
        ("ins", "wager"),
    ]


def test_qa_flags_of_the_pair_alignments_show_in_the_rows(sessions, stored_comparison):
    pivot = read(sessions, stored_comparison)
    with sessions() as session:
        flags = session.scalars(
            select(models.Bead.flags).where(models.Bead.alignment_id.in_(pivot.alignments))
        )
        flagged = sum(len(f or []) for f in flags)
    shown = sum(len(pivot.flags(row, k)) for row in pivot.rows for k in (1, 2))
    assert flagged > 0 and shown == flagged


def test_sorting_by_divergence_puts_the_most_different_rows_first(sessions, stored_comparison):
    pivot = read(sessions, stored_comparison)
    page = comparison_view.page(pivot, comparison_view.RowFilter(sort="divergence"))
    values = [row.divergence for row in page.rows]
    assert values == sorted(values, reverse=True)
    filtered = comparison_view.page(pivot, comparison_view.RowFilter(min_divergence=0.5))
    assert filtered.total < len(pivot.rows)
    assert all(row.divergence >= 0.5 for row in filtered.rows)


def test_the_summary_scores_the_two_english_versions_with_signatures(sessions, stored_comparison):
    pivot = read(sessions, stored_comparison)
    versions, pairs = comparison_view.summary(pivot)
    assert [v.column.label for v in versions] == ["published", "literal"]
    (pair,) = pairs
    assert [s.name for s in pair.scores] == ["chrF2", "BLEU", "TER"]
    assert all("version:" in s.signature for s in pair.scores)
    assert 0 < pair.scores[1].score < 100


def export(sessions, comparison_id: int, format_name: str) -> str:
    pivot = read(sessions, comparison_id)
    chunks = comparison_view.export_chunks(
        pivot, comparison_id, "Mexico border", format_name, datetime(2026, 1, 1, tzinfo=UTC)
    )
    return "".join(chunks)


def test_multilingual_tmx_has_one_tuv_per_version_told_apart_by_a_prop(
    sessions, stored_comparison, tmp_path
):
    text = export(sessions, stored_comparison, "tmx")
    tree = etree.fromstring(text.encode())
    units = tree.findall("body/tu")
    assert len(units) == len(read(sessions, stored_comparison).rows)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    full = [u for u in units if len(u.findall("tuv")) == 3]
    assert full
    tuvs = full[0].findall("tuv")
    assert [t.get(xml_lang) for t in tuvs] == ["es", "en", "en"]
    assert [t.find("prop").text for t in tuvs] == ["original", "version 1", "version 2"]
    dtd = SCHEMAS / "tmx14.dtd"
    if not dtd.exists():
        pytest.skip(f"{dtd} is absent")
    validator = etree.DTD(str(dtd))
    assert validator.validate(tree), validator.error_log.filter_from_errors()


def test_translate_toolkit_reads_the_multilingual_tmx(sessions, stored_comparison, tmp_path):
    from translate.storage.tmx import tmxfile

    path = tmp_path / "comparison.tmx"
    path.write_text(export(sessions, stored_comparison, "tmx"), encoding="utf-8")
    with path.open("rb") as handle:
        store = tmxfile(handle)
    units = [u for u in store.units if u.source]
    assert units and any("Trump" in u.source for u in units)
    assert any(u.target for u in units)


@pytest.mark.parametrize(("format_name", "dialect"), [("csv", "excel"), ("tsv", "excel-tab")])
def test_csv_and_tsv_have_one_column_per_version(sessions, stored_comparison, format_name, dialect):
    rows = list(csv.reader(io.StringIO(export(sessions, stored_comparison, format_name)), dialect))
    header, body = rows[0], rows[1:]
    assert header[:4] == [
        "row",
        "original (es): Original",
        "version 1 (en): published",
        "version 2 (en): literal",
    ]
    assert len(body) == len(read(sessions, stored_comparison).rows)
    assert body[0][1].startswith("Trump empuja")


def test_jsonl_starts_with_the_columns_then_one_object_per_row(sessions, stored_comparison):
    lines = [json.loads(line) for line in export(sessions, stored_comparison, "jsonl").splitlines()]
    assert [c["label"] for c in lines[0]["columns"]] == ["Original", "published", "literal"]
    assert all(len(line["texts"]) == 3 for line in lines[1:])


def test_a_cell_that_looks_like_a_formula_is_defused_in_csv():
    from app.compare.export import FORMATS, ExportColumn, ExportInfo, ExportRow, write_tmx

    columns = [ExportColumn(0, "Original", "en", "original"), ExportColumn(1, "v", "en", "given")]
    rows = [ExportRow(0, ('=HYPERLINK("x")', "<b>&</b>"), (None, 0.5))]
    info = ExportInfo(1, "t", "paragraph", datetime(2026, 1, 1, tzinfo=UTC), "0")
    text = "".join(FORMATS["csv"].write(columns, rows, info))
    assert "'=HYPERLINK" in text
    tmx = "".join(write_tmx(columns, rows, info))
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in tmx


def test_a_version_already_in_the_comparison_is_refused(
    sessions, stored_comparison, computed_versions
):
    from app.errors import InvalidRequest

    _version, pair = computed_versions[0]
    with (
        pytest.raises(InvalidRequest, match="already a version"),
        store_db.transaction(sessions) as session,
    ):
        comparisons.store_version(session, comparisons.get(session, stored_comparison), pair)
    assert len(read(sessions, stored_comparison).columns) == 3
