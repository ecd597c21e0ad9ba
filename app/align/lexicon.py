"""A bilingual lexicon learnt from the document being aligned, as hunalign's realign does.

A first pass gives 1-1 beads, most of them right. Words that a translation renders
consistently then co-occur in those beads far more often than chance: their Dice
coefficient (2 * beads with both / (beads with the one + beads with the other)) is
high. Keeping each word's best few partners gives a small dictionary that knows the
document's own vocabulary, names and spellings, without any resource for the language
pair and without tuning on any gold data.

For the search, each sentence becomes a vector indexed by the lexicon's source words: a
source sentence counts the source words it has, a target sentence the source words its
words translate to (weighted by their Dice coefficient). A run's vector is the sum of
its sentences' vectors (``features.RunSpace``), so the feature of a candidate bead is a
cosine, computed for many candidates at once like the other features.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

# Letters and digits of any script. Scripts written without spaces between words
# (Chinese, Japanese, Thai, Lao, Khmer, Burmese) give one token per character: a document
# has too few sentences to learn word segmentation from, and the characters of a Chinese
# word each co-occur with its translation, which is what Dice measures. Korean too is cut
# into syllables, since its spaced words carry their particles with them.
_WORD = re.compile(r"\w+")
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0003ffff]"
)

# Sentence pairs with more distinct tokens on a side than this (a whole chapter on one
# line) are not learnt from: their token pairs grow with the product of the sizes.
MAX_TOKENS = 400
MIN_COOCCURRENCES = 2
MIN_DICE = 0.1
PARTNERS = 3
# Columns of the sentence vectors at most (one per lexicon source word up to this): the
# runs' vectors take rows x DIMENSIONS floats for each run size on each side.
DIMENSIONS = 2048


def tokens(text: str) -> list[str]:
    """The distinct tokens of a sentence: lower-cased words, or single characters of the
    scripts written without spaces."""
    out: list[str] = []
    for word in _WORD.findall(text.casefold()):
        if _UNSPACED.search(word):
            out.extend(_split_unspaced(word))
        else:
            out.append(word)
    return list(dict.fromkeys(out))


def _split_unspaced(word: str) -> Iterable[str]:
    """A word's characters of unspaced scripts one by one, runs of others whole."""
    start = 0
    for match in _UNSPACED.finditer(word):
        if match.start() > start:
            yield word[start : match.start()]
        yield match.group()
        start = match.end()
    if start < len(word):
        yield word[start:]


class Vocabulary:
    """Token ids of one side's sentences: ``ids[k]`` holds sentence k's distinct ids."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.index: dict[str, int] = {}
        self.ids = [
            np.array([self.index.setdefault(t, len(self.index)) for t in tokens(text)], np.int64)
            for text in texts
        ]

    def __len__(self) -> int:
        return len(self.index)


@dataclass(frozen=True)
class Lexicon:
    """Word pairs (source id, target id) and their Dice coefficients."""

    source: np.ndarray
    target: np.ndarray
    dice: np.ndarray

    def __len__(self) -> int:
        return int(self.source.size)


def learn(
    src: Vocabulary,
    tgt: Vocabulary,
    pairs: Sequence[tuple[int, int]],
    min_cooccurrences: int = MIN_COOCCURRENCES,
    min_dice: float = MIN_DICE,
    partners: int = PARTNERS,
) -> Lexicon:
    """The word pairs that co-occur in the sentence pairs ``pairs`` (source index,
    target index) at least ``min_cooccurrences`` times with a Dice coefficient of at
    least ``min_dice``, each among the ``partners`` best of both its words. Pairs with a
    sentence of more than ``MAX_TOKENS`` distinct tokens are left out."""
    empty = Lexicon(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    pairs = [(i, j) for i, j in pairs if max(src.ids[i].size, tgt.ids[j].size) <= MAX_TOKENS]
    if not pairs or not len(src) or not len(tgt):
        return empty
    width = len(tgt)
    keys = [np.add.outer(src.ids[i] * width, tgt.ids[j]).ravel() for i, j in pairs]
    together, counts = np.unique(np.concatenate(keys), return_counts=True)
    s_freq = np.bincount(np.concatenate([src.ids[i] for i, _ in pairs]), minlength=len(src))
    t_freq = np.bincount(np.concatenate([tgt.ids[j] for _, j in pairs]), minlength=width)
    s_word, t_word = together // width, together % width
    dice = 2.0 * counts / (s_freq[s_word] + t_freq[t_word])
    keep = (counts >= min_cooccurrences) & (dice >= min_dice)
    s_word, t_word, dice = s_word[keep], t_word[keep], dice[keep]
    best = _among_best(s_word, dice, partners) & _among_best(t_word, dice, partners)
    if not best.any():
        return empty
    return Lexicon(s_word[best], t_word[best], dice[best])


def _among_best(words: np.ndarray, dice: np.ndarray, k: int) -> np.ndarray:
    """Whether each pair is among the ``k`` of highest Dice for its word."""
    order = np.lexsort((-dice, words))
    sorted_words = words[order]
    starts = np.searchsorted(sorted_words, sorted_words, side="left")
    rank = np.arange(words.size) - starts
    out = np.zeros(words.size, dtype=bool)
    out[order] = rank < k
    return out


def vectors(
    src: Vocabulary, tgt: Vocabulary, lexicon: Lexicon, dimensions: int = DIMENSIONS
) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence as a vector over the lexicon's source words (see the module's
    docstring), one row per sentence on each side; not normalised. A long document's
    lexicon is folded onto ``dimensions`` columns, which bounds the memory the runs'
    vectors take."""
    # The lexicon's source words in order of id, folded onto the dimensions: with fewer
    # words than dimensions, each has its own.
    known = np.unique(lexicon.source)
    dimensions = max(1, min(dimensions, known.size))
    column = np.full(len(src) + 1, -1, dtype=np.int64)
    column[known] = np.arange(known.size) % dimensions
    s_rows, s_ids = _flatten(src.ids)
    s_cols = column[s_ids]
    s_out = np.zeros((len(src.ids), dimensions), dtype=np.float32)
    np.add.at(s_out, (s_rows[s_cols >= 0], s_cols[s_cols >= 0]), 1.0)
    # A target sentence's words stand for the source words they pair with.
    by_target = np.argsort(lexicon.target, kind="stable")
    bounds = np.searchsorted(lexicon.target[by_target], np.arange(len(tgt) + 1))
    t_rows, t_ids = _flatten(tgt.ids)
    first, count = bounds[t_ids], bounds[t_ids + 1] - bounds[t_ids]
    pair = by_target[_expand(first, count)]
    t_out = np.zeros((len(tgt.ids), dimensions), dtype=np.float32)
    np.add.at(t_out, (np.repeat(t_rows, count), column[lexicon.source[pair]]), lexicon.dice[pair])
    return s_out, t_out


def _flatten(ids: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(sentence index, token id) of every token of every sentence."""
    sizes = np.fromiter((x.size for x in ids), dtype=np.int64, count=len(ids))
    flat = np.concatenate([*ids, np.zeros(0, np.int64)])
    return np.repeat(np.arange(len(ids)), sizes), flat


def _expand(first: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The concatenated ranges [first[k], first[k] + count[k])."""
    total = int(count.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(first - np.cumsum(count) + count, count)
    return offsets + np.arange(total)
