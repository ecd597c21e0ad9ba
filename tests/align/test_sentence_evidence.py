"""What a paragraph bead's sentences say about it, and the paragraph model's sentence stage."""

from __future__ import annotations

import pytest

from app.align.model import load_model
from app.align.result import AlignmentResult
from app.align.sentence_evidence import (
    CONFIDENCE_NOTE,
    EVIDENCE,
    PARAGRAPH_LOGIT,
    sentence_evidence,
    stage_probability,
    with_sentence_evidence,
)
from app.segments import BeadSpan

# Three source paragraphs (two sentences, one, one) and two target paragraphs (one
# sentence each) in three paragraph beads: 1-1, 1-1 and an untranslated paragraph.
PARAGRAPHS = [BeadSpan(0, 1, 0, 1, 0.9), BeadSpan(1, 2, 1, 2, 0.8), BeadSpan(2, 3, 2, 2)]
SRC_SENTENCES = [(0, "Uno."), (0, "Dos."), (1, "Tres."), (2, "Cuatro.")]
TGT_SENTENCES = [(0, "One."), (1, "Three.")]
# Inside the first paragraph bead one source sentence finds no partner.
SENTENCES = [
    BeadSpan(0, 1, 0, 1, 0.95),
    BeadSpan(1, 2, 1, 1),
    BeadSpan(2, 3, 1, 2, 0.7),
    BeadSpan(3, 4, 2, 2),
]


def test_each_two_sided_paragraph_bead_gets_what_its_sentences_found():
    found = sentence_evidence(PARAGRAPHS, SENTENCES, SRC_SENTENCES, TGT_SENTENCES)
    assert found[0] == {"sentences_alone": 1 / 3, "sentences_lowest": 0.95, "sentences_mean": 0.95}
    assert found[1] == {"sentences_alone": 0.0, "sentences_lowest": 0.7, "sentences_mean": 0.7}
    assert found[2] is None  # one-sided: no similarity to read again


def test_a_paragraph_bead_whose_sentences_all_stay_alone_has_no_sentence_similarity():
    sentences = [BeadSpan(0, 2, 0, 0), BeadSpan(2, 2, 0, 1)]
    found = sentence_evidence([BeadSpan(0, 1, 0, 1, 0.9)], sentences, SRC_SENTENCES[:2], [(0, "x")])
    assert found == [{"sentences_alone": 1.0, "sentences_lowest": 0.0, "sentences_mean": 0.0}]


def test_the_stage_reads_the_paragraph_probability_with_the_evidence():
    evidence = dict.fromkeys(EVIDENCE, 0.0)
    identity = {"bias": 0.0, PARAGRAPH_LOGIT: 1.0}
    assert stage_probability(0.8, evidence, identity) == pytest.approx(0.8)
    doubting = identity | {"sentences_alone": -3.0}
    alone = evidence | {"sentences_alone": 0.5}
    assert stage_probability(0.8, alone, doubting) < stage_probability(0.8, evidence, doubting)


def result_by(model: str) -> AlignmentResult:
    return AlignmentResult(PARAGRAPHS, "banded", {"level": "paragraph", "model": model})


def test_the_shipped_paragraph_model_reads_its_beads_again_with_their_sentences():
    assert set(load_model("semantic", "paragraph").sentence_confidence) == {
        "bias",
        PARAGRAPH_LOGIT,
        *EVIDENCE,
    }
    staged = with_sentence_evidence(
        result_by("semantic"), AlignmentResult(SENTENCES, "banded"), SRC_SENTENCES, TGT_SENTENCES
    )
    assert staged.parameters["confidence_note"] == CONFIDENCE_NOTE
    first, second, alone = staged.beads
    assert 0.0 < first.similarity < 1.0 and first.similarity != PARAGRAPHS[0].similarity
    # The same paragraphs, whatever the sentences say.
    assert [(b.src_start, b.src_end, b.tgt_start, b.tgt_end) for b in staged.beads] == [
        (b.src_start, b.src_end, b.tgt_start, b.tgt_end) for b in PARAGRAPHS
    ]
    assert alone.similarity is None


def test_a_sentence_left_alone_lowers_the_probability_of_its_paragraph_bead():
    def similarity_with(sentences):
        staged = with_sentence_evidence(
            result_by("semantic"),
            AlignmentResult(sentences, "banded"),
            SRC_SENTENCES,
            TGT_SENTENCES,
        )
        return staged.beads[0].similarity

    paired = [BeadSpan(0, 2, 0, 1, 0.95), *SENTENCES[2:]]
    assert similarity_with(SENTENCES) < similarity_with(paired)


def test_a_model_without_a_sentence_stage_leaves_the_paragraphs_as_they_are():
    assert not load_model("fast", "paragraph").sentence_confidence
    paragraphs = result_by("fast")
    sentences = AlignmentResult(SENTENCES, "banded")
    assert with_sentence_evidence(paragraphs, sentences, SRC_SENTENCES, TGT_SENTENCES) is paragraphs
