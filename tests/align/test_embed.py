"""Embeddings are computed once per text: the cache, in memory and in the store."""

import threading

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


def test_two_processes_storing_the_same_embeddings_at_once_both_succeed(database_url):
    """Two alignments sharing a text (one original, two translations) embed it at once;
    whichever stores second finds the vectors there and goes on."""
    engines = [store_db.make_engine(database_url) for _ in range(2)]
    caches = [StoreEmbeddingCache(store_db.make_session_factory(e)) for e in engines]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def store(cache, vectors):
        start.wait()
        try:
            cache.put_many("test-model", vectors)
        except BaseException as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)

    for round_ in range(20):
        vectors = {f"{round_}-{i}": np.full(3, i, np.float32) for i in range(200)}
        threads = [threading.Thread(target=store, args=(c, vectors)) for c in caches]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    stored = caches[0].get_many("test-model", ["19-0", "19-199"])
    assert np.allclose(stored["19-199"], 199)
    for engine in engines:
        engine.dispose()
