"""A forking worker loads the embedding model once, before its work-horses fork."""

import logging

from app.align import encoders as embedding
from app.jobs import worker


def test_the_worker_preloads_the_embedding_model_its_jobs_inherit():
    embedding.use_encoder.cache_clear()
    worker.preload_models()
    assert embedding.use_encoder.cache_info().currsize == 1
    vectors = embedding.use_encoder()(["Zermatt liegt im Wallis.", "Zermatt est en Valais."])
    assert vectors.shape == (2, 512)


def test_a_model_that_fails_to_load_does_not_stop_the_worker(monkeypatch, caplog):
    def broken():
        raise OSError("weights.npz: no such file")

    monkeypatch.setattr(embedding, "use_encoder", broken)
    with caplog.at_level(logging.ERROR, logger="app.jobs.worker"):
        worker.preload_models()
    assert "preloading the embedding model failed" in caplog.text
