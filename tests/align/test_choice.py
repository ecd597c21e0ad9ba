"""Scorers chosen per language pair: the rule, Apertium's translations, the MT feature, e5.

Apertium tests use the real program (``apertium`` with ``apertium-eng-spa``). Without it
they skip with the reason, unless ALINEA_REQUIRE_APERTIUM=1 (set by .ci/run), which
turns the skip into a failure.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from sacrebleu.metrics import CHRF

from app.align import choice as scorer_choice
from app.align import features
from app.align import mt as apertium
from app.align.encoders import E5_MODEL, USE_MODEL, model_for


@pytest.fixture(scope="module")
def spa_eng():
    """The Apertium direction spa-eng, or a skip (a failure under ALINEA_REQUIRE_APERTIUM)."""
    if apertium.direction("es", "en") != "spa-eng":
        reason = (
            "Apertium with spa-eng is not installed (apt-get install apertium apertium-eng-spa)"
        )
        if os.environ.get("ALINEA_REQUIRE_APERTIUM") == "1":
            pytest.fail(reason + " (ALINEA_REQUIRE_APERTIUM=1)")
        pytest.skip(reason)
    return "spa-eng"


@pytest.fixture
def no_apertium(monkeypatch):
    """Apertium as on a machine without it: the program is not on the PATH."""
    monkeypatch.setattr(apertium, "EXECUTABLE", "apertium-not-installed-here")
    apertium.installed_directions.cache_clear()
    yield
    apertium.installed_directions.cache_clear()


# The rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "tgt", "embedding"),
    [
        ("es", "en", USE_MODEL),
        ("en", "zh", USE_MODEL),
        ("de", "fr", USE_MODEL),
        ("sw", "en", E5_MODEL),
        ("en", "sw", E5_MODEL),
        ("es", "vi", E5_MODEL),
        ("xx", "en", None),
    ],
)
def test_use_where_it_knows_both_languages_else_e5_else_none(src, tgt, embedding):
    assert model_for(src, tgt) == embedding
    assert scorer_choice.choose(src, tgt).embedding == embedding


def test_the_fast_mode_chooses_no_embedding_model():
    chosen = scorer_choice.choose("es", "en", fast=True)
    assert chosen.embedding is None
    assert "semantic" not in chosen.scorers
    assert "fast mode" in chosen.summary()


def test_anchors_and_length_are_always_chosen():
    for pair in [("es", "en"), ("sw", "en"), ("xx", "yy")]:
        assert {"anchors", "length"} <= set(scorer_choice.choose(*pair).scorers)


def test_spanish_english_gets_use_apertium_anchors_and_length(spa_eng):
    chosen = scorer_choice.choose("es", "en")
    assert chosen.scorers == ["semantic", "mt", *scorer_choice.ALWAYS]
    assert (chosen.mt, chosen.mt_translates) == ("spa-eng", "source")
    assert chosen.as_dict()["mt"] == "apertium spa-eng"


def test_english_spanish_translates_the_english_source(spa_eng):
    chosen = scorer_choice.choose("en", "es")
    assert (chosen.mt, chosen.mt_translates) == ("eng-spa", "source")


def test_swahili_english_gets_e5_and_says_why_there_is_no_mt(spa_eng):
    # Apertium is there (with another pair): the note names the missing one.
    chosen = scorer_choice.choose("sw", "en")
    assert chosen.scorers == ["semantic", *scorer_choice.ALWAYS]
    assert chosen.embedding == E5_MODEL
    assert any("sw-en" in note for note in chosen.notes)


def test_english_chinese_gets_use_and_no_mt():
    chosen = scorer_choice.choose("en", "zh")
    assert chosen.scorers == ["semantic", *scorer_choice.ALWAYS]
    assert chosen.mt is None


def test_mt_can_be_turned_off(spa_eng):
    chosen = scorer_choice.choose("es", "en", use_mt=False)
    assert chosen.mt is None
    assert "turned off" in chosen.summary()


def test_without_apertium_the_choice_says_it_is_missing(no_apertium):
    chosen = scorer_choice.choose("es", "en")
    assert chosen.mt is None
    assert any("not installed" in note for note in chosen.notes)


@pytest.mark.parametrize("level", ["paragraph", "sentence"])
def test_both_levels_choose_their_model_by_the_same_rule(spa_eng, level):
    from app.align.levels import choose_model

    spanish = choose_model(scorer_choice.choose("es", "en"), level=level)
    assert spanish.level == level and "semantic" in spanish.weights
    swahili = choose_model(scorer_choice.choose("sw", "en"), level=level)
    assert swahili.embedding_model == E5_MODEL
    fast = choose_model(scorer_choice.choose("sw", "en", fast=True), level=level)
    assert fast.name.startswith("fast") and not fast.uses_embeddings


def test_a_described_choice_names_the_model_and_the_apertium_pair(spa_eng):
    line = scorer_choice.describe(scorer_choice.choose("es", "en").as_dict())
    assert line.startswith("scorers for es-en: semantic (use-multilingual-v3), mt (apertium")


# Apertium -----------------------------------------------------------------------------


def test_apertium_translates_a_batch_line_for_line(spa_eng):
    texts = [
        "Hola, ¿cómo estás?",
        "",
        "El Gobierno anunció un plan de 10.000 millones.",
        "Una línea\ncon un salto y [corchetes] ^raros$ @ # \\ <b>",
        "   ",
        "Adiós.",
    ]
    out = apertium.translate(texts, spa_eng)
    assert len(out) == len(texts)
    assert out[0].startswith("Hello")
    assert out[1] == ""
    assert "10.000" in out[2]
    assert "\n" not in out[3]
    assert out[5].startswith("Goodbye")


def test_apertium_keeps_many_segments_in_order(spa_eng, monkeypatch):
    monkeypatch.setattr(apertium, "BATCH_LINES", 7)  # several processes for one call
    texts = [f"El número {k} es rojo." for k in range(30)]
    out = apertium.translate(texts, spa_eng)
    assert [str(k) in line for k, line in zip(range(30), out, strict=True)] == [True] * 30


def test_translating_without_apertium_is_a_clear_error(no_apertium):
    assert apertium.direction("es", "en") is None
    with pytest.raises(apertium.ApertiumError, match="apt-get install apertium"):
        apertium.translate(["Hola"], "spa-eng")


def test_an_unknown_direction_is_a_clear_error(spa_eng):
    with pytest.raises(apertium.ApertiumError, match="xxx-yyy"):
        apertium.translate(["Hola"], "xxx-yyy")


# The MT feature ------------------------------------------------------------------------


def test_the_mt_feature_is_chrf_of_the_translation_against_the_target(spa_eng):
    src_texts, tgt_texts = (
        ["La casa es roja.", "El perro come carne."],
        ["The house is red.", "The dog eats meat."],
    )
    translated = apertium.translate(src_texts, spa_eng)
    src = features.SideArrays.build(src_texts, None, translated, translated=True)
    tgt = features.SideArrays.build(tgt_texts, None, tgt_texts)
    values = features.mt(src, tgt, 1, 1, np.array([1, 1]), np.array([1, 2]))
    expected = CHRF().sentence_score(translated[0], ["The house is red."]).score / 100
    assert values[0] == pytest.approx(expected, abs=0.04)
    assert values[0] > values[1] + 0.3


def test_the_mt_feature_can_translate_the_target_instead(spa_eng):
    translated = apertium.translate(["La casa es roja."], spa_eng)
    src = features.SideArrays.build(["The house is red."], None, ["The house is red."])
    tgt = features.SideArrays.build(["La casa es roja."], None, translated, translated=True)
    assert features.mt(src, tgt, 1, 1, np.array([1]), np.array([1]))[0] > 0.6


SPANISH = [
    "El Gobierno anunció ayer un nuevo plan para la frontera norte.",
    "La oposición criticó la medida con dureza.",
    "Según la ministra, las obras empezarán el próximo año.",
    "Los vecinos esperan desde hace décadas una carretera nueva.",
]
ENGLISH = [
    "The government announced a new plan for the northern border yesterday.",
    "The opposition harshly criticised the measure.",
    "According to the minister, the works will start next year.",
    "Residents have been waiting for a new road for decades.",
]


def test_the_vectorised_mt_feature_is_close_to_sacrebleus_chrf(spa_eng):
    translated = apertium.translate(SPANISH, spa_eng)
    src = features.SideArrays.build(SPANISH, None, translated, translated=True)
    tgt = features.SideArrays.build(ENGLISH, None, ENGLISH)
    for i in range(len(SPANISH)):
        cols = np.arange(1, len(ENGLISH) + 1)
        ours = features.mt(src, tgt, 1, 1, np.full(cols.size, i + 1), cols)
        exact = [CHRF().sentence_score(translated[i], [e]).score / 100 for e in ENGLISH]
        assert ours == pytest.approx(exact, abs=0.04)
        assert int(np.argmax(ours)) == i


# e5 -----------------------------------------------------------------------------------


def test_e5_finds_the_english_translation_of_swahili_sentences():
    from app.align.encoders import encoder_for

    swahili = [
        "Mvua kubwa ilinyesha jana usiku mjini Nairobi.",
        "Watoto wanacheza mpira uwanjani.",
        "Rais alitembelea hospitali mpya leo.",
    ]
    english = [
        "Heavy rain fell in Nairobi last night.",
        "The children are playing football in the field.",
        "The president visited the new hospital today.",
    ]
    encode = encoder_for(E5_MODEL)
    a, b = np.asarray(encode(swahili)), np.asarray(encode(english[::-1]))
    assert a.shape == (3, 384)
    assert list(np.argmax(a @ b.T, axis=1)) == [2, 1, 0]
