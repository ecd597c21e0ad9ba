"""`alinea compare`: build from files, show, add a version, export."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.cli import main
from tests.conftest import CORPUS


@pytest.fixture
def run(database_url, tmp_path):
    runner = CliRunner()
    env = {"DATABASE_URL": database_url, "ALINEA_INSTANCE": str(tmp_path / "instance")}

    def invoke(*args: str):
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


def test_compare_prints_the_scores_table_and_the_id_then_shows_and_exports(run, tmp_path):
    result = run(
        "compare",
        str(CORPUS / "es.txt"),
        str(CORPUS / "en.txt"),
        str(CORPUS / "en-literal.txt"),
        "--lang", "en", "--lang", "-",
        "--label", "published", "--label", "literal",
        "--no-mt",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    comparison_id = lines[-1]
    assert comparison_id.isdigit()
    assert "columns 1 → 2 (en)" in result.stdout
    assert "BLEU" in result.stdout and "nrefs:1|case:mixed|eff:no|tok:13a" in result.stdout

    shown = run("compare", "show", comparison_id, "--level", "sentence")
    assert shown.exit_code == 0
    assert "column 2 (en, given" in shown.stdout and "literal" in shown.stdout

    output = tmp_path / "comparison.jsonl"
    exported = run("compare", "export", comparison_id, "--format", "jsonl", "-o", str(output))
    assert exported.exit_code == 0
    first = json.loads(output.read_text(encoding="utf-8").splitlines()[0])
    assert [c["label"] for c in first["columns"]] == ["Original", "published", "literal"]


def test_compare_refuses_a_version_identical_to_the_original(run):
    result = run("compare", str(CORPUS / "es.txt"), str(CORPUS / "es.txt"))
    assert result.exit_code == 1
    assert "same text as the original" in result.output


def test_show_of_a_missing_comparison_is_a_one_line_error(run):
    result = run("compare", "show", "999")
    assert result.exit_code == 1
    assert "there is no comparison 999" in result.output
