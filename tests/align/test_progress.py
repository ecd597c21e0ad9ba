"""The aligner tells its progress as (stage, done, total), knowing nothing of who listens."""

from __future__ import annotations

import numpy as np

from app.align.aligner import Progress, align
from app.align.embed import MemoryCache, embed_texts
from app.align.scorers import ChrfScorer, LengthScorer
from app.align.search import search
from app.segments import Segment


def test_the_search_reports_each_source_segment_placed():
    heard = []
    search(3, 3, lambda *span: 1.0, progress=lambda done, total: heard.append((done, total)))
    assert heard == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_the_paragraph_aligner_reports_its_search_through_progress_report():
    heard = []
    segments = [Segment(f"Paragraph number {k} of the text.") for k in range(4)]
    align(
        segments,
        segments,
        "en",
        "en",
        scorers=[LengthScorer(), ChrfScorer()],
        progress=Progress.reporting(lambda *event: heard.append(event)),
    )
    assert heard[-1] == ("aligning paragraphs", 4, 4)
    assert [done for _, done, _ in heard] == sorted(done for _, done, _ in heard)


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
