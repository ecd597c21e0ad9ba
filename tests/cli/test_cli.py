"""The ``alinea`` command, as a translator uses it: import, align, export, and bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from translate.storage import tmx

from app.cli import main
from app.store import db as store_db
from app.store import models

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "dw-2025-02-17-mexico-border"


@pytest.fixture
def run(database_url, tmp_path):
    """Invoke ``alinea`` against the test database; returns click's Result."""
    runner = CliRunner()
    env = {"DATABASE_URL": database_url, "ALINEA_INSTANCE": str(tmp_path / "instance")}

    def invoke(*args: str):
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


def row_counts(database_url: str) -> dict[str, int]:
    engine = store_db.make_engine(database_url)
    with engine.connect() as connection:
        counts = {
            model.__tablename__: connection.scalar(select(func.count()).select_from(model))
            for model in (models.Document, models.Segment, models.Alignment, models.Bead)
        }
    engine.dispose()
    return counts


def test_import_prints_the_new_document_id_and_stores_its_segments(run, database_url):
    result = run("import", str(CORPUS / "en.txt"))
    assert result.exit_code == 0, result.stderr
    document_id = int(result.stdout.strip().splitlines()[-1])
    assert "28 segments, language en" in result.stderr
    engine = store_db.make_engine(database_url)
    with store_db.make_session_factory(engine)() as session:
        document = session.get(models.Document, document_id)
        assert document.language == "en"
        assert len(document.segments) == 28
    engine.dispose()


def test_align_then_export_gives_a_tmx_and_a_tsv_with_every_pair(run, tmp_path, database_url):
    result = run("align", str(CORPUS / "es.txt"), str(CORPUS / "en.txt"))
    assert result.exit_code == 0, result.stderr
    alignment_id = result.stdout.strip().splitlines()[-1]
    assert alignment_id.isdigit()
    assert "28 beads, 8 one-sided" in result.stderr
    # Both levels report the scorers chosen for Spanish-English.
    assert "paragraphs: scorers for es-en: semantic (use-multilingual-v3)" in result.stderr
    assert "sentences: scorers for es-en: semantic (use-multilingual-v3)" in result.stderr

    tmx_path, tsv_path = tmp_path / "pairs.tmx", tmp_path / "pairs.tsv"
    assert run("export", alignment_id, "--format", "tmx", "-o", str(tmx_path)).exit_code == 0
    assert run("export", alignment_id, "--format", "tsv", "-o", str(tsv_path)).exit_code == 0

    store = tmx.tmxfile.parsefile(str(tmx_path))
    assert len(store.units) == 20
    languages = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in _tuvs(tmx_path)}
    assert languages == {"es", "en"}
    with tsv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, dialect="excel-tab"))
    assert rows[0] == ["source", "target", "similarity", "status", "note"]
    assert len(rows) == 1 + 20
    assert len(tsv_path.read_text(encoding="utf-8").splitlines()) == 1 + 20


def test_documents_already_imported_can_be_aligned_by_id(run):
    es = run("import", str(CORPUS / "es.txt")).stdout.split()[-1]
    en = run("import", str(CORPUS / "en.txt")).stdout.split()[-1]
    result = run("align", es, en)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].isdigit()


def test_export_of_confirmed_pairs_only_is_empty_before_review(run, tmp_path):
    alignment_id = run("align", str(CORPUS / "es.txt"), str(CORPUS / "en.txt")).stdout.split()[-1]
    out = tmp_path / "confirmed.tsv"
    result = run("export", alignment_id, "--format", "tsv", "--confirmed-only", "-o", str(out))
    assert result.exit_code == 0
    assert "wrote 0 pairs" in result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def _tuvs(path):
    import xml.etree.ElementTree as ET

    return ET.parse(path).getroot().iter("tuv")


# --- bad input: one line on stderr, a non-zero exit, nothing written ---------------------


@pytest.fixture
def bad_files(tmp_path):
    files = {
        "empty": tmp_path / "empty.txt",
        "binary": tmp_path / "photo.png",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return files


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("missing", "no such file"),
        ("empty", "empty"),
        ("binary", "binary"),
        ("unknown language", "unknown language code 'xx'"),
        ("aligned with itself", "same text"),
    ],
)
def test_align_refuses_bad_input_with_one_line_and_writes_nothing(
    run, database_url, bad_files, tmp_path, case, expected
):
    en = str(CORPUS / "en.txt")
    args = {
        "missing": ["align", str(tmp_path / "nowhere.txt"), en],
        "empty": ["align", str(bad_files["empty"]), en],
        "binary": ["align", str(bad_files["binary"]), en],
        "unknown language": ["align", str(CORPUS / "es.txt"), en, "--src-lang", "xx"],
        "aligned with itself": ["align", en, en],
    }[case]
    before = row_counts(database_url)
    result = run(*args)
    assert result.exit_code != 0
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert row_counts(database_url) == before


