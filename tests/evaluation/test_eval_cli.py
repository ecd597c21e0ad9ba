"""`alinea eval` prints the metric's figures and writes the links it scored."""

import json

import pytest
from click.testing import CliRunner

from app.cli import main
from app.evaluation import datasets, metric
from app.evaluation.links import read_links


@pytest.fixture(scope="module")
def textberg_test():
    try:
        return datasets.text_berg("test")
    except datasets.EvalDataMissing as error:
        pytest.skip(f"gold evaluation data not available: {error}")


def test_eval_scores_the_links_it_writes(textberg_test, tmp_path):
    result = CliRunner().invoke(
        main,
        ["eval", "textberg", "--split", "test", "--fast", "--out", str(tmp_path), "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["documents"] == 7
    assert report["sentences"] == [991, 1011]
    counts = None
    for document in textberg_test:
        c = metric.score_document(read_links(tmp_path / f"{document.name}.align"), document.gold)
        counts = c if counts is None else counts + c
    assert report["scores"]["strict_f1"] == pytest.approx(counts.scores().strict_f1, abs=1e-4)
    assert 0.0 < report["scores"]["strict_f1"] <= 1.0
    assert report["confidence"]["beads"] > 0


def test_eval_without_the_data_says_so(tmp_path):
    result = CliRunner().invoke(main, ["eval", "bible", "--data", str(tmp_path / "none")])
    assert result.exit_code != 0
    assert "skipped" in result.stderr
