"""Acceptance check: the metric reproduces the published figures on the stored gold data.

Bertalign's stored Bible output must score strict F1 0.916 against the verse-level gold, and
0.978 once its links are merged by verse; every gold set scored against itself gives 1.0.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evaluation import (
    EvalDocument,
    bible_bertalign_links,
    bible_verse_ids,
    ntrex_documents,
    score_document,
    score_documents,
    score_verse_merged,
    text_berg,
)


def test_stored_bertalign_output_scores_strict_f1_0_916_at_sentence_level(
    eval_root: Path, bible_document: EvalDocument
) -> None:
    counts = score_document(bible_bertalign_links(eval_root), bible_document.gold or [])
    assert counts.scores().strict_f1 == pytest.approx(0.916, abs=0.001)


def test_stored_bertalign_output_scores_strict_f1_0_978_after_verse_merge(
    eval_root: Path, bible_document: EvalDocument
) -> None:
    src_verses, tgt_verses = bible_verse_ids(eval_root)
    counts = score_verse_merged(
        bible_bertalign_links(eval_root), bible_document.gold or [], src_verses, tgt_verses
    )
    assert counts.scores().strict_f1 == pytest.approx(0.978, abs=0.001)


@pytest.mark.parametrize("split", ["dev", "test"])
def test_text_berg_gold_scored_against_itself_gives_one(eval_root: Path, split: str) -> None:
    documents = text_berg(split, eval_root)  # type: ignore[arg-type]
    scores = score_documents((document.gold, document.gold) for document in documents).scores()
    assert (scores.strict_f1, scores.lax_f1) == (1.0, 1.0)


def test_bible_gold_scored_against_itself_gives_one(bible_document: EvalDocument) -> None:
    gold = bible_document.gold or []
    scores = score_document(gold, gold).scores()
    assert (scores.strict_f1, scores.lax_f1) == (1.0, 1.0)


def test_ntrex_gold_scored_against_itself_gives_one(eval_root: Path) -> None:
    pairs = ((document.gold, document.gold) for document in ntrex_documents(eval_root))
    scores = score_documents(pairs).scores()
    assert (scores.strict_f1, scores.lax_f1) == (1.0, 1.0)
