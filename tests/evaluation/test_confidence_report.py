import pytest

from app.evaluation.run import confidence
from app.segments import BeadSpan


def judged(similarities_and_rightness):
    return [
        (BeadSpan(k, k + 1, k, k + 1, similarity), right)
        for k, (similarity, right) in enumerate(similarities_and_rightness)
    ]


def test_the_share_counts_the_wrong_beads_among_the_least_confident_tenth():
    beads = [(0.05, False), (0.1, True)] + [(0.9, True)] * 17 + [(0.95, False)]
    report = confidence(judged(beads))
    assert report["wrong"] == 2
    assert report["wrong_in_lowest_10_percent"] == 1  # the lowest two of twenty beads
    assert report["share_of_wrong_in_lowest_10_percent"] == 0.5


def test_the_brier_score_is_the_mean_squared_error_of_the_similarity():
    report = confidence(judged([(1.0, True), (0.0, False), (0.5, True), (0.5, False)]))
    assert report["brier"] == pytest.approx((0 + 0 + 0.25 + 0.25) / 4)
