"""The banded DP search on inputs with a known answer, and align() end to end on real text."""

from __future__ import annotations

import itertools
import random

import pytest

from app.align.aligner import align
from app.align.search import SearchParams, band_width, bead_gain, matched_size, search
from app.segments import Segment

# Synthetic inputs ---------------------------------------------------------------------
#
# A document is written as space-separated segments; every letter of a segment is the id
# of a sentence it contains. "a bc d" has three segments: sentence a, sentences b and c,
# sentence d. "-" is a segment that translates nothing on the other side. Two runs of
# segments are translations of each other when they hold the same sentences.

MATCH, MISMATCH = 0.95, 0.05
_fresh = itertools.count()


def labels(document: str) -> list[frozenset]:
    return [
        frozenset({("nothing", next(_fresh))}) if token == "-" else frozenset(token)
        for token in document.split()
    ]


class SyntheticGain:
    """gain(s0, s1, t0, t1) from the sentence ids of both runs; counts its calls."""

    def __init__(self, src: list[frozenset], tgt: list[frozenset], params: SearchParams):
        self.params = params
        self.calls = 0
        max_run = max(max(a, b) for a, b in params.moves)
        self.src = _runs(src, max_run)
        self.tgt = _runs(tgt, max_run)

    def __call__(self, s0: int, s1: int, t0: int, t1: int) -> float:
        self.calls += 1
        same = self.src[(s0, s1)] == self.tgt[(t0, t1)]
        a, b = s1 - s0, t1 - t0
        return bead_gain(MATCH if same else MISMATCH, a + b, a, b, self.params)


def _runs(items: list[frozenset], max_run: int) -> dict[tuple[int, int], frozenset]:
    return {
        (start, end): frozenset().union(*items[start:end])
        for start in range(len(items))
        for end in range(start + 1, min(start + max_run, len(items)) + 1)
    }


Bead = tuple[tuple[int, ...], tuple[int, ...]]


def beads_of(spans) -> list[Bead]:
    return [(tuple(range(s0, s1)), tuple(range(t0, t1))) for (s0, s1), (t0, t1) in spans]


def solve(src: list[frozenset], tgt: list[frozenset], params: SearchParams | None = None):
    params = params or SearchParams()
    gain = SyntheticGain(src, tgt, params)
    return beads_of(search(len(src), len(tgt), gain, params).spans), gain


@pytest.mark.parametrize(
    ("src", "tgt", "expected"),
    [
        pytest.param(
            "a b c d",
            "a b c d",
            [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,))],
            id="all 1-1",
        ),
        pytest.param(
            "a b c d", "a bc d", [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))], id="2-1 merge"
        ),
        pytest.param(
            "a bc d", "a b c d", [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))], id="1-2 split"
        ),
        pytest.param(
            "a bc d e",
            "a b cd e",
            [((0,), (0,)), ((1, 2), (1, 2)), ((3,), (3,))],
            id="2-2 crossing",
        ),
        pytest.param(
            "a b x c d",
            "a b c d",
            [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,)), ((4,), (3,))],
            id="omission in the middle",
        ),
        pytest.param(
            "a b c",
            "- a b c",
            [((), (0,)), ((0,), (1,)), ((1,), (2,)), ((2,), (3,))],
            id="insertion at the start",
        ),
        pytest.param(
            "a b c",
            "a b c -",
            [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((), (3,))],
            id="insertion at the end",
        ),
        pytest.param(
            "x a b", "a b", [((0,), ()), ((1,), (0,)), ((2,), (1,))], id="omission at the start"
        ),
        pytest.param(
            "a b x", "a b", [((0,), (0,)), ((1,), (1,)), ((2,), ())], id="omission at the end"
        ),
        pytest.param(
            "a x y b",
            "a - - b",
            [((0,), (0,)), ((1,), ()), ((2,), ()), ((), (1,)), ((), (2,)), ((3,), (3,))],
            id="omissions before insertions in the middle",
        ),
        pytest.param(
            "x y a",
            "- - a",
            [((0,), ()), ((1,), ()), ((), (0,)), ((), (1,)), ((2,), (2,))],
            id="omissions before insertions at the start",
        ),
        pytest.param(
            "a x y",
            "a - -",
            [((0,), (0,)), ((1,), ()), ((2,), ()), ((), (1,)), ((), (2,))],
            id="omissions before insertions at the end",
        ),
        pytest.param(
            "x y", "- -", [((0,), ()), ((1,), ()), ((), (0,)), ((), (1,))], id="nothing in common"
        ),
        pytest.param(
            "a bc x de f",
            "- ab c d e f -",
            [
                ((), (0,)),
                ((0, 1), (1, 2)),
                ((2,), ()),
                ((3,), (3, 4)),
                ((4,), (5,)),
                ((), (6,)),
            ],
            id="everything at once",
        ),
    ],
)
def test_the_search_finds_the_known_alignment(src, tgt, expected):
    beads, _ = solve(labels(src), labels(tgt))
    assert beads == expected


