"""Paragraphs aligned by the engine: the corpus pair against its gold, other language
pairs, and what the result records."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.align import engine
from app.align import mt as apertium
from app.align.embed import MemoryCache, embed_texts, text_hash
from app.align.encoders import USE_MODEL, use_encoder
from app.align.levels import align_segments, edge_sentences
from app.align.model import PARAGRAPH_MOVES, load_model, model_exists
from app.align.result import Progress
from app.segments import Segment, SegmentKind

GOLD = Path(__file__).resolve().parents[2] / "corpora" / "dw-2025-02-17-mexico-border" / "gold.json"
MT = apertium.direction("es", "en") is not None


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


@pytest.mark.parametrize("index", range(28))
def test_each_gold_bead_is_found(gold, corpus_result, index):
    assert spans(corpus_result.beads)[index] == (
        gold["beads"][index]["src"],
        gold["beads"][index]["tgt"],
    )


def test_the_corpus_pair_aligns_exactly_as_the_gold_standard(gold, corpus_result):
    expected = [(bead["src"], bead["tgt"]) for bead in gold["beads"]]
    assert spans(corpus_result.beads) == expected


def test_every_segment_is_in_exactly_one_bead_in_order(corpus_pair, corpus_result):
    es, en = corpus_pair
    beads = spans(corpus_result.beads)
    assert [i for src, _ in beads for i in src] == list(range(len(es.segments)))
    assert [j for _, tgt in beads for j in tgt] == list(range(len(en.segments)))
    assert all(src or tgt for src, tgt in beads)


def test_two_sided_beads_have_a_probability_and_the_model_features(corpus_result):
    model = load_model(corpus_result.parameters["model"], "paragraph")
    two_sided = [b for b in corpus_result.beads if not b.one_sided]
    assert len(two_sided) == 20
    for bead in two_sided:
        assert 0.0 <= bead.similarity <= 1.0
        assert set(bead.scores) == set(model.weights)


def test_one_sided_beads_have_no_similarity(corpus_result):
    one_sided = [b for b in corpus_result.beads if b.one_sided]
    assert len(one_sided) == 8
    assert all(b.similarity is None and b.scores == {} for b in one_sided)


def test_heading_beads_pair_headings_on_both_sides(corpus_pair, corpus_result):
    es, en = corpus_pair
    for bead in corpus_result.beads:
        if bead.one_sided:
            continue
        src_headings = sum(
            s.kind == SegmentKind.HEADING for s in es.segments[bead.src_start : bead.src_end]
        )
        tgt_headings = sum(
            s.kind == SegmentKind.HEADING for s in en.segments[bead.tgt_start : bead.tgt_end]
        )
        assert bead.scores["structure"] == (1.0 if src_headings else 0.0)
        assert src_headings == tgt_headings


def test_the_result_records_its_model_level_and_choice(corpus_result):
    parameters = corpus_result.parameters
    assert corpus_result.method == engine.METHOD
    assert parameters["level"] == "paragraph"
    # MT is weighed at paragraph level only where a "+mt" model gained on dev.
    with_mt = MT and model_exists("semantic+mt", "paragraph")
    assert parameters["model"] == ("semantic+mt" if with_mt else "semantic")
    if MT and not with_mt:
        assert "mt" not in parameters["scorer_choice"]["scorers"]
        assert any("did not improve" in n for n in parameters["scorer_choice"]["notes"])
    assert "semantic" in parameters["scorer_choice"]["scorers"]
    assert parameters["moves"] == [f"{a}-{b}" for a, b in PARAGRAPH_MOVES]
    json.dumps(parameters)  # stored with the alignment


def test_the_corpus_beads_are_confident(corpus_result):
    # "Doubtful first" puts doubtful beads first; on the corpus none is doubtful.
    assert min(b.similarity for b in corpus_result.beads if not b.one_sided) > 0.5


def test_progress_hears_the_embedding_and_the_paragraphs_placed(corpus_pair):
    es, en = corpus_pair
    heard: list[tuple[str, int, int]] = []
    progress = Progress.reporting(lambda stage, done, total: heard.append((stage, done, total)))
    align_segments(es.segments[:4], en.segments[:4], "es", "en", progress=progress)
    embedding = [h for h in heard if h[0] == "embedding"]
    assert embedding[0][1] == 0 and embedding[-1][1] == embedding[-1][2] > 0
    assert heard[-1] == ("aligning paragraphs", 4, 4)


# Other language pairs -----------------------------------------------------------------

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


def segments(texts: list[str]) -> list[Segment]:
    return [Segment(text) for text in texts]


@pytest.fixture(scope="module")
def e5_result():
    """Swahili-English: USE does not know Swahili, e5 does."""
    return align_segments(segments(SWAHILI), segments(ENGLISH), "sw", "en")


def test_swahili_english_is_aligned_with_e5(e5_result):
    assert spans(e5_result.beads) == [([k], [k]) for k in range(6)]
    assert e5_result.parameters["model"] == "e5"
    assert e5_result.parameters["scorer_choice"]["embedding_model"] == "multilingual-e5-small"
    assert all(b.similarity > 0.5 for b in e5_result.beads)


def test_the_fast_model_aligns_without_any_neural_model():
    result = align_segments(segments(SWAHILI), segments(ENGLISH), "sw", "en", fast=True)
    assert spans(result.beads) == [([k], [k]) for k in range(6)]
    assert result.parameters["model"] == "fast"
    assert all("semantic" not in b.scores for b in result.beads)
    assert all(b.similarity > 0.5 for b in result.beads)


def test_a_paragraph_split_in_two_by_the_translator_is_one_bead():
    merged = SWAHILI[:2] + [SWAHILI[2] + " " + SWAHILI[3]] + SWAHILI[4:]
    result = align_segments(segments(merged), segments(ENGLISH), "sw", "en")
    assert spans(result.beads) == [([0], [0]), ([1], [1]), ([2], [2, 3]), ([3], [4]), ([4], [5])]


def test_an_untranslated_paragraph_stays_alone():
    extra = "Habari hii imeandikwa na mwandishi wetu wa Dar es Salaam kwa ajili ya wasomaji wetu."
    src = SWAHILI[:3] + [extra] + SWAHILI[3:]
    result = align_segments(segments(src), segments(ENGLISH), "sw", "en")
    assert ([3], []) in spans(result.beads)
    assert len([b for b in result.beads if not b.one_sided]) == 6


def test_two_empty_documents_give_no_beads():
    assert align_segments([], [], "es", "en").beads == []


def test_an_empty_source_gives_only_insertions():
    result = align_segments([], segments(ENGLISH[:3]), "sw", "en")
    assert spans(result.beads) == [([], [0]), ([], [1]), ([], [2])]


def test_a_paragraphs_first_and_last_sentences_are_embedded_once_for_both_levels():
    cache = MemoryCache()
    texts = ["Uno solo.", "Primera frase del párrafo. Segunda frase. Última frase del párrafo."]
    units = embed_texts(texts, use_encoder(), USE_MODEL)
    first, last = edge_sentences(texts, "es", units, USE_MODEL, cache)
    # A paragraph of one sentence is its own first and last sentence.
    np.testing.assert_allclose(first[0], units[0])
    np.testing.assert_allclose(last[0], units[0])
    edges = ["Primera frase del párrafo.", "Última frase del párrafo."]
    expected = embed_texts(edges, use_encoder(), USE_MODEL)
    np.testing.assert_allclose(first[1], expected[0], atol=1e-5)
    np.testing.assert_allclose(last[1], expected[1], atol=1e-5)
    # The sentence level, which cuts the paragraph the same way, finds them in the cache.
    assert len(cache.get_many(USE_MODEL, [text_hash(t) for t in edges])) == 2


GERMAN = [
    "Der Winter kam früh in diesem Jahr, und die Bauern im Tal hatten ihre Ernte noch nicht "
    "eingebracht. Viele Felder lagen unter dem ersten Schnee.",
    "Im Dorf sprach man von nichts anderem als vom Wetter. Die Alten erinnerten sich an "
    "ähnliche Jahre, die Jungen wollten in die Stadt ziehen.",
    "Niemand war darauf vorbereitet.",
    "Der Bürgermeister rief eine Versammlung ein, um über die Vorräte zu sprechen. Man "
    "beschloss, das Getreide gemeinsam zu lagern und gerecht zu verteilen. Auch die Schule "
    "sollte bis zum Frühjahr geschlossen bleiben.",
    "Im März schmolz endlich der Schnee, und die ersten Schwalben kehrten zurück. Das Dorf "
    "hatte den Winter überstanden.",
]
# The translator joined the one-sentence paragraph to the next one.
JOINED = [
    "Winter came early that year, and the farmers in the valley had not yet brought in their "
    "harvest. Many fields lay under the first snow.",
    "In the village people talked of nothing but the weather. The old remembered similar "
    "years, the young wanted to move to the city.",
    "Nobody was prepared for it. The mayor called a meeting to discuss the supplies. It was "
    "decided to store the grain together and share it fairly. The school too was to stay "
    "closed until spring.",
    "In March the snow finally melted, and the first swallows returned. The village had "
    "survived the winter.",
]


def test_a_short_paragraph_joined_to_the_next_by_the_translator_is_one_bead_with_it():
    result = align_segments(segments(GERMAN), segments(JOINED), "de", "en")
    assert spans(result.beads) == [([0], [0]), ([1], [1]), ([2, 3], [2]), ([4], [3])]
    assert all("overhang" in bead.scores for bead in result.beads)
