"""align() on the corpus pair against its gold standard, and without the embedding model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.align import mt as apertium
from app.align.aligner import METHOD, Progress, align, choose_scorers
from app.align.combine import weights_for
from app.align.runs import Side
from app.align.scorers import AnchorScorer, ChrfScorer, EmbeddingScorer, LengthScorer
from app.segments import Segment, SegmentKind

GOLD = Path(__file__).resolve().parents[2] / "corpora" / "dw-2025-02-17-mexico-border" / "gold.json"
# Spanish-English: the machine-translation scorer joins in where Apertium has the pair.
MT = ["mt"] if apertium.direction("es", "en") else []
ALL_SCORERS = ["semantic", *MT, "length", "anchors", "chrf", "structure"]
NO_MODEL = ["length", "anchors", "chrf", "structure"]


def spans(beads) -> list[tuple[list[int], list[int]]]:
    return [
        (list(range(b.src_start, b.src_end)), list(range(b.tgt_start, b.tgt_end))) for b in beads
    ]


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


# The corpus pair ----------------------------------------------------------------------


def test_the_gold_standard_fits_the_imported_documents(gold, corpus_pair):
    es, en = corpus_pair
    assert (es.language, en.language) == (gold["source"]["lang"], gold["target"]["lang"])
    assert len(es.segments) == gold["source"]["segments"] == 25
    assert len(en.segments) == gold["target"]["segments"] == 28


def test_the_corpus_pair_aligns_exactly_as_the_gold_standard(gold, corpus_result):
    expected = [(bead["src"], bead["tgt"]) for bead in gold["beads"]]
    assert spans(corpus_result.beads) == expected


@pytest.mark.parametrize("index", range(28))
def test_each_gold_bead_is_found(gold, corpus_result, index):
    assert spans(corpus_result.beads)[index] == (
        gold["beads"][index]["src"],
        gold["beads"][index]["tgt"],
    )


def test_every_segment_is_in_exactly_one_bead_in_order(corpus_pair, corpus_result):
    es, en = corpus_pair
    beads = spans(corpus_result.beads)
    assert [i for src, _ in beads for i in src] == list(range(len(es.segments)))
    assert [j for _, tgt in beads for j in tgt] == list(range(len(en.segments)))
    assert all(src or tgt for src, tgt in beads)


def test_two_sided_beads_have_a_similarity_and_component_scores(corpus_result):
    two_sided = [b for b in corpus_result.beads if not b.one_sided]
    assert len(two_sided) == 20
    for bead in two_sided:
        assert bead.similarity is not None
        assert 0.0 <= bead.similarity <= 1.0
        assert {"semantic", "length", "chrf"} <= set(bead.scores) <= set(ALL_SCORERS)
        assert all(0.0 <= value <= 1.0 for value in bead.scores.values())


def test_one_sided_beads_have_no_similarity(corpus_result):
    one_sided = [b for b in corpus_result.beads if b.one_sided]
    assert len(one_sided) == 8
    assert all(b.similarity is None and b.scores == {} for b in one_sided)


def test_heading_beads_are_scored_on_structure(corpus_pair, corpus_result):
    es, _ = corpus_pair
    for bead in corpus_result.beads:
        if bead.one_sided:
            continue
        kinds = {s.kind for s in es.segments[bead.src_start : bead.src_end]}
        if SegmentKind.HEADING in kinds:
            assert bead.scores["structure"] == 1.0
        else:
            assert "structure" not in bead.scores


def test_the_result_records_its_scorers_and_parameters(corpus_result):
    assert corpus_result.method == METHOD
    assert corpus_result.scorers == ALL_SCORERS
    parameters = corpus_result.parameters
    assert set(parameters["scorer_parameters"]) == set(ALL_SCORERS)
    assert parameters["scorer_parameters"]["semantic"] == {"model": "use-multilingual-v3"}
    assert parameters["weights"]["name"] == f"fitted:use{'+mt' if MT else ''}"
    assert parameters["scorer_choice"]["scorers"] == ALL_SCORERS
    assert parameters["moves"] == ["1-0", "0-1", "1-1", "1-2", "2-1", "2-2"]
    json.dumps(parameters)  # stored with the alignment


def test_the_corpus_beads_are_confident(corpus_result):
    # The review queue puts doubtful beads first; on the corpus none should be doubtful.
    assert min(b.similarity for b in corpus_result.beads if not b.one_sided) > 0.5


# Choosing scorers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src_lang", "tgt_lang", "use_embeddings", "names"),
    [
        ("es", "en", True, ALL_SCORERS),
        ("es", "en", False, ALL_SCORERS[1:]),
        ("sw", "en", True, ["semantic", *NO_MODEL]),
        ("sw", "en", False, NO_MODEL),
        ("xx", "en", True, NO_MODEL),
    ],
)
def test_the_embedding_scorer_is_chosen_only_for_languages_a_model_knows(
    src_lang, tgt_lang, use_embeddings, names
):
    scorers = choose_scorers(src_lang, tgt_lang, use_embeddings=use_embeddings)
    assert [s.name for s in scorers] == names


def test_the_chosen_embedding_scorer_reports_progress():
    planned: list[int] = []
    embedded: list[int] = []
    progress = Progress(planned=planned.append, embedded=embedded.append)
    (semantic,) = [s for s in choose_scorers("es", "en", progress) if s.name == "semantic"]
    src = Side((Segment("Hola."), Segment("Adiós.")), "es")
    tgt = Side((Segment("Hello."),), "en")
    semantic.prepare(src, tgt, max_run=2)
    assert planned == [4]
    assert sum(embedded) == 4


# Without the embedding model ----------------------------------------------------------

SWAHILI = [
    "Rais Samia Suluhu Hassan alitembelea Dodoma siku ya Jumatatu na kukutana na wabunge 120.",
    "Serikali ilitangaza kwamba bajeti ya mwaka 2025 itaongezeka kwa asilimia 12.",
    "Wakulima wa Arusha walisema mvua za mwaka huu zimeharibu hekta 3,400 za mahindi.",
    "Benki Kuu ya Tanzania (BoT) iliripoti kwamba mfumuko wa bei ulishuka hadi asilimia 3.1 "
    "mwezi Machi 2025.",
    "Timu ya Simba ilishinda mechi dhidi ya Yanga kwa mabao 2-1 katika uwanja wa Benjamin Mkapa.",
    "Mkutano ujao wa Jumuiya ya Afrika Mashariki (EAC) utafanyika Nairobi tarehe 12 Juni 2025.",
]
ENGLISH = [
    "President Samia Suluhu Hassan visited Dodoma on Monday and met 120 members of parliament.",
    "The government announced that the budget for 2025 will increase by 12 percent.",
    "Farmers in Arusha said this year's rains have destroyed 3,400 hectares of maize.",
    "The Bank of Tanzania (BoT) reported that inflation fell to 3.1 percent in March 2025.",
    "Simba won the match against Yanga 2-1 at the Benjamin Mkapa stadium.",
    "The next East African Community (EAC) summit will be held in Nairobi on 12 June 2025.",
]
# The same news with fewer shared anchors in the last paragraph: it is still a plain 1-1.
WEAK_SWAHILI = SWAHILI[:5] + [
    "Mkutano ujao wa Jumuiya ya Afrika Mashariki utafanyika Nairobi mwezi Juni 2025."
]
WEAK_ENGLISH = ENGLISH[:5] + [
    "The next East African Community summit will be held in Nairobi in June 2025."
]


def segments(texts: list[str]) -> list[Segment]:
    return [Segment(text) for text in texts]


@pytest.fixture(scope="module")
def e5_result():
    """Swahili-English: USE does not know Swahili, e5 does."""
    return align(segments(SWAHILI), segments(ENGLISH), "sw", "en")


@pytest.fixture(scope="module")
def swahili_result():
    """Swahili-English without any embedding model."""
    scorers = choose_scorers("sw", "en", use_embeddings=False)
    return align(segments(SWAHILI), segments(ENGLISH), "sw", "en", scorers=scorers)


def test_swahili_english_is_aligned_with_e5(e5_result):
    assert spans(e5_result.beads) == [([k], [k]) for k in range(6)]
    assert e5_result.scorers == ["semantic", *NO_MODEL]
    assert e5_result.parameters["scorer_choice"]["embedding_model"] == "multilingual-e5-small"
    assert e5_result.parameters["weights"]["name"] == "fitted:e5"
    assert all(b.similarity > 0.5 for b in e5_result.beads)


def test_a_language_pair_no_model_knows_still_aligns_one_to_one(swahili_result):
    assert spans(swahili_result.beads) == [([k], [k]) for k in range(6)]


def test_a_weakly_anchored_paragraph_is_not_merged_with_its_strong_neighbour():
    scorers = choose_scorers("sw", "en", use_embeddings=False)
    result = align(segments(WEAK_SWAHILI), segments(WEAK_ENGLISH), "sw", "en", scorers=scorers)
    assert spans(result.beads) == [([k], [k]) for k in range(6)]


def test_without_the_model_the_semantic_scorer_is_left_out(swahili_result):
    assert "semantic" not in swahili_result.scorers
    assert swahili_result.scorers == NO_MODEL
    assert swahili_result.parameters["weights"]["name"] == "fitted:none"
    assert all("semantic" not in b.scores for b in swahili_result.beads)


def test_without_the_model_the_beads_still_have_similarities(swahili_result):
    assert all(0.5 < b.similarity <= 1.0 for b in swahili_result.beads)


class RecordingEncoder:
    """The same vector for every text; counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, texts):
        self.calls += 1
        return np.ones((len(texts), 4))


