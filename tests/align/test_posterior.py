import itertools
import math

import numpy as np
import pytest

from app.align import banded, posterior

MOVES = ((1, 0), (0, 1), (1, 1), (1, 2), (2, 1), (2, 2))


def table_gain(seed: int):
    """A fixed random gain for every (shape, end cell)."""
    rng = np.random.default_rng(seed)
    values = rng.normal(size=(3, 3, 8, 8))

    def gain(a, b, rows, cols):
        return values[a, b, rows, cols]

    return gain


def all_paths(n, m, moves, band):
    """Every monotone path from (0, 0) to (n, m) whose cells all lie inside the band."""

    def inside(i, j):
        return band.lo[i] <= j <= band.hi[i]

    def extend(i, j):
        if (i, j) == (n, m):
            yield []
            return
        for a, b in moves:
            if i + a <= n and j + b <= m and inside(i + a, j + b):
                for rest in extend(i + a, j + b):
                    yield [((i, i + a), (j, j + b)), *rest]

    return list(extend(0, 0))


def path_weight(path, gain, temperature):
    total = 0.0
    for (s0, s1), (t0, t1) in path:
        a, b = s1 - s0, t1 - t0
        if a and b:
            total += float(gain(a, b, np.array([s1]), np.array([t1]))[0])
    return math.exp(total / temperature)


def brute_marginals(n, m, moves, gain, band, temperature):
    paths = all_paths(n, m, moves, band)
    weights = [path_weight(p, gain, temperature) for p in paths]
    total = sum(weights)
    beads = sorted({bead for p in paths for bead in p})
    return (
        beads,
        [
            sum(w for p, w in zip(paths, weights, strict=True) if bead in p) / total
            for bead in beads
        ],
        total,
    )


@pytest.mark.parametrize(
    ("n", "m", "width", "temperature", "seed"),
    [(3, 4, 10, 1.0, 0), (4, 4, 1, 1.0, 1), (4, 3, 2, 0.5, 2), (5, 5, 1, 2.0, 3)],
)
def test_marginals_equal_enumeration_of_every_path(n, m, width, temperature, seed):
    gain = table_gain(seed)
    band = banded.Band.diagonal(n, m, width)
    beads, expected, total = brute_marginals(n, m, MOVES, gain, band, temperature)
    table = posterior.forward(n, m, MOVES, gain, band, temperature)
    assert table.log_total == pytest.approx(math.log(total))
    got = posterior.bead_marginals(table, n, m, beads)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


def test_each_source_sentence_is_covered_with_probability_one():
    n, m = 5, 6
    gain = table_gain(4)
    band = banded.Band.diagonal(n, m, 2)
    beads = [
        ((i - a, i), (j - b, j))
        for i in range(n + 1)
        for j in range(band.lo[i], band.hi[i] + 1)
        for a, b in MOVES
        if i >= a and j >= b
    ]
    got = posterior.marginals(n, m, MOVES, gain, band, beads)
    for sentence in range(n):
        covering = [p for p, ((s0, s1), _) in zip(got, beads, strict=True) if s0 <= sentence < s1]
        assert sum(covering) == pytest.approx(1.0)
    for sentence in range(m):
        covering = [p for p, (_, (t0, t1)) in zip(got, beads, strict=True) if t0 <= sentence < t1]
        assert sum(covering) == pytest.approx(1.0)


def test_a_bead_outside_the_band_or_of_an_unknown_shape_has_probability_zero():
    gain = table_gain(5)
    band = banded.Band.diagonal(6, 6, 1)
    got = posterior.marginals(6, 6, MOVES, gain, band, [((0, 1), (4, 6)), ((0, 3), (0, 1))])
    assert list(got) == [0.0, 0.0]


def test_a_low_temperature_concentrates_on_the_best_path():
    n, m = 5, 5
    gain = table_gain(6)
    band = banded.Band.diagonal(n, m, 5)
    best = banded.search(n, m, MOVES, gain, band)
    got = posterior.marginals(n, m, MOVES, gain, band, best, temperature=0.01)
    assert got == pytest.approx(np.ones(len(best)))


def test_paths_through_the_whole_band_are_counted_exactly_once():
    # With only 1-1 moves there is exactly one path: every bead on it is certain.
    n = 4
    band = banded.Band.diagonal(n, n, 3)
    beads = [((i, i + 1), (i, i + 1)) for i in range(n)]
    got = posterior.marginals(n, n, ((1, 1),), table_gain(7), band, beads)
    assert list(itertools.chain(got)) == pytest.approx([1.0] * n)
