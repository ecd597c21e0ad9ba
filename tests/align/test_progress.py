"""The aligner tells its progress as (stage, done, total), knowing nothing of who listens."""

from __future__ import annotations

import numpy as np

from app.align.embed import MemoryCache, embed_texts
from app.align.result import Progress


def test_embedding_counts_reach_the_total_when_the_cache_holds_some_texts():
    def encoder(texts):
        return np.ones((len(texts), 4))

    cache = MemoryCache()
    embed_texts(["a", "b"], encoder, "m", cache)
    heard = []
    progress = Progress.reporting(lambda *event: heard.append(event))
    texts = ["a", "b", "c", "c", "d"]
    progress.planned(len(texts))
    embed_texts(texts, encoder, "m", cache, progress.embedded)
    assert heard[0] == ("embedding", 0, 5)
    assert heard[1] == ("embedding", 2, 5)  # the two the cache had
    assert heard[-1] == ("embedding", 5, 5)  # "c" twice counts twice
