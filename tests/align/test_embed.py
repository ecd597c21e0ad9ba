"""Embeddings are computed once per text: the cache, in memory and in the store."""

import numpy as np

from app.align.embed import MemoryCache, embed_side, embed_texts
from app.store import db as store_db
from app.store.embeddings import StoreEmbeddingCache


class CountingEncoder:
    def __init__(self):
        self.seen: list[str] = []

    def __call__(self, texts):
        self.seen += list(texts)
        return np.array([[len(t), t.count("a") + 1.0, 1.0] for t in texts], dtype=np.float32)


def test_a_cached_text_is_not_embedded_again():
    encoder, cache = CountingEncoder(), MemoryCache()
    first = embed_texts(["uno", "dos", "uno"], encoder, "m", cache)
    again = embed_texts(["dos", "tres"], encoder, "m", cache)
    assert encoder.seen == ["dos", "uno", "tres"] or sorted(encoder.seen) == ["dos", "tres", "uno"]
    assert np.allclose(first[1], again[0])
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0)


def test_runs_of_sentences_are_embedded_as_concatenated_texts():
    encoder = CountingEncoder()
    side = embed_side(["a", "b", "c"], encoder, "m", concat_runs=2)
    assert set(side) == {1, 2}
    assert side[2].shape[0] == 2
    assert {"a b", "b c"} <= set(encoder.seen)


def test_the_store_keeps_embeddings_across_sessions(database_url):
    engine = store_db.make_engine(database_url)
    cache = StoreEmbeddingCache(store_db.make_session_factory(engine))
    encoder = CountingEncoder()
    stored = embed_texts(["Hola.", "Adiós."], encoder, "test-model", cache)
    fresh_cache = StoreEmbeddingCache(store_db.make_session_factory(engine))
    again = embed_texts(["Adiós.", "Hola."], CountingEncoder(), "test-model", fresh_cache)
    assert np.allclose(stored[::-1], again)
    assert fresh_cache.get_many("other-model", ["x"]) == {}
    engine.dispose()