@pytest.mark.parametrize(("n", "m"), [(0, 0), (0, 3), (3, 0)])
def test_an_empty_side_gives_only_one_sided_beads(n, m):
    beads, gain = solve(labels(" ".join("abc"[:n])), labels(" ".join("-" * m)))
    assert beads == [((k,), ()) for k in range(n)] + [((), (k,)) for k in range(m)]
    assert gain.calls == 0


def test_one_sided_beads_gain_nothing_and_are_never_scored():
    seen = []

    def gain(s0, s1, t0, t1):
        seen.append((s0, s1, t0, t1))
        return -1.0

    path = search(3, 2, gain)
    assert all(s1 > s0 and t1 > t0 for s0, s1, t0, t1 in seen)
    assert beads_of(path.spans) == [((0,), ()), ((1,), ()), ((2,), ()), ((), (0,)), ((), (1,))]


def test_a_bead_shape_penalty_prefers_two_one_to_one_beads_to_a_two_two():
    beads, _ = solve(labels("a b"), labels("a b"))
    assert beads == [((0,), (0,)), ((1,), (1,))]


def test_bead_gain_weighs_similarity_above_skip_by_size_minus_the_shape_penalty():
    params = SearchParams()
    assert bead_gain(0.85, 2.0, 1, 1, params) == pytest.approx(2.0 * (0.85 - params.skip))
    assert bead_gain(0.85, 3.0, 2, 2, params) == pytest.approx(
        3.0 * (0.85 - params.skip) - params.penalty(2, 2)
    )
    assert bead_gain(params.skip, 5.0, 1, 1, params) == 0.0
    assert bead_gain(0.2, 2.0, 1, 1, params) < 0.0


def long_case(seed: int = 7) -> tuple[list[frozenset], list[frozenset], list[Bead]]:
    """2,000 source and 2,100 target segments: mostly 1-1, with splits, merges, gaps."""
    shapes = [(1, 1)] * 1867 + [(1, 2)] * 110 + [(2, 1)] * 10 + [(1, 0)] * 3 + [(0, 1)] * 3
    random.Random(seed).shuffle(shapes)
    # The canonical order would swap an insertion followed by an omission.
    assert all(pair != ((0, 1), (1, 0)) for pair in itertools.pairwise(shapes))
    src: list[frozenset] = []
    tgt: list[frozenset] = []
    expected: list[Bead] = []
    for k, (a, b) in enumerate(shapes):
        sentences = [(k, part) for part in range(max(a, b))]
        src_segments, tgt_segments = _pieces(a, sentences), _pieces(b, sentences)
        expected.append(
            (
                tuple(range(len(src), len(src) + a)),
                tuple(range(len(tgt), len(tgt) + b)),
            )
        )
        src += src_segments
        tgt += tgt_segments
    return src, tgt, expected


def _pieces(count: int, sentences: list) -> list[frozenset]:
    """No segment, one segment holding every sentence, or one segment per sentence."""
    if count <= 1:
        return [frozenset(sentences)] * count
    return [frozenset({sentence}) for sentence in sentences]


def test_a_segment_without_counterpart_adds_nothing_to_the_matched_size():
    one_one = matched_size(src_chars=100, tgt_chars=90, ratio=0.9, unit=50)
    with_extra_source = matched_size(src_chars=160, tgt_chars=90, ratio=0.9, unit=50)
    assert with_extra_source == pytest.approx(one_one)


def test_a_two_one_bead_gains_less_than_its_one_one_plus_one_zero_at_equal_similarity():
    params = SearchParams()
    size = matched_size(src_chars=100, tgt_chars=90, ratio=0.9, unit=50)
    merged = bead_gain(0.9, matched_size(160, 90, 0.9, 50), 2, 1, params)
    split = bead_gain(0.9, size, 1, 1, params) + 0.0  # a 1-0 bead gains nothing
    assert merged < split


def test_a_long_document_is_solved_inside_the_band():
    src, tgt, expected = long_case()
    assert (len(src), len(tgt)) == (2000, 2100)
    params = SearchParams()
    beads, gain = solve(src, tgt, params)
    assert beads == expected
    width = band_width(len(src), len(tgt), params)
    two_sided = sum(1 for a, b in params.moves if a and b)
    assert gain.calls <= len(src) * 2 * width * len(params.moves)
    # A full matrix would score every move at every cell.
    assert gain.calls < len(src) * len(tgt) * two_sided / 5


def test_an_impossible_band_raises():
    # 1-3 then 3-1 reaches (4, 4), but (1, 3) is outside a band of width 0.
    params = SearchParams(moves=((1, 3), (3, 1)), min_band=0)
    src, tgt = labels("abc d e f"), labels("a b c def")
    with pytest.raises(RuntimeError, match="no alignment path inside the search band"):
        solve(src, tgt, params)
    wide = SearchParams(moves=((1, 3), (3, 1)))
    beads, _ = solve(src, tgt, wide)
    assert beads == [((0,), (0, 1, 2)), ((1, 2, 3), (3,))]


