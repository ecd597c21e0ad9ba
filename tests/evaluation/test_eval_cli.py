"""`alinea eval` prints the metric's figures and writes the links it scored."""

import json

import pytest
from click.testing import CliRunner

from app.cli import main
from app.evaluation import datasets, metric
from app.evaluation.links import read_links
from app.evaluation.paragraphs import paragraph_document


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
    counts, wrong = None, 0
    for document in textberg_test:
        links = read_links(tmp_path / f"{document.name}.align")
        c = metric.score_document(links, document.gold)
        counts = c if counts is None else counts + c
        wrong += len(set(links) - set(document.gold))
    assert sum(report["errors"]["wrong_links"].values()) == wrong
    assert report["errors"]["gold_one_sided"] == 58
    assert report["scores"]["strict_f1"] == pytest.approx(counts.scores().strict_f1, abs=1e-4)
    assert 0.0 < report["scores"]["strict_f1"] <= 1.0
    assert report["confidence"]["beads"] > 0


def test_eval_without_the_data_says_so(tmp_path):
    result = CliRunner().invoke(main, ["eval", "bible", "--data", str(tmp_path / "none")])
    assert result.exit_code != 0
    assert "skipped" in result.stderr


@pytest.fixture(scope="module")
def ntrex_dev():
    try:
        return datasets.ntrex_documents(split="dev", perturbed=True)
    except datasets.EvalDataMissing as error:
        pytest.skip(f"gold evaluation data not available: {error}")


def test_the_perturbed_ntrex_gold_covers_every_line_once(ntrex_dev):
    for document in ntrex_dev:
        src = [i for link in document.gold for i in link.src]
        tgt = [j for link in document.gold for j in link.tgt]
        assert src == list(range(len(document.src_lines)))
        assert tgt == list(range(len(document.tgt_lines)))
    shapes = {(len(link.src), len(link.tgt)) for d in ntrex_dev for link in d.gold}
    assert shapes == {(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)}


def test_the_ntrex_splits_are_disjoint_and_cover_the_set(ntrex_dev):
    dev = {d.name for d in ntrex_dev}
    test = {d.name for d in datasets.ntrex_documents(split="test")}
    assert (len(dev), len(test)) == (41, 82)
    assert not dev & test


def test_eval_reports_the_scorers_and_can_leave_mt_out(ntrex_dev):
    from app.align import mt as apertium

    def run(*extra):
        result = CliRunner().invoke(
            main,
            ["eval", "ntrex", "--split", "dev", "--perturbed", "--fast", "--json", *extra],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    with_mt, without = run(), run("--no-mt")
    (choice,) = with_mt["scorer_choice"]
    assert choice["languages"] == ["en", "es"]
    assert ("mt" in choice["scorers"]) == (apertium.direction("en", "es") is not None)
    (choice,) = without["scorer_choice"]
    assert "mt" not in choice["scorers"]
    assert without["models"] == ["fast"]
    assert with_mt["sentences"] == without["sentences"] == [601, 576]


def test_the_bible_at_paragraph_level_is_judged_on_the_books_it_was_not_fitted_on(eval_root):
    result = CliRunner().invoke(
        main,
        ["eval", "bible", "--level", "paragraph", "--fast", "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    test = paragraph_document(datasets.bible_books("test", eval_root))
    assert report["dataset"] == "bible test paragraphs"
    assert report["sentences"] == [len(test.src_lines), len(test.tgt_lines)]
    assert report["confidence"]["beads"] > 0
    assert "verse_merged" not in report