def test_explicit_scorers_are_the_only_ones_used():
    result = align(
        segments(SWAHILI),
        segments(ENGLISH),
        "sw",
        "en",
        scorers=[LengthScorer(), AnchorScorer()],
    )
    assert result.scorers == ["length", "anchors"]
    assert set(result.parameters["scorer_parameters"]) == {"length", "anchors"}
    two_sided = [b for b in result.beads if not b.one_sided]
    assert two_sided
    assert all(set(b.scores) <= {"length", "anchors"} for b in result.beads)
    assert all(b.scores["length"] > 0.9 for b in two_sided)


def test_explicit_scorers_without_semantic_use_the_weights_without_it():
    # Spanish and English: the model knows both, but it was not asked for.
    result = align(segments(SWAHILI[:2]), segments(ENGLISH[:2]), "es", "en", scorers=[ChrfScorer()])
    assert result.scorers == ["chrf"]
    assert result.parameters["weights"] == weights_for([ChrfScorer()]).as_dict()
    assert result.parameters["weights"]["name"] == "fitted:none"


def test_an_explicit_embedding_scorer_is_used_even_for_an_unknown_language():
    encoder = RecordingEncoder()
    result = align(
        segments(SWAHILI),
        segments(ENGLISH),
        "sw",
        "en",
        scorers=[EmbeddingScorer(encoder=encoder), LengthScorer(), ChrfScorer()],
    )
    assert encoder.calls == 2  # one batch per side
    assert result.scorers == ["semantic", "length", "chrf"]
    assert result.parameters["weights"]["name"] == "fitted:use"
    assert all(b.scores["semantic"] == pytest.approx(1.0) for b in result.beads if not b.one_sided)


def test_no_scorers_at_all_leaves_every_segment_unaligned():
    result = align(segments(SWAHILI[:2]), segments(ENGLISH[:2]), "sw", "en", scorers=[])
    assert result.scorers == []
    assert all(b.one_sided for b in result.beads)
    assert len(result.beads) == 4


def test_two_empty_documents_give_no_beads():
    result = align([], [], "es", "en", scorers=[LengthScorer()])
    assert result.beads == []


def test_an_empty_source_gives_only_insertions():
    result = align([], segments(ENGLISH[:3]), "sw", "en")
    assert spans(result.beads) == [([], [0]), ([], [1]), ([], [2])]
