"""Where an alignment goes wrong: each wrong link sorted by how it differs from the gold.

The strict metric only counts links that are exactly right; these counts say what the
wrong ones are instead, so that work on the aligner goes where the errors are.
"""

from __future__ import annotations

from collections import Counter

from app.evaluation.links import Link

UNREACHABLE = "touches a gold link no monotone alignment can produce"
LEFT_OUT = "one-sided, where the gold puts the line in a bead"
FOLDED_IN = "a gold bead with one-sided gold lines folded in"
JOINS = "joins two or more gold beads"
SPLITS = "part of a larger gold bead"
SHIFTED = "other (boundaries shifted)"
KINDS = (UNREACHABLE, LEFT_OUT, FOLDED_IN, JOINS, SPLITS, SHIFTED)


def _contiguous(indices: tuple[int, ...]) -> bool:
    return all(b == a + 1 for a, b in zip(indices, indices[1:], strict=False))


def unreachable(gold: list[Link]) -> set[Link]:
    """Gold links that no path of contiguous beads in order can produce: those with a gap
    inside one side, and the fewest two-sided links whose removal leaves the others in
    order on both sides (the complement of a longest increasing run of target positions,
    taken in source order)."""
    out = {g for g in gold if not (_contiguous(g.src) and _contiguous(g.tgt))}
    two_sided = sorted((g for g in gold if g.src and g.tgt and g not in out), key=_start)
    kept = _longest_increasing([min(g.tgt) for g in two_sided])
    out.update(g for k, g in enumerate(two_sided) if k not in kept)
    return out


def _start(link: Link) -> tuple[int, int]:
    return min(link.src), min(link.tgt)


def _longest_increasing(values: list[int]) -> set[int]:
    """Positions of a longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []  # tails[k]: position ending the best run of length k + 1
    previous = [-1] * len(values)
    for position, value in enumerate(values):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if values[tails[middle]] < value:
                low = middle + 1
            else:
                high = middle
        previous[position] = tails[low - 1] if low else -1
        if low == len(tails):
            tails.append(position)
        else:
            tails[low] = position
    kept, position = set(), tails[-1] if tails else -1
    while position != -1:
        kept.add(position)
        position = previous[position]
    return kept


def classify(predicted: list[Link], gold: list[Link]) -> Counter[str]:
    """How many wrong predicted links there are of each kind in ``KINDS``."""
    right = set(gold)
    blocked = unreachable(gold)
    by_src = {i: g for g in gold for i in g.src}
    by_tgt = {j: g for g in gold for j in g.tgt}
    kinds: Counter[str] = Counter()
    for link in predicted:
        if link in right:
            continue
        touched = {by_src.get(i) for i in link.src} | {by_tgt.get(j) for j in link.tgt}
        touched.discard(None)
        kinds[_kind(link, touched, blocked)] += 1
    return kinds


def _kind(link: Link, touched: set[Link], blocked: set[Link]) -> str:
    beads = [g for g in touched if g.src and g.tgt]
    loose = [g for g in touched if not (g.src and g.tgt)]
    if touched & blocked:
        return UNREACHABLE
    if not (link.src and link.tgt):
        return LEFT_OUT if beads else SHIFTED
    if len(beads) == 1 and loose and _covers(link, beads[0]):
        return FOLDED_IN
    if len(beads) >= 2 and not loose and all(_covers(link, g) for g in beads):
        return JOINS
    if len(beads) == 1 and not loose and _covers(beads[0], link):
        return SPLITS
    return SHIFTED


def _covers(outer: Link, inner: Link) -> bool:
    return set(inner.src) <= set(outer.src) and set(inner.tgt) <= set(outer.tgt)


def missed_one_sided(predicted: list[Link], gold: list[Link]) -> int:
    """Gold one-sided lines (insertions, omissions) that the prediction puts in a bead."""
    in_beads = {("s", i) for p in predicted if p.src and p.tgt for i in p.src}
    in_beads |= {("t", j) for p in predicted if p.src and p.tgt for j in p.tgt}
    return sum(
        1
        for g in gold
        if g.one_sided
        for key in [("s", i) for i in g.src] + [("t", j) for j in g.tgt]
        if key in in_beads
    )