def test_moves_that_cannot_reach_the_end_raise():
    with pytest.raises(RuntimeError):
        solve(labels("a b"), labels("a b c"), SearchParams(moves=((1, 1),)))


def test_a_narrow_band_still_covers_every_segment():
    # The true alignment leaves the band; the search settles for a path inside it.
    src = labels(" ".join("abcdefghij") + " x x x x x x")
    tgt = labels("- - - - - - " + " ".join("abcdefghij"))
    beads, _ = solve(src, tgt, SearchParams(min_band=2))
    assert [i for s, _ in beads for i in s] == list(range(len(src)))
    assert [j for _, t in beads for j in t] == list(range(len(tgt)))
    assert sum(1 for s, t in beads if s and t) < 10


# End to end through align() -----------------------------------------------------------

PAIRS = [
    (
        "El Gobierno de México anunció el lunes el envío de 10.000 soldados de la Guardia "
        "Nacional a la frontera norte.",
        "The Mexican government announced on Monday that it would send 10,000 National Guard "
        "troops to the northern border.",
    ),
    (
        "La presidenta Claudia Sheinbaum dijo que la medida busca frenar el tráfico de "
        "fentanilo hacia Estados Unidos.",
        "President Claudia Sheinbaum said the measure aims to curb fentanyl trafficking into "
        "the United States.",
    ),
    (
        "Según cifras oficiales, en 2024 fueron detenidas 1.500 personas en la región de Tijuana.",
        "According to official figures, 1,500 people were arrested in the Tijuana region in 2024.",
    ),
    (
        "Los agricultores de Sonora temen perder hasta un 25 % de sus exportaciones si "
        "Washington impone aranceles.",
        "Farmers in Sonora fear losing up to 25% of their exports if Washington imposes tariffs.",
    ),
    (
        "El economista Carlos Ramírez calcula que el comercio bilateral supera los 800.000 "
        "millones de dólares al año.",
        "Economist Carlos Ramírez estimates that bilateral trade exceeds 800,000 million "
        "dollars a year.",
    ),
    (
        "Mientras tanto, miles de migrantes esperan en albergues de Ciudad Juárez una cita "
        "para pedir asilo.",
        "Meanwhile, thousands of migrants are waiting in shelters in Ciudad Juárez for an "
        "appointment to apply for asylum.",
    ),
    (
        "La organización Médicos Sin Fronteras denunció que las condiciones sanitarias en los "
        "campamentos son graves.",
        "The organisation Doctors Without Borders reported that sanitary conditions in the "
        "camps are serious.",
    ),
    (
        "Las negociaciones entre ambos gobiernos continuarán la próxima semana en la capital "
        "mexicana.",
        "Negotiations between the two governments will continue next week in the Mexican capital.",
    ),
]
SPANISH = [spanish for spanish, _ in PAIRS]
ENGLISH = [english for _, english in PAIRS]
NEWSLETTER = "Subscribe to our newsletter!"


def aligned(src: list[str], tgt: list[str]) -> list[Bead]:
    result = align([Segment(t) for t in src], [Segment(t) for t in tgt], "es", "en")
    return [
        (tuple(range(b.src_start, b.src_end)), tuple(range(b.tgt_start, b.tgt_end)))
        for b in result.beads
    ]


def one_to_one(pairs) -> list[Bead]:
    return [((s,), (t,)) for s, t in pairs]


def test_sentences_in_the_same_order_align_one_to_one():
    assert aligned(SPANISH, ENGLISH) == one_to_one(zip(range(8), range(8), strict=True))


def test_two_english_sentences_joined_into_one_segment_make_a_two_one_bead():
    english = ENGLISH[:3] + [f"{ENGLISH[3]} {ENGLISH[4]}"] + ENGLISH[5:]
    assert aligned(SPANISH, english) == (
        one_to_one([(0, 0), (1, 1), (2, 2)])
        + [((3, 4), (3,))]
        + one_to_one([(5, 4), (6, 5), (7, 6)])
    )


def test_a_spanish_sentence_without_translation_is_an_omission():
    english = ENGLISH[:5] + ENGLISH[6:]
    assert aligned(SPANISH, english) == (
        one_to_one([(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)])
        + [((5,), ())]
        + one_to_one([(6, 5), (7, 6)])
    )


def test_an_english_segment_that_translates_nothing_is_an_insertion():
    english = ENGLISH[:4] + [NEWSLETTER] + ENGLISH[4:]
    assert aligned(SPANISH, english) == (
        one_to_one([(0, 0), (1, 1), (2, 2), (3, 3)])
        + [((), (4,))]
        + one_to_one([(4, 5), (5, 6), (6, 7), (7, 8)])
    )
