"""Search as a reader expects it: accents and case do not matter, matches are marked
(both backends)."""

from __future__ import annotations

import re

import pytest

from app.store.queries import fold
from app.web.search import highlight, match_spans

from .pages import positions


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("México", "mexico"),
        ("MÉXICO", "mexico"),
        ("Straße", "strasse"),
        ("Ελλάδα", "ελλαδα"),
        ("Москва́", "москва"),
        ("plain", "plain"),
    ],
)
def test_folding_drops_accents_and_case(text, folded):
    assert fold(text) == folded


def test_matches_are_found_in_the_original_text_and_marked_escaped():
    assert match_spans("En MÉXICO y méxico", "Mexico") == [(3, 9), (12, 18)]
    assert str(highlight("<b>México</b>", "mexico")) == "&lt;b&gt;<mark>México</mark>&lt;/b&gt;"


@pytest.mark.parametrize("query", ["México", "Mexico", "MÉXICO", "mexico"])
def test_every_spelling_finds_the_same_pairs_with_highlights(client, demo_alignment, query):
    reference = client.get(f"/alignments/{demo_alignment}?q=mexico").get_data(as_text=True)

    html = client.get(f"/alignments/{demo_alignment}?q={query}").get_data(as_text=True)

    assert positions(html) == positions(reference)
    assert len(positions(html)) > 1
    marked = re.findall(r"<mark>([^<]*)</mark>", html)
    assert marked and {fold(m) for m in marked} == {"mexico"}
