"""`alinea batch`: many pairs, one job each, on local processes or on the queue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from app.jobs import batch

from .conftest import CORPUS


def write_pairs(folder: Path) -> Path:
    """Three pairs cut from the corpus and one whose original is missing; returns the TSV.

    ``first`` and ``second`` are the two halves of the article, each with its translation;
    ``mixed`` is the first half of the original with the second half of the translation.
    """
    es = (CORPUS / "es.txt").read_text(encoding="utf-8").split("\n\n")
    en = (CORPUS / "en.txt").read_text(encoding="utf-8").split("\n\n")
    halves = {
        "first": (es[: len(es) // 2], en[: len(en) // 2]),
        "second": (es[len(es) // 2 :], en[len(en) // 2 :]),
        "mixed": (es[: len(es) // 2], en[len(en) // 2 :]),
    }
    rows = ["source\ttarget\tsource language\ttarget language\ttitle"]
    for name, (original, translation) in halves.items():
        (folder / f"{name}.es.txt").write_text("\n\n".join(original), encoding="utf-8")
        (folder / f"{name}.en.txt").write_text("\n\n".join(translation), encoding="utf-8")
        rows.append(f"{name}.es.txt\t{name}.en.txt\tes\ten\t{name}")
    rows.append("missing.es.txt\tfirst.en.txt\tes\ten\tmissing")
    pairs = folder / "pairs.tsv"
    pairs.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return pairs


def invoke(database_url: str, tmp_path: Path, *args: str, env: dict | None = None):
    environment = {
        "DATABASE_URL": database_url,
        "ALINEA_INSTANCE": str(tmp_path / "instance"),
        **(env or {}),
    }
    return CliRunner().invoke(main, list(args), env=environment, catch_exceptions=False)


def check_report(report: dict, folder: Path) -> None:
    assert report["pairs"] == 4
    assert report["done"] == 3
    assert report["failed"] == 1
    (failure,) = report["failures"]
    assert failure["source"] == str(folder / "missing.es.txt")
    assert failure["error"] == f"{folder / 'missing.es.txt'}: no such file"
    (suspect,) = report["suspect"]
    assert suspect["source"] == str(folder / "mixed.es.txt")
    by_name = {Path(row["source"]).name: row for row in report["results"]}
    for name in ("first.es.txt", "second.es.txt"):
        assert by_name[name]["state"] == "done"
        assert by_name[name]["mean_similarity"] > batch.SUSPECT_MEAN_SIMILARITY
        assert by_name[name]["suspect"] is None
    assert 0 < report["mean_similarity"] <= 1


def test_batch_on_two_local_processes_aligns_the_pairs_and_reports_the_missing_file(
    database_url, tmp_path
):
    folder = tmp_path / "pairs"
    folder.mkdir()
    pairs = write_pairs(folder)
    report_path = tmp_path / "report.json"

    result = invoke(
        database_url, tmp_path, "batch", str(pairs), "--local", "2", "--report", str(report_path)
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "3 done, 1 failed", result.stderr
    assert "FAILED job" in result.stderr and "missing.es.txt: no such file" in result.stderr
    assert "NOT A TRANSLATION?" in result.stderr and "mixed.es.txt" in result.stderr
    check_report(json.loads(report_path.read_text()), folder)

    listing = invoke(database_url, tmp_path, "jobs")
    assert listing.exit_code == 0, listing.output
    lines = listing.stdout.strip().splitlines()
    assert len(lines) == 4
    assert sum(" done " in line for line in lines) == 3
    failed_id = next(line.split()[0] for line in lines if " failed " in line)
    shown = invoke(database_url, tmp_path, "jobs", "show", failed_id)
    assert "state: failed (attempt 1 of 1, queue local" in shown.stdout
    assert "missing.es.txt: no such file" in shown.stdout


def test_batch_on_the_queue_is_run_by_a_worker_and_followed_to_the_end(
    database_url, tmp_path, workers, worker_env
):
    folder = tmp_path / "pairs"
    folder.mkdir()
    pairs = write_pairs(folder)
    report_path = tmp_path / "report.json"
    workers.start()

    result = invoke(
        database_url, tmp_path, "batch", str(pairs), "--report", str(report_path), env=worker_env
    )

    assert result.exit_code == 0, result.output + workers.output()
    check_report(json.loads(report_path.read_text()), folder)


def test_a_folder_makes_pairs_by_the_naming_rule(tmp_path):
    for name in ("a.es.txt", "a.en.txt", "b.es.txt", "notes.txt", "c.fr.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")

    pairs = batch.pairs_in_folder(tmp_path, "es", "en")

    assert [(p.source.name, p.target.name, p.src_lang, p.tgt_lang) for p in pairs] == [
        ("a.es.txt", "a.en.txt", "es", "en"),
        ("b.es.txt", "b.en.txt", "es", "en"),
    ]
    assert not pairs[1].target.exists()


def test_a_folder_with_another_pattern(tmp_path):
    for name in ("es_report-1.md", "en_report-1.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (pair,) = batch.pairs_in_folder(tmp_path, "es", "en", "{lang}_{name}.md")
    assert (pair.source.name, pair.target.name, pair.title) == (
        "es_report-1.md",
        "en_report-1.md",
        "report-1",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "no pairs in the file"),
        ("only-one-column.txt\n", "line 1: give a source and a target path"),
        ("a.txt\tb.txt\txx-not-a-code\n", "line 1: unknown language code 'xx-not-a-code'"),
    ],
)
def test_a_bad_pairs_file_is_refused_with_the_line_at_fault(tmp_path, content, message):
    path = tmp_path / "pairs.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(Exception, match=message):
        batch.read_pairs_file(path)


def test_relative_paths_in_a_pairs_file_are_read_from_its_folder(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text("# comment\n\nsub/a.es.txt\tsub/a.en.txt\n", encoding="utf-8")
    (pair,) = batch.read_pairs_file(path)
    assert pair.source == tmp_path / "sub" / "a.es.txt"
    assert (pair.src_lang, pair.tgt_lang, pair.title) == (None, None, None)


@pytest.mark.parametrize(
    ("result", "flagged"),
    [
        ({"mean_similarity": 0.93, "one_sided_share": 0.1}, None),
        ({"mean_similarity": 0.42, "one_sided_share": 0.1}, "mean similarity 0.42 < 0.5"),
        ({"mean_similarity": 0.8, "one_sided_share": 0.7}, "70% of the paragraphs are one-sided"),
        ({"mean_similarity": None, "one_sided_share": 1.0}, "no paragraph found a counterpart"),
    ],
)
def test_a_pair_looks_untranslated_by_its_similarity_or_its_one_sided_share(result, flagged):
    why = batch.looks_untranslated(result)
    if flagged is None:
        assert why is None
    else:
        assert why is not None and why.startswith(flagged)


def test_without_redis_the_worker_and_a_queued_batch_say_so_and_queue_nothing(
    database_url, tmp_path
):
    folder = tmp_path / "pairs"
    folder.mkdir()
    pairs = write_pairs(folder)
    no_redis = {"REDIS_URL": "redis://127.0.0.1:1/0"}  # nothing listens on port 1

    worker = invoke(database_url, tmp_path, "worker", "--burst", env=no_redis)
    queued = invoke(database_url, tmp_path, "batch", str(pairs), env=no_redis)

    for result in (worker, queued):
        assert result.exit_code == 1
        assert "cannot reach Redis at redis://127.0.0.1:1/0" in result.stderr
    assert invoke(database_url, tmp_path, "jobs").stderr.strip() == "no jobs"


def test_alinea_jobs_cancel_cancels_a_queued_job_and_says_when_one_had_finished(
    database_url, tmp_path, sessions
):
    from app.services import jobs as job_service
    from app.store.db import transaction

    with transaction(sessions) as session:
        job = job_service.create_job(
            session,
            job_service.ALIGN,
            job_service.align_parameters({"path": "/nowhere/es.txt"}, {"path": "/nowhere/en.txt"}),
            queue="alinea-cancel-test",
            max_attempts=1,
        )
        job_id = str(job.id)

    first = invoke(database_url, tmp_path, "jobs", "cancel", job_id)
    second = invoke(database_url, tmp_path, "jobs", "cancel", job_id)
    missing = invoke(database_url, tmp_path, "jobs", "cancel", "999999")

    assert first.exit_code == 0 and f"job {job_id} cancelled" in first.output
    assert f"job {job_id} had already finished" in second.output
    assert missing.exit_code != 0 and "999999" in missing.output
    listed = invoke(database_url, tmp_path, "jobs", "--state", "cancelled")
    assert job_id in listed.output and "cancelled by" in listed.output
