"""Sentence level inside paragraph beads, on the corpus pair and its hand-made gold."""

import json
from pathlib import Path

import pytest

from app.align.levels import align_within_beads
from app.evaluation import metric
from app.evaluation.links import Link
from app.ingest import unit_sentences

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "dw-2025-02-17-mexico-border"


@pytest.fixture(scope="module")
def sentence_level(corpus_pair, corpus_result):
    es, en = corpus_pair
    src = unit_sentences([s.text for s in es.segments], es.language)
    tgt = unit_sentences([s.text for s in en.segments], en.language)
    result = align_within_beads(corpus_result.beads, src, tgt, es.language, en.language)
    return src, tgt, result


def links(beads):
    return [
        Link(tuple(range(b.src_start, b.src_end)), tuple(range(b.tgt_start, b.tgt_end)))
        for b in beads
    ]


def test_the_corpus_splits_into_the_sentences_the_gold_counts(sentence_level):
    src, tgt, _ = sentence_level
    gold = json.loads((CORPUS / "gold-sentences.json").read_text())
    assert (len(src), len(tgt)) == (gold["source"]["segments"], gold["target"]["segments"])


def test_sentence_beads_match_the_hand_made_gold_with_f1_of_at_least_095(sentence_level):
    _, _, result = sentence_level
    gold = json.loads((CORPUS / "gold-sentences.json").read_text())
    gold_links = [Link(tuple(b["src"]), tuple(b["tgt"])) for b in gold["beads"]]
    scores = metric.score_document(links(result.beads), gold_links).scores()
    assert scores.strict_f1 >= 0.95, scores


def test_no_sentence_bead_crosses_a_paragraph_bead(sentence_level, corpus_result):
    src, tgt, result = sentence_level
    paragraph_of_bead = {}
    for k, bead in enumerate(corpus_result.beads):
        for p in range(bead.src_start, bead.src_end):
            paragraph_of_bead[("s", p)] = k
        for p in range(bead.tgt_start, bead.tgt_end):
            paragraph_of_bead[("t", p)] = k
    for bead in result.beads:
        owners = {paragraph_of_bead[("s", src[i][0])] for i in range(bead.src_start, bead.src_end)}
        owners |= {paragraph_of_bead[("t", tgt[j][0])] for j in range(bead.tgt_start, bead.tgt_end)}
        assert len(owners) == 1


def test_every_sentence_is_in_exactly_one_bead_in_order(sentence_level):
    src, tgt, result = sentence_level
    s = [i for b in result.beads for i in range(b.src_start, b.src_end)]
    t = [j for b in result.beads for j in range(b.tgt_start, b.tgt_end)]
    assert s == list(range(len(src)))
    assert t == list(range(len(tgt)))
