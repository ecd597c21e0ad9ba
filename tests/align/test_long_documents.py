"""A long document goes through both levels with one engine: near-linear work, and the
sentence level never contradicts the paragraph level."""

from __future__ import annotations

import random

import pytest

from app.align.levels import align_segments, align_within_beads
from app.segments import Segment

PARAGRAPHS = 5000
WORDS = "río frontera ciudad gente noche mañana luz casa agua camino puente tierra".split()
ENGLISH = dict(
    zip(
        WORDS,
        "river border city people night morning light house water road bridge land".split(),
        strict=True,
    )
)


def synthetic_pair() -> tuple[list[str], list[str], list[tuple[list[int], list[int]]]]:
    """Spanish-like paragraphs of two sentences, their word-for-word English, with the
    translator's habits here and there: two paragraphs joined, one left out, one added."""
    generator = random.Random(7)
    src, tgt, gold = [], [], []
    k = 0
    while len(src) < PARAGRAPHS:
        words = [generator.choice(WORDS) for _ in range(10)]
        text = f"{' '.join(words[:5]).capitalize()} {k}. {' '.join(words[5:]).capitalize()} {k}."
        english = " ".join(ENGLISH.get(w.rstrip(".").lower(), w) for w in text.split())
        roll = generator.random()
        if roll < 0.02 and src:
            gold.append(([len(src)], []))
            src.append(text)  # left out of the translation
        elif roll < 0.04:
            gold.append(([], [len(tgt)]))
            tgt.append(f"Note {k} of the translator.")  # added by the translation
            gold.append(([len(src)], [len(tgt)]))
            src.append(text)
            tgt.append(english)
        elif roll < 0.08 and gold and len(gold[-1][0]) == 1 and len(gold[-1][1]) == 1:
            # The translation joins this paragraph to the previous one.
            gold[-1][0].append(len(src))
            src.append(text)
            tgt[-1] = tgt[-1] + " " + english
        else:
            gold.append(([len(src)], [len(tgt)]))
            src.append(text)
            tgt.append(english)
        k += 1
    return src, tgt, gold


@pytest.fixture(scope="module")
def long_pair():
    src, tgt, gold = synthetic_pair()
    result = align_segments(
        [Segment(t) for t in src], [Segment(t) for t in tgt], "es", "en", fast=True, use_mt=False
    )
    return src, tgt, gold, result


def test_five_thousand_paragraphs_align_with_the_paragraph_model(long_pair):
    src, tgt, gold, result = long_pair
    assert len(src) == PARAGRAPHS
    assert result.parameters["level"] == "paragraph"
    found = [
        (list(range(b.src_start, b.src_end)), list(range(b.tgt_start, b.tgt_end)))
        for b in result.beads
    ]
    right = sum(1 for bead in found if bead in gold)
    assert right / len(gold) > 0.95


def test_every_paragraph_is_in_one_bead_in_order(long_pair):
    src, tgt, _, result = long_pair
    assert [i for b in result.beads for i in range(b.src_start, b.src_end)] == list(range(len(src)))
    assert [j for b in result.beads for j in range(b.tgt_start, b.tgt_end)] == list(range(len(tgt)))


def test_the_sentences_of_a_long_document_keep_to_their_paragraph_beads(long_pair):
    src, tgt, _, result = long_pair
    src_sentences = [(p, s + ".") for p, text in enumerate(src) for s in text[:-1].split(". ")]
    tgt_sentences = [(p, s + ".") for p, text in enumerate(tgt) for s in text[:-1].split(". ")]
    sentences = align_within_beads(
        result.beads, src_sentences, tgt_sentences, "es", "en", fast=True, use_mt=False
    )
    owner = {}
    for k, bead in enumerate(result.beads):
        owner.update({("s", p): k for p in range(bead.src_start, bead.src_end)})
        owner.update({("t", p): k for p in range(bead.tgt_start, bead.tgt_end)})
    for bead in sentences.beads:
        owners = {owner["s", src_sentences[i][0]] for i in range(bead.src_start, bead.src_end)}
        owners |= {owner["t", tgt_sentences[j][0]] for j in range(bead.tgt_start, bead.tgt_end)}
        assert len(owners) == 1
    covered = [i for b in sentences.beads for i in range(b.src_start, b.src_end)]
    assert covered == list(range(len(src_sentences)))
    two_sided = [b for b in sentences.beads if not b.one_sided]
    assert len(two_sided) > 0.9 * len(src_sentences)
