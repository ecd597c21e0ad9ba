"""Paragraph-level gold sets, built from sentence-level gold.

No public gold set aligns paragraphs, so a document's gold sentence links are cut into
paragraphs at places where no link crosses. Mostly both sides are cut at the same place
(a 1-1 paragraph bead), now and then only one side (so a translator's merge or split: a
1-2 or 2-1 bead), and links without a counterpart stay inside their paragraph, as an
untranslated sentence would. The cuts are random but fixed by the document's name, so
every run sees the same paragraphs.
"""

from __future__ import annotations

import itertools
import random
import zlib

from app.evaluation.datasets import EvalDocument
from app.evaluation.links import Link

# Per place where no link crosses: the chance of a paragraph break on both sides, and on
# one side only (each).
BREAK_BOTH = 0.3
BREAK_ONE_SIDE = 0.04


def paragraph_document(
    document: EvalDocument, variant: int = 0, alone: float = 0.0
) -> EvalDocument:
    """``document`` with paragraphs for lines and paragraph beads for gold links.

    ``variant`` > 0 cuts the same document differently (more dev data to fit on).
    ``alone``: the chance that an untranslated sentence (a one-sided gold link) becomes a
    paragraph of its own, a one-sided paragraph bead, as a paragraph left out of a
    translation or a web page's leftovers would; by default it stays in its paragraph.
    """
    seed = "paragraphs " + document.name + (f" {variant}" if variant else "")
    rng = random.Random(zlib.crc32(seed.encode()))
    n, m = len(document.src_lines), len(document.tgt_lines)
    links = list(document.gold or ())
    src_breaks, tgt_breaks, bead_breaks = [0], [0], [(0, 0)]
    one_sided_in_bead = False
    cuts = _cuts(links, n, m)
    isolated = _isolated(links, cuts, rng, alone) if alone else set()
    for k, (s, t) in cuts.items():
        roll = rng.random()
        if k in isolated or roll < BREAK_BOTH:
            src_breaks.append(s)
            tgt_breaks.append(t)
            bead_breaks.append((s, t))
            one_sided_in_bead = False
        elif roll < BREAK_BOTH + 2 * BREAK_ONE_SIDE and not one_sided_in_bead:
            if roll < BREAK_BOTH + BREAK_ONE_SIDE:
                src_breaks.append(s)
            else:
                tgt_breaks.append(t)
            one_sided_in_bead = True
    src_breaks = sorted({*src_breaks, n})
    tgt_breaks = sorted({*tgt_breaks, m})
    bead_breaks.append((n, m))
    src = [" ".join(document.src_lines[a:b]) for a, b in itertools.pairwise(src_breaks)]
    tgt = [" ".join(document.tgt_lines[a:b]) for a, b in itertools.pairwise(tgt_breaks)]
    src_index = {pos: k for k, pos in enumerate(src_breaks)}
    tgt_index = {pos: k for k, pos in enumerate(tgt_breaks)}
    gold: list[Link] = []
    for (s0, t0), (s1, t1) in itertools.pairwise(bead_breaks):
        if (s0, t0) == (s1, t1):
            continue
        p0, p1, q0, q1 = src_index[s0], src_index[s1], tgt_index[t0], tgt_index[t1]
        if p0 == p1 or q0 == q1:
            gold += [Link((k,), ()) for k in range(p0, p1)]
            gold += [Link((), (k,)) for k in range(q0, q1)]
        else:
            gold.append(Link(tuple(range(p0, p1)), tuple(range(q0, q1))))
    return EvalDocument(
        f"{document.name} paragraphs" + (f" {variant}" if variant else ""),
        src,
        tgt,
        document.src_lang,
        document.tgt_lang,
        gold,
    )


def _cuts(links: list[Link], n: int, m: int) -> dict[int, tuple[int, int]]:
    """Link k -> the (source, target) sentence positions after it, where no link crosses."""
    src_after = _suffix_min([link.src for link in links], n)
    tgt_after = _suffix_min([link.tgt for link in links], m)
    cuts, src_max, tgt_max = {}, -1, -1
    for k, link in enumerate(links[:-1]):
        src_max = max([src_max, *link.src])
        tgt_max = max([tgt_max, *link.tgt])
        if src_max < src_after[k + 1] and tgt_max < tgt_after[k + 1]:
            cuts[k] = (src_max + 1, tgt_max + 1)
    return cuts


def _isolated(links: list[Link], cuts: dict, rng: random.Random, alone: float) -> set[int]:
    """The cuts on both sides of the one-sided links chosen to stand alone."""
    chosen: set[int] = set()
    for k in range(1, len(links)):
        if links[k].one_sided and k - 1 in cuts and k in cuts and rng.random() < alone:
            chosen |= {k - 1, k}
    return chosen


def _suffix_min(sides: list[tuple[int, ...]], length: int) -> list[int]:
    out = [length] * (len(sides) + 1)
    for k in range(len(sides) - 1, -1, -1):
        out[k] = min([out[k + 1], *sides[k]])
    return out
