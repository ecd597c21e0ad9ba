"""The paragraph combination weights: fitted and calibrated on dev, chosen per scorer set."""

from __future__ import annotations

import json

import pytest

from app.align import combine
from app.align import mt as apertium
from app.align.scorers import (
    AnchorScorer,
    ChrfScorer,
    EmbeddingScorer,
    LengthScorer,
    MtScorer,
    StructureScorer,
)

BASE = [LengthScorer(), AnchorScorer(), ChrfScorer(), StructureScorer()]


def shipped() -> dict:
    return json.loads(combine.PARAGRAPH_MODELS.read_text())


def test_weights_were_fitted_for_every_embedding_model_with_and_without_mt():
    profiles = shipped()["profiles"]
    assert {"use", "e5", "none", "use+mt", "none+mt"} <= set(profiles)
    for name, weights in profiles.items():
        assert weights["name"] == f"fitted:{name}"


@pytest.mark.parametrize(
    ("scorers", "profile"),
    [
        ([EmbeddingScorer(), *BASE], "use"),
        ([EmbeddingScorer(model_name="multilingual-e5-small"), *BASE], "e5"),
        (BASE, "none"),
        ([EmbeddingScorer(), MtScorer("spa-eng"), *BASE], "use+mt"),
        ([MtScorer("spa-eng"), *BASE], "none+mt"),
    ],
)
def test_the_weights_follow_the_scorers(scorers, profile):
    assert combine.profile(scorers) == profile
    assert combine.weights_for(scorers).name == f"fitted:{profile}"


def test_the_fitted_weights_reward_agreement():
    for name, data in shipped()["profiles"].items():
        weights = combine.Weights.from_dict(data)
        for term, (weight, _centre) in weights.terms.items():
            if term in ("semantic", "length", "mt"):
                assert weight > 0, (name, term)


def test_the_test_figures_show_the_similarity_is_calibrated():
    """The fitting script records, on the test parts it never fitted on, the Brier score
    and a reliability table of the chosen beads' similarities."""
    for profile, sets in shipped()["test"].items():
        fitted = {k: v for k, v in sets.items() if k.endswith("fitted")}
        assert fitted, profile
        for figures in fitted.values():
            assert figures["brier"] < 0.2
            top = figures["reliability"][-1]
            assert abs(top["predicted"] - top["observed"]) < 0.1


def test_without_apertium_the_mt_profile_is_never_asked_for(monkeypatch):
    monkeypatch.setattr(apertium, "EXECUTABLE", "apertium-not-installed-here")
    apertium.installed_directions.cache_clear()
    try:
        from app.align.aligner import choose_scorers

        assert combine.profile(choose_scorers("es", "en")) == "use"
    finally:
        apertium.installed_directions.cache_clear()
