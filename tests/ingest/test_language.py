"""Validating language codes and detecting languages."""

from pathlib import Path

import pytest

from app.ingest import (
    DEFAULT_LANGUAGES,
    IngestError,
    UncertainLanguage,
    detect,
    detect_language,
    load_text,
    read_text_file,
    validate_language,
)
from app.ingest.language import MAX_WINDOWS, WINDOW_CHARS, windows

TEXTS = Path(__file__).parent / "data" / "languages"

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


@pytest.mark.parametrize("language", ["is", "hu", "sw"])
def test_both_sides_of_a_pair_with_english_are_detected_among_every_language(
    language: str,
) -> None:
    original = detect((TEXTS / f"{language}.txt").read_text(encoding="utf-8"))
    translation = detect((TEXTS / f"{language}-en.txt").read_text(encoding="utf-8"))

    assert (original.language, translation.language) == (language, "en")
    assert not original.doubtful and not translation.doubtful


def test_every_language_lingua_knows_is_a_candidate_by_default() -> None:
    assert {"is", "hu", "sw", "en", "zh", "yo"} <= set(DEFAULT_LANGUAGES)
    assert len(DEFAULT_LANGUAGES) >= 75


def test_a_close_call_between_related_languages_is_kept_but_reported() -> None:
    document = load_text("Jeg har ikke tid i dag.", "besked.txt")

    assert document.language == "da"
    assert document.detection is not None and document.detection.doubtful
    assert document.detection.runner_up == "nb"
    assert document.language_warning is not None
    assert document.language_warning.startswith(
        "besked.txt: the language was detected with low confidence (da 0."
    )
    assert "then nb 0." in document.language_warning
    assert document.language_warning.endswith("if da is wrong, give the language explicitly")


def test_a_document_mostly_in_one_language_is_detected_with_its_share_as_confidence() -> None:
    swahili = (TEXTS / "sw.txt").read_text(encoding="utf-8")
    english = [
        (TEXTS / f"{name}-en.txt").read_text(encoding="utf-8") for name in ("sw", "hu", "is")
    ]
    detection = detect("\n\n".join([swahili, *english]))

    assert (detection.language, detection.runner_up) == ("en", "sw")
    assert detection.doubtful
    assert detection.confidence == pytest.approx(2 / 3, abs=0.05)


def test_a_document_half_in_each_language_is_refused_rather_than_guessed() -> None:
    icelandic, english = (
        (TEXTS / name).read_text(encoding="utf-8") for name in ("is.txt", "is-en.txt")
    )

    with pytest.raises(UncertainLanguage) as caught:
        load_text(f"{icelandic}\n\n{english}", "leaflet.txt")
    message = str(caught.value)
    assert message.startswith("leaflet.txt: cannot tell the language of the text with confidence (")
    assert message.endswith("; choose the language explicitly")


@pytest.mark.parametrize("text", ["Hola, ¿qué tal?", "O menino come pão."])
def test_a_text_too_short_to_tell_is_refused_with_the_best_guesses(text: str) -> None:
    with pytest.raises(UncertainLanguage, match=r"with confidence \([a-z]{2} 0\.\d\d, then"):
        detect(text)


def test_a_given_language_skips_detection_even_when_it_would_be_refused() -> None:
    document = load_text("Hola, ¿qué tal?", "saludo.txt", lang="es")
    assert (document.language, document.detection, document.language_warning) == ("es", None, None)


def test_a_long_text_is_read_in_a_few_windows_from_its_start_to_its_end() -> None:
    text = " ".join(f"word{k}" for k in range(20_000))
    pieces = windows(text)

    assert len(pieces) == MAX_WINDOWS
    assert all(0 < len(piece) <= WINDOW_CHARS for piece in pieces)
    assert pieces[0].startswith("word0 ") and pieces[-1].endswith("word19999")
    words = set(text.split(" "))
    assert all(set(piece.split(" ")) <= words for piece in pieces)


def test_a_foreign_opening_does_not_decide_the_language_of_a_long_text() -> None:
    spanish = read_text_file(TEXTS.parents[3] / "corpora/dw-2025-02-17-mexico-border/es.txt")
    english_opening = (TEXTS / "is-en.txt").read_text(encoding="utf-8")
    detection = detect(f"{english_opening}\n\n{spanish}")

    assert detection.language == "es"
    assert not detection.doubtful


def test_candidates_restrict_detection_to_the_languages_named() -> None:
    icelandic = (TEXTS / "is.txt").read_text(encoding="utf-8")
    assert detect(icelandic, candidates=["is", "en"]).language == "is"
    assert detect_language(SPANISH, candidates=("es", "pt")) == "es"


def test_a_text_in_a_language_left_out_of_the_candidates_is_reported() -> None:
    icelandic = (TEXTS / "is.txt").read_text(encoding="utf-8")
    usual = ["en", "es", "de", "fr", "it", "pt", "nl", "pl", "ru", "tr"]

    document = load_text(icelandic, "is.txt", languages=usual)

    assert document.language in usual
    assert document.detection is not None and document.detection.doubtful
    assert document.language_warning == (
        f"is.txt: the language was detected as {document.language} among the languages allowed,"
        " but among all languages it is is (detected, 1.00); if"
        f" {document.language} is wrong, give the language explicitly"
    )
    assert load_text(icelandic, "is.txt", languages=[*usual, "is"]).language_warning is None
