"""One registry of features: every signal declared once, found by name everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.align import features
from app.align.engine import bead_features, build_sides, length_ratio
from app.align.model import MODELS, AlignmentModel

MODEL_FILES = sorted(MODELS.glob("*.json"))


def test_every_feature_has_a_name_a_label_and_a_meaning():
    assert set(features.FEATURES) >= {
        "semantic", "mt", "lexical", "anchors", "length", "structure", "lexicon",
    }  # fmt: skip
    for name, feature in features.FEATURES.items():
        assert feature.name == name
        assert feature.label and feature.meaning
        assert features.label(name) == feature.label


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.stem)
def test_every_shipped_model_weighs_registered_features_only(path: Path):
    model = AlignmentModel.from_json(path.read_text())
    assert set(model.weights) <= set(features.FEATURES), path.name
    first = model.first_pass()
    assert set(first.weights) <= set(features.FEATURES)
    assert model.level in ("paragraph", "sentence")
    assert path.stem.startswith(model.level + "-")


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.stem)
def test_every_shipped_model_has_a_fitted_confidence(path: Path):
    data = json.loads(path.read_text())
    assert data["confidence"], path.name
    assert "bias" in data["confidence"]


def test_the_texts_alone_give_every_feature_that_needs_nothing_else():
    src, tgt = build_sides(["Hola, Ana."], ["Hello, Ana."])
    available = features.available(src, tgt)
    needing = {n for n, f in features.FEATURES.items() if f.needs}
    assert set(available) == set(features.FEATURES) - needing
    assert "semantic" not in available and "mt" not in available


def test_embeddings_and_a_translation_make_their_features_available():
    vectors = {1: np.eye(2, dtype=np.float32)}
    src, tgt = build_sides(
        ["Uno.", "Dos."], ["One.", "Two."], vectors, vectors, ("source", ["One.", "Two."])
    )
    assert {"semantic", "leak", "mt"} <= set(features.available(src, tgt))


def test_a_feature_gives_the_same_value_for_one_candidate_as_inside_a_batch():
    src_texts = ["El 12 de mayo llegó Ana.", "Luego se fue.", "¿Vuelve?"]
    tgt_texts = ["Ana arrived on 12 May.", "Then she left.", "Is she coming back?"]
    src, tgt = build_sides(src_texts, tgt_texts)
    ratio = length_ratio(src, tgt)
    rows, cols = np.array([1, 2, 3, 3]), np.array([1, 2, 3, 2])
    batch = bead_features(src, tgt, 1, 1, rows, cols, ratio)
    for k in range(rows.size):
        one = bead_features(src, tgt, 1, 1, rows[k : k + 1], cols[k : k + 1], ratio)
        for name, values in batch.items():
            assert one[name][0] == pytest.approx(values[k]), name


def test_the_structure_feature_pairs_headings_with_headings():
    src, tgt = build_sides(
        ["Título", "Texto.", "Otro"],
        ["Title", "Text.", "More text."],
        headings=([True, False, True], [True, False, False]),
    )
    values = features.structure(src, tgt, 1, 1, np.array([1, 2, 3]), np.array([1, 2, 3]))
    assert list(values) == [1.0, 0.0, -1.0]


def test_numbers_and_names_are_those_the_qa_checks_find():
    from app.align.anchors import NUMBER, capitalised_words

    text = "Dijo Lisa Sánchez que 10'000 y 10.000 personas llegaron a Tijuana."
    counts = features.anchor_counts([text])[0]
    numbers = counts[6 : 6 + 64].sum()
    names = counts[6 + 64 :].sum()
    assert numbers == len(NUMBER.findall(text)) == 2
    assert names == len(capitalised_words(text)) == 3