@pytest.mark.parametrize("case", ["missing", "empty", "binary", "unknown language"])
def test_import_refuses_bad_input_and_writes_nothing(run, database_url, bad_files, tmp_path, case):
    args = {
        "missing": ["import", str(tmp_path / "nowhere.txt")],
        "empty": ["import", str(bad_files["empty"])],
        "binary": ["import", str(bad_files["binary"])],
        "unknown language": ["import", str(CORPUS / "en.txt"), "--lang", "klingon"],
    }[case]
    before = row_counts(database_url)
    result = run(*args)
    assert result.exit_code != 0
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert row_counts(database_url) == before


def test_a_document_id_that_does_not_exist_is_refused(run):
    result = run("align", "9999", str(CORPUS / "en.txt"))
    assert result.exit_code != 0
    assert "there is no document 9999" in result.stderr


def test_aligning_a_stored_document_with_itself_is_refused(run, database_url):
    en = run("import", str(CORPUS / "en.txt")).stdout.split()[-1]
    before = row_counts(database_url)
    result = run("align", en, en)
    assert result.exit_code != 0
    assert "same text" in result.stderr
    assert row_counts(database_url) == before


def test_exporting_an_alignment_that_does_not_exist_writes_no_file(run, tmp_path):
    out = tmp_path / "nothing.tmx"
    result = run("export", "4242", "-o", str(out))
    assert result.exit_code != 0
    assert "there is no alignment 4242" in result.stderr
    assert not out.exists()
    assert list(tmp_path.glob(".nothing.tmx.*")) == []


@pytest.mark.parametrize(
    ("option", "value", "listed"),
    [
        ("--check", "numbrs", "'numbers', 'names', 'quotes'"),
        ("--format", "xlsx", "'csv', 'jsonl', 'moses', 'tmx'"),
    ],
)
def test_an_unknown_check_or_format_is_refused_with_the_valid_names(
    run, tmp_path, option, value, listed
):
    out = tmp_path / "pairs.tmx"
    result = run("export", "1", option, value, "-o", str(out))
    assert result.exit_code == 2
    assert f"'{value}' is not one of" in result.stderr and listed in result.stderr
    assert not out.exists()


def test_align_leaves_the_pairs_checked_without_a_qa_run(run, database_url):
    result = run("align", str(CORPUS / "es.txt"), str(CORPUS / "en.txt"), "--no-mt")
    assert result.exit_code == 0, result.stderr
    engine = store_db.make_engine(database_url)
    with engine.connect() as connection:
        flags = connection.scalars(select(models.Bead.flags)).all()
    engine.dispose()
    assert any(flags), "the one-sided passages of the corpus pair are flagged at once"


def test_commands_on_an_outdated_database_say_what_to_run(tmp_path):
    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    env = {"DATABASE_URL": url, "ALINEA_INSTANCE": str(tmp_path / "instance")}
    result = runner.invoke(main, ["import", str(CORPUS / "en.txt")], env=env)
    assert result.exit_code != 0
    assert "run `alinea db upgrade`" in result.stderr
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    assert runner.invoke(main, ["import", str(CORPUS / "en.txt")], env=env).exit_code == 0


def test_demo_sets_up_the_database_and_aligns_the_corpus_pair_once(tmp_path):
    runner = CliRunner()
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
        "ALINEA_INSTANCE": str(tmp_path / "instance"),
    }
    first = runner.invoke(main, ["demo", "--no-serve"], env=env, catch_exceptions=False)
    second = runner.invoke(main, ["demo", "--no-serve"], env=env, catch_exceptions=False)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.split()[-1] == second.stdout.split()[-1]
    assert "/alignments/" in first.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("export", "99999999999999999999", "--format", "tmx", "-o", "pairs.tmx"),
        ("qa", "99999999999999999999"),
        ("jobs", "show", "99999999999999999999"),
        ("align", "99999999999999999999", "2147483648"),
    ],
)
def test_an_id_too_large_for_the_database_is_simply_not_found(run, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = run(*args)

    assert result.exit_code != 0
    assert result.stderr.startswith("Error: there is no ")
    assert len(result.stderr.splitlines()) == 1


def test_demo_on_a_busy_port_says_so_before_doing_anything(tmp_path):
    import socket

    runner = CliRunner()
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
        "ALINEA_INSTANCE": str(tmp_path / "instance"),
    }
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(main, ["demo", "--port", str(port)], env=env)

    assert result.exit_code != 0
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert f"--port {port + 1}" in result.stderr
    # Nothing was reported as done: no alignment address, no database.
    assert "/alignments/" not in result.stderr
    assert not (tmp_path / "demo.db").exists()
