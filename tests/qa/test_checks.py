"""Each QA check on hand-made pairs: (source, target) → expected number of flags."""

from __future__ import annotations

import pytest

from app.qa import QaPair, parse_glossary
from app.qa.empty import EmptySideCheck
from app.qa.glossary import GlossaryCheck
from app.qa.identifiers import IdentifiersCheck
from app.qa.length import LengthRatioCheck
from app.qa.names import NamesCheck
from app.qa.numbers import NumbersCheck
from app.qa.omission import OmissionCheck
from app.qa.punctuation import QuotesBracketsCheck
from app.qa.untranslated import UntranslatedCheck


def pair(source: str, target: str, position: int = 0, one_sided: bool = False) -> QaPair:
    return QaPair(position, source, target, "es", "en", one_sided)


@pytest.mark.parametrize(
    ("source", "target", "flags"),
    [
        ("Detuvo a 0,071 personas.", "Arrested 0.071 people.", 0),
        ("Desplegó 10.000 elementos.", "Deployed 10,000 elements.", 0),
        ("Más de 800.000 migrantes (2018-2024).", "Over 800,000 migrants (2018-2024).", 0),
        ("Son 139 detenidos.", "There are 193 arrests.", 2),
        ("Hay dos armas.", "There are 2 weapons.", 0),
        ("Subió un 15 %.", "It rose by 15%.", 0),
        ("Subió un 15 %.", "It rose by 15 points.", 1),
        ("Visite https://dw.com/a1 hoy.", "Visit https://dw.com/a1 today.", 0),
    ],
)
def test_numbers_are_compared_by_value(source: str, target: str, flags: int) -> None:
    assert len(NumbersCheck().flags(pair(source, target))) == flags


def test_names_learned_from_the_alignment_are_flagged_when_missing() -> None:
    check = NamesCheck()
    pairs = [
        pair("Lo dijo el experto Falko Ernst.", "The expert Falko Ernst said so."),
        pair("El Gobierno de México actuó.", "The Mexican government acted.", 1),
        pair(
            "Según la presidenta Sheinbaum, todo va bien.",
            "According to the president, all good.",
            2,
        ),
        pair("El experto Ernst lo dijo.", "The expert Ernst's view.", 3),
    ]
    pairs.append(pair("Así lo ve Sheinbaum en Palacio.", "That is how Sheinbaum sees it.", 4))
    check.learn(pairs)
    assert [len(check.flags(p)) for p in pairs] == [0, 0, 1, 0, 0]
    assert "sheinbaum" in check.flags(pairs[2])[0].message


@pytest.mark.parametrize(
    ("source", "target", "flags"),
    [
        ("Un “círculo vicioso” (dijo).", "A “vicious circle” (he said).", 0),
        ("Un «círculo vicioso».", 'A "vicious circle".', 0),
        ("Un “círculo vicioso”.", "A “vicious circle.", 1),
        ("Marines (soldados de élite)", "Marines (elite soldiers", 1),
    ],
)
def test_quotes_and_brackets(source: str, target: str, flags: int) -> None:
    assert len(QuotesBracketsCheck().flags(pair(source, target))) == flags


@pytest.mark.parametrize(
    ("source", "target", "flags"),
    [
        ("Escriba a info@dw.com o #DW.", "Write to INFO@dw.com or #dw.", 0),
        ("Vea https://dw.com/es/x.", "See https://dw.com/en/x.", 2),
        ("Siga a @dw_espanol.", "Follow us.", 1),
    ],
)
def test_identifiers_must_match(source: str, target: str, flags: int) -> None:
    assert len(IdentifiersCheck().flags(pair(source, target))) == flags


@pytest.mark.parametrize(
    ("source", "target", "flags"),
    [
        ("El gobierno de Trump apuesta por la militarización.", "The Trump government bets.", 0),
        ("Claudia Sheinbaum", "Claudia Sheinbaum", 0),
        (
            "Una semana después de reforzar la seguridad.",
            "Una semana después de reforzar la seguridad.",
            1,
        ),
        (
            "Many detainees were migrants, says the director of the organisation.",
            "Muchos detenidos, además, eran migrantes, destaca la directora general de la "
            "organización.",
            1,
        ),
    ],
)
def test_untranslated_targets(source: str, target: str, flags: int) -> None:
    assert len(UntranslatedCheck().flags(pair(source, target))) == flags


def test_length_ratio_is_learned_from_the_alignment() -> None:
    # Targets are about 0.9 of their sources everywhere, except pair 9 which lost half.
    pairs = [pair("x" * (100 + 10 * k), "y" * (90 + 9 * k), k) for k in range(9)]
    pairs.append(pair("x" * 200, "y" * 90, 9))
    check = LengthRatioCheck()
    check.learn(pairs)
    assert [k for k, p in enumerate(pairs) if check.flags(p)] == [9]


def test_empty_sides_and_omissions_in_the_middle() -> None:
    pairs = [
        pair("", "Byline.", 0, one_sided=True),
        pair("Uno.", "One.", 1),
        pair("Dos.", "", 2, one_sided=True),
        pair("Tres.", "Three.", 3),
        pair("", "Scroll to top", 4, one_sided=True),
    ]
    omission, empty = OmissionCheck(), EmptySideCheck()
    omission.learn(pairs)
    assert [len(omission.flags(p)) for p in pairs] == [0, 0, 1, 0, 0]
    assert [len(empty.flags(p)) for p in pairs] == [1, 0, 1, 0, 1]


def test_glossary_terms_need_their_translation() -> None:
    glossary = parse_glossary(
        "source,target\nfrontera,border\nGuardia Nacional,National Guard|NG\n"
    )
    check = GlossaryCheck(glossary)
    assert check.flags(pair("En las fronteras.", "On the borders.")) == []
    assert check.flags(pair("La Guardia Nacional.", "The NG.")) == []
    flags = check.flags(pair("La guardia nacional llegó.", "The troops came."))
    assert [f.message for f in flags] == [
        "'Guardia Nacional' should be translated as 'National Guard' or 'NG'"
    ]


def test_a_glossary_row_without_a_target_is_an_error() -> None:
    from app.ingest import IngestError

    with pytest.raises(IngestError, match="row 2 needs a source term and a target term"):
        parse_glossary("frontera,border\nsolo\n")


def test_an_english_target_of_an_icelandic_translation_is_flagged() -> None:
    english = "Many visitors go to the church and then have a swim in one of the hot pools."
    icelandic = (
        "Margir ferðamenn heimsækja kirkjuna og fara síðan í sund í einni af heitu laugunum."
    )
    check = UntranslatedCheck()

    assert check.flags(QaPair(0, english, icelandic, "en", "is", False)) == []
    left_in_english = "Many visitors walk to the old harbour and then swim in the warm pools."
    assert len(check.flags(QaPair(0, english, left_in_english, "en", "is", False))) == 1
