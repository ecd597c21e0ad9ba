"""Anchors: numbers compared by value across locales, names without accents or case, URLs."""

from __future__ import annotations

import pytest

from app.align.anchors import EMPTY, agreement, capitalised_words, extract, number_values


def values(text: str, language: str) -> list[frozenset[float]]:
    return list(extract(text, language).numbers)


@pytest.mark.parametrize(
    ("written", "language", "value"),
    [
        ("10.000", "es", 10_000),
        ("10,000", "en", 10_000),
        ("0,071", "es", 0.071),
        ("0.071", "en", 0.071),
        ("800.000", "es", 800_000),
        ("800,000", "en", 800_000),
        ("1.234,5", "de", 1234.5),
        ("1,234.5", "en", 1234.5),
        ("1.000.000", "es", 1_000_000),
        ("1,000,000", "en", 1_000_000),
        ("1,6", "es", 1.6),
        ("1,600", "en", 1600),
        ("3.5", "en", 3.5),
        ("2024", "es", 2024),
        ("1\u00a0000", "fr", 1000),
    ],
)
def test_a_written_number_has_the_value_its_locale_gives_it(written, language, value):
    assert number_values(written, language) == frozenset({value})


@pytest.mark.parametrize(
    ("spanish", "english"),
    [
        ("10.000", "10,000"),
        ("0,071", "0.071"),
        ("800.000", "800,000"),
        ("1.600", "1,600"),
        ("3,5", "3.5"),
    ],
)
def test_the_same_number_written_in_spanish_and_english_has_the_same_value(spanish, english):
    assert number_values(spanish, "es") & number_values(english, "en")


def test_a_german_decimal_equals_the_english_one():
    assert number_values("1.234,5", "de") == number_values("1,234.5", "en")


def test_a_spanish_decimal_does_not_match_an_english_thousand():
    assert not number_values("1,6", "es") & number_values("1,600", "en")


def test_a_range_of_years_gives_both_years():
    assert values("Entre 2018-2024 murieron miles.", "es") == [
        frozenset({2018}),
        frozenset({2024}),
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [("subió un 15 % en enero", "es"), ("rose 15% in January", "en"), ("un 15\u00a0%", "es")],
)
def test_a_percentage_gives_its_number_with_or_without_a_space(text, language):
    assert values(text, language) == [frozenset({15})]


def test_numbers_glued_to_letters_are_not_numbers():
    assert values("the G20 and 5km", "en") == []


def test_a_sentence_ending_number_loses_the_full_stop():
    assert values("Llegaron en 2024.", "es") == [frozenset({2024})]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("El presidente López Obrador habló.", "President Lopez Obrador spoke."),
        ("El presidente López Obrador habló.", "said the president, LÓPEZ OBRADOR."),
        ("con el exmandatario López.", "with former president LOPEZ."),
    ],
)
def test_a_name_matches_without_accents_or_case(left, right):
    a, b = extract(left, "es"), extract(right, "en")
    assert a.names
    assert agreement(a, b) == 1.0


def test_names_are_folded_to_lower_case_without_accents():
    assert capitalised_words("dijo López y luego LÓPEZ") == ["lopez", "lopez"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Ayer llegó la Guardia Nacional.", ["guardia", "nacional"]),
        ("Mexico City. The army came.", ["city"]),
        ("¿Quién ganó? Nadie lo sabe.", []),
        ("«Vamos», dijo Pedro.", ["pedro"]),
        ("Tijuana", []),
    ],
)
def test_a_capitalised_word_that_opens_a_sentence_is_not_a_name(text, names):
    assert capitalised_words(text) == names


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("Read https://www.dw.com/es/mexico/a-123.", ["https://www.dw.com/es/mexico/a-123"]),
        ("See www.example.org/x, then go.", ["www.example.org/x"]),
        ("(details at https://a.example/b/)!", ["https://a.example/b/"]),
        ("Is it http://example.com?", ["http://example.com"]),
        ("Two: https://a.example; https://b.example:", ["https://a.example", "https://b.example"]),
        ("Quoted “https://c.example/d”.", ["https://c.example/d"]),
    ],
)
def test_a_url_is_extracted_without_trailing_punctuation(text, urls):
    assert list(extract(text, "en").urls) == urls


def test_numbers_inside_a_url_are_not_numbers():
    anchors = extract("Source: https://example.com/2024/10/report", "en")
    assert anchors.numbers == ()


def test_agreement_is_none_without_anchors_on_either_side():
    a = extract("sin nada que destacar", "es")
    b = extract("with nothing to note", "en")
    assert not a and not b
    assert agreement(a, b) is None
    assert agreement(EMPTY, EMPTY) is None


def test_agreement_is_one_for_the_same_anchors():
    a = extract("Ayer Sheinbaum envió 10.000 soldados (www.gob.mx).", "es")
    b = extract("Yesterday Sheinbaum sent 10,000 soldiers (www.gob.mx).", "en")
    assert a.numbers and a.names and a.urls
    assert agreement(a, b) == 1.0


def test_agreement_drops_when_a_number_differs():
    same = agreement(
        extract("ayer Sheinbaum envió 10.000 soldados", "es"),
        extract("yesterday Sheinbaum sent 10,000 soldiers", "en"),
    )
    different = agreement(
        extract("ayer Sheinbaum envió 10.000 soldados", "es"),
        extract("yesterday Sheinbaum sent 12,000 soldiers", "en"),
    )
    assert same == 1.0
    assert different == pytest.approx(0.5)


def test_agreement_is_zero_when_only_one_side_has_anchors():
    assert agreement(extract("envió 10.000 soldados", "es"), extract("sent troops", "en")) == 0.0


def test_agreement_matches_anchors_one_to_one():
    # One 15 on the left cannot match both 15s on the right: F1 = 2 * 1 / 3.
    a = extract("un 15 % más", "es")
    b = extract("15% more, 15 times", "en")
    assert agreement(a, b) == pytest.approx(2 / 3)
