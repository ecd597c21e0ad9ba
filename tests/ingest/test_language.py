"""Validating language codes and detecting languages."""

from pathlib import Path

import pytest

from app.ingest import IngestError, detect_language, read_text_file, validate_language

SPANISH = (
    "La señora López dijo que no vendría a la reunión del jueves, porque tenía que "
    "cuidar a sus nietos y preparar la comida para toda la familia. Sus vecinos, en cambio, "
    "prometieron llegar temprano y traer el pan."
)


def test_the_english_dw_article_is_detected_as_english(english_article: Path) -> None:
    assert detect_language(read_text_file(english_article)) == "en"


def test_a_spanish_paragraph_is_detected_as_spanish() -> None:
    assert detect_language(SPANISH) == "es"


def test_detection_only_considers_the_candidate_languages() -> None:
    assert detect_language(SPANISH, candidates=["EN", "de"]) in {"en", "de"}


def test_text_without_words_has_no_detectable_language() -> None:
    with pytest.raises(IngestError, match="cannot detect the language"):
        detect_language("12345 678 90")


def test_an_empty_candidate_list_is_refused() -> None:
    with pytest.raises(IngestError, match="no candidate languages"):
        detect_language(SPANISH, candidates=[])


@pytest.mark.parametrize(
    ("code", "expected"), [("en", "en"), ("ES", "es"), (" de ", "de"), ("eu", "eu")]
)
def test_a_known_iso_639_1_code_is_accepted_in_lower_case(code: str, expected: str) -> None:
    assert validate_language(code) == expected


@pytest.mark.parametrize("code", ["xx", "klingon", "", "eng"])
def test_an_unknown_language_code_is_refused(code: str) -> None:
    message = f"unknown language code '{code}'; use an ISO 639-1 code such as en, es, de"
    with pytest.raises(IngestError) as caught:
        validate_language(code)
    assert str(caught.value) == message
