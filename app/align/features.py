"""Vectorised bead features for long texts: every candidate of one shape at once.

The paragraph aligner scores candidate beads one by one through the Scorer interface;
for whole books that costs too much Python per candidate. Here the same kinds of
evidence are computed with numpy for arrays of candidates:

* ``semantic``: cosine similarity of run embeddings. A run's embedding is the
  normalised sum of its sentences' embeddings, so a book needs one model call per
  sentence, not one per candidate run.
* ``length``: Gale and Church's length model on a log scale (as ``LengthScorer``).
* ``lexical``: cosine of hashed character-trigram profiles.
* ``lexicon``: cosine of the runs' vectors over a lexicon learnt from the document
  itself (``lexicon.py``), attached to the sides after a first pass.
* ``mt``: chrF between one side's machine translation and the other side, from hashed
  character n-gram counts (see ``ChrfSpace``).
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

from app.align import lexicon as learnt
from app.align.scorers.length import LOG_FLOOR, VARIANCE_PER_CHAR

# Characters of the CJK scripts carry about as much as three Latin letters; counting
# them three times (their size in UTF-8, as hunalign's byte counting does) puts the
# two sides of a Chinese-English pair on one scale, which Gale and Church's variance
# per character assumes.
WIDE_CHARS = re.compile(
    "[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]"
)
WIDE_WEIGHT = 3


def weighted_length(text: str) -> int:
    """Characters, each CJK character counting ``WIDE_WEIGHT`` times."""
    return len(text) + (WIDE_WEIGHT - 1) * len(WIDE_CHARS.findall(text))


class RunSpace:
    """Vectors of single sentences, and of runs of consecutive sentences on demand.

    A run's vector is the normalised sum of its sentences' vectors, so a run costs no
    model call and no text processing of its own.
    """

    def __init__(self, vectors: np.ndarray, runs: dict[int, np.ndarray] | None = None) -> None:
        self.vectors = np.asarray(vectors, dtype=np.float32)
        # Runs embedded by the model as concatenated texts take precedence over sums.
        self._runs: dict[int, np.ndarray] = {
            size: np.asarray(v, dtype=np.float32) for size, v in (runs or {}).items() if size > 1
        }

    def runs(self, size: int) -> np.ndarray:
        """Row k: the normalised sum of the vectors of sentences [k, k + size)."""
        if size not in self._runs:
            n, d = self.vectors.shape
            if size > n:
                self._runs[size] = np.zeros((0, d), dtype=np.float32)
            else:
                # Runs are short: a few shifted additions cost less than a cumulative
                # sum over the whole book, and add no rounding drift along it.
                sums = self.vectors[: n - size + 1].copy()
                for k in range(1, size):
                    sums += self.vectors[k : n - size + 1 + k]
                norms = np.sqrt(np.einsum("ij,ij->i", sums, sums))[:, None]
                self._runs[size] = sums / np.maximum(norms, 1e-12)
        return self._runs[size]


CHRF_ORDER = 6
CHRF_BETA = 2.0
# Hash buckets per n-gram order: few for single characters, many for the long n-grams a
# sentence has over a hundred of, so that unrelated n-grams rarely share a bucket.
CHRF_BUCKETS = (256, 2048, 4096, 4096, 4096, 4096)
_OFFSETS = np.concatenate([[0], np.cumsum(CHRF_BUCKETS)])


class ChrfSpace:
    """Character n-gram counts (orders 1-6) of sentences, and of runs of them, for chrF.

    Each order's n-grams are hashed into buckets (``CHRF_BUCKETS``); a run's counts are
    the sums of its sentences' counts. chrF computed from these equals sacrebleu's up to
    hash collisions and the few n-grams that straddle two sentences of a run (a test
    checks how close it comes).
    """

    def __init__(self, texts: list[str]) -> None:
        self.counts = ngram_counts(texts)
        totals = np.add.reduceat(self.counts, _OFFSETS[:-1], axis=1, dtype=np.int64)
        self.cumulative_totals = np.zeros((len(texts) + 1, CHRF_ORDER), dtype=np.int64)
        np.cumsum(totals, axis=0, out=self.cumulative_totals[1:])

    def runs(self, ends: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Counts and per-order totals of the runs of ``size`` ending at ``ends``."""
        if ends.size and ends[-1] - ends[0] == ends.size - 1:
            first = ends[0] - size
            counts = self.counts[first : first + ends.size].copy()
            for k in range(1, size):
                counts += self.counts[first + k : first + k + ends.size]
        else:
            counts = self.counts[ends - size].copy()
            for k in range(1, size):
                counts += self.counts[ends - size + k]
        totals = self.cumulative_totals[ends] - self.cumulative_totals[ends - size]
        return counts, totals


def hashed_chrf(hyp, hyp_totals, ref, ref_totals) -> np.ndarray:
    """chrF (beta 2, sacrebleu's averaging over the orders both sides have) per row."""
    k = max(hyp.shape[0], ref.shape[0])
    matches = np.add.reduceat(np.minimum(hyp, ref), _OFFSETS[:-1], axis=1, dtype=np.int64)
    hyp_totals = np.broadcast_to(hyp_totals, (k, CHRF_ORDER))
    ref_totals = np.broadcast_to(ref_totals, (k, CHRF_ORDER))
    valid = (hyp_totals > 0) & (ref_totals > 0)
    precision = np.where(valid, matches / np.maximum(hyp_totals, 1), 0.0).sum(axis=1)
    recall = np.where(valid, matches / np.maximum(ref_totals, 1), 0.0).sum(axis=1)
    orders = valid.sum(axis=1)
    precision = precision / np.maximum(orders, 1)
    recall = recall / np.maximum(orders, 1)
    beta2 = CHRF_BETA**2
    denominator = beta2 * precision + recall
    return np.where(
        denominator > 1e-16,
        (1 + beta2) * precision * recall / np.maximum(denominator, 1e-16),
        0.0,
    )


_HASH_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53],
    dtype=np.uint64,
)  # fmt: skip


def ngram_counts(texts: list[str]) -> np.ndarray:
    """Hashed counts of each text's character n-grams of orders 1-6, whitespace removed
    (as sacrebleu's chrF does): one row per text, the orders' buckets side by side."""
    out = np.zeros((len(texts), int(_OFFSETS[-1])), dtype=np.int16)
    for row, text in enumerate(texts):
        codes = np.frombuffer("".join(text.split()).encode("utf-32-le"), dtype=np.uint32)
        codes = codes.astype(np.uint64)
        hashed = np.zeros(codes.size, dtype=np.uint64)
        for order in range(1, CHRF_ORDER + 1):
            count = codes.size - order + 1
            if count <= 0:
                break
            step = codes[order - 1 : order - 1 + count] * _HASH_MULTIPLIERS[order - 1]
            hashed = hashed[:count] + step
            mixed = (hashed ^ (hashed >> np.uint64(29))) * np.uint64(0xBF58476D1CE4E5B9)
            buckets = (mixed >> np.uint64(32)) % np.uint64(CHRF_BUCKETS[order - 1])
            counted = np.bincount(buckets.astype(np.int64), minlength=CHRF_BUCKETS[order - 1])
            out[row, _OFFSETS[order - 1] : _OFFSETS[order]] = np.minimum(counted, 8000)
    return out


@dataclass
class SideArrays:
    """One side's sentences as arrays: embeddings, character trigrams and lengths.

    ``chrf`` holds n-gram counts for the MT feature: of this side's machine translation
    when ``translated``, else of its own text.
    """

    semantic: RunSpace | None
    lexical: RunSpace
    cumulative_chars: np.ndarray  # (n + 1,): weighted characters of sentences [0, k)
    chrf: ChrfSpace | None = None
    translated: bool = False
    anchors: np.ndarray | None = None  # (n, ANCHOR_DIMENSIONS) counts, see anchor_counts
    # The sentences' tokens, for learning a lexicon: made when first needed (``tokens``).
    words: learnt.Vocabulary | None = None
    # Vectors over a lexicon learnt from a first alignment (see ``attach_lexicon``).
    lexicon: RunSpace | None = None
    cumulative_debris: np.ndarray | None = None  # (n + 1,): debris of lines [0, k)
    runs_on: np.ndarray | None = None  # (n + 1,): 1 where line k - 1 runs on into line k
    texts: list[str] | None = None

    def tokens(self) -> learnt.Vocabulary:
        if self.words is None:
            self.words = learnt.Vocabulary(self.texts or [])
        return self.words

    @classmethod
    def build(
        cls,
        texts: list[str],
        embeddings: dict[int, np.ndarray] | None,
        chrf_texts: list[str] | None = None,
        translated: bool = False,
    ) -> SideArrays:
        """``embeddings``: sentence vectors under key 1, concatenated runs under 2, 3…;
        ``chrf_texts``: the texts the MT feature compares (a translation, or ``texts``)."""
        lengths = np.fromiter(
            (weighted_length(t) for t in texts), dtype=np.float64, count=len(texts)
        )
        return cls(
            semantic=RunSpace(embeddings[1], embeddings) if embeddings else None,
            lexical=RunSpace(lexical_vectors(texts)),
            cumulative_chars=np.concatenate([[0.0], np.cumsum(lengths)]),
            chrf=ChrfSpace(chrf_texts) if chrf_texts is not None else None,
            translated=translated,
            anchors=anchor_counts(texts),
            texts=texts,
            cumulative_debris=np.concatenate([[0.0], np.cumsum(debris_scores(texts))]),
            runs_on=runs_on(texts),
        )

    def __len__(self) -> int:
        return self.cumulative_chars.size - 1

    def run_chars(self, starts: np.ndarray, size: int) -> np.ndarray:
        return self.cumulative_chars[starts + size] - self.cumulative_chars[starts] + (size - 1)


def blocks(side: SideArrays, size: int) -> SideArrays:
    """The side cut into blocks of ``size`` consecutive sentences (the last one may be
    shorter), each block standing as one sentence: its vectors, characters and anchors
    are its sentences' sums. Machine translation is left out."""
    n = len(side)
    starts = np.arange(0, n, size)
    if not n:
        return side
    bounds = np.append(starts, n)

    def summed(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, starts, axis=0)

    return SideArrays(
        semantic=RunSpace(summed(side.semantic.vectors)) if side.semantic is not None else None,
        lexical=RunSpace(summed(side.lexical.vectors)),
        cumulative_chars=side.cumulative_chars[bounds],
        anchors=summed(side.anchors.astype(np.int32)) if side.anchors is not None else None,
        cumulative_debris=(
            side.cumulative_debris[bounds] if side.cumulative_debris is not None else None
        ),
        runs_on=side.runs_on[bounds] if side.runs_on is not None else None,
    )


def leak(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    """How well the line just before or just after the bead, on either side, fits the
    bead's nearest line on the other side: the best of the four cosines (0 past an end).

    Where the two texts cut their sentences at different places, a sentence runs on into
    the next line of the other side: a bead that stops at such a cut leaves part of its
    translation outside, and the line outside fits it well.
    """
    n, m = len(src), len(tgt)
    out = np.zeros(rows.size)
    neighbours = (
        (rows + 1, cols, rows < n),  # the next source line, the last target line
        (rows, cols + 1, cols < m),  # the last source line, the next target line
        (rows - a, cols - b + 1, rows - a >= 1),  # the previous source line, the first target
        (rows - a + 1, cols - b, cols - b >= 1),  # the first source line, the previous target
    )
    for src_ends, tgt_ends, inside in neighbours:
        src_ends, tgt_ends = np.clip(src_ends, 1, n), np.clip(tgt_ends, 1, m)
        fit = cosine(src.semantic, tgt.semantic, 1, 1, src_ends, tgt_ends)
        out = np.maximum(out, np.where(inside, fit, 0.0))
    return out


# What ends a sentence; a colon or semicolon does not (the sentence goes on after it).
_ENDS_SENTENCE = re.compile(r"[.!?…»\"”)\]。！？]\s*$")


def runs_on(texts: list[str]) -> np.ndarray:
    """Per boundary k (0..n): 1 when line k - 1 seems to run on into line k, because it
    does not end as a sentence does or line k starts with a lowercase letter."""
    out = np.zeros(len(texts) + 1)
    for k in range(1, len(texts)):
        if not _ENDS_SENTENCE.search(texts[k - 1]) or texts[k].lstrip()[:1].islower():
            out[k] = 1.0
    return out


def cut(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    """At how many of the bead's two ends (0, 1 or 2) one side cuts inside a running
    sentence and the other does not: there the other side's sentence likely goes on."""
    s, t = src.runs_on, tgt.runs_on
    return np.abs(s[rows] - t[cols]) + np.abs(s[rows - a] - t[cols - b])


# A line with fewer letters than this is partly debris: a page number, a stray mark of
# the OCR. Sentences have dozens.
DEBRIS_LETTERS = 12


def debris_scores(texts: list[str]) -> np.ndarray:
    """Per line, how little of a sentence it has: 1 - letters / DEBRIS_LETTERS, at least 0."""
    letters = np.fromiter(
        (sum(c.isalpha() for c in t) for t in texts), dtype=np.float64, count=len(texts)
    )
    return np.maximum(0.0, 1.0 - letters / DEBRIS_LETTERS)


def debris(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    """The debris of the bead's lines, summed over both sides: a line that translates
    nothing would rather stay one-sided than weigh on a neighbour's bead."""
    s, t = src.cumulative_debris, tgt.cumulative_debris
    return (s[rows] - s[rows - a]) + (t[cols] - t[cols - b])


def _one_row(rows: np.ndarray) -> bool:
    """Whether every candidate ends at the same source row (as in the banded search)."""
    return bool(rows.size) and rows[0] == rows[-1] and bool((rows == rows[0]).all())


# Cosines over a band are computed a few rows at a time, each group's rows against the
# stretch of columns they reach, as one matrix product: cheaper than gathering two
# vectors per cell, as long as the product holds at most DENSE_WASTE times the cells.
ROWS_PER_PRODUCT = 32
DENSE_WASTE = 16


def cosine(left: RunSpace, right: RunSpace, a: int, b: int, rows, cols) -> np.ndarray:
    """Cosine of the left run ending at each row with the right run ending at each col."""
    x, y = left.runs(a), right.runs(b)
    out = np.empty(rows.size)
    if not rows.size:
        return out
    order = np.argsort(rows, kind="stable")
    rows, cols = rows[order], cols[order]
    edges = np.arange(rows[0], rows[-1] + ROWS_PER_PRODUCT, ROWS_PER_PRODUCT)
    bounds = np.unique(np.append(np.searchsorted(rows, edges), rows.size))
    values = np.empty(rows.size)
    for first, last in zip(bounds[:-1], bounds[1:], strict=True):
        r, c = rows[first:last], cols[first:last]
        r0, r1, c0, c1 = r[0], r[-1], c.min(), c.max()
        if (r1 - r0 + 1) * (c1 - c0 + 1) <= DENSE_WASTE * r.size:
            # Many columns by few rows: the long side first suits BLAS better.
            block = y[c0 - b : c1 - b + 1] @ x[r0 - a : r1 - a + 1].T
            values[first:last] = block[c - c0, r - r0]
        else:
            values[first:last] = np.einsum("ij,ij->i", x[r - a], y[c - b])
    out[order] = np.clip(values, 0.0, 1.0)
    return out


def semantic(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    return cosine(src.semantic, tgt.semantic, a, b, rows, cols)


def lexical(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    return cosine(src.lexical, tgt.lexical, a, b, rows, cols)


def lexicon(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    return cosine(src.lexicon, tgt.lexicon, a, b, rows, cols)


def attach_lexicon(src: SideArrays, tgt: SideArrays, pairs) -> learnt.Lexicon:
    """Learn a lexicon from the sentence pairs ``pairs`` (source index, target index)
    and give both sides their vectors over it, for the ``lexicon`` feature."""
    found = learnt.learn(src.tokens(), tgt.tokens(), pairs)
    s_vectors, t_vectors = learnt.vectors(src.tokens(), tgt.tokens(), found)
    src.lexicon, tgt.lexicon = RunSpace(s_vectors), RunSpace(t_vectors)
    return found


def mt(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    """chrF of the translated side's machine translation against the other side.

    n-gram counts are wide (thousands of buckets), so each source run is compared with
    its candidates row by row, broadcasting the one run rather than copying it."""
    out = np.zeros(rows.size)
    if not rows.size:
        return out
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    for first, last in zip(starts, np.r_[starts[1:], rows.size], strict=True):
        s_counts, s_totals = src.chrf.runs(rows[first : first + 1], a)
        t_counts, t_totals = tgt.chrf.runs(cols[first:last], b)
        if tgt.translated:
            out[first:last] = hashed_chrf(t_counts, t_totals, s_counts, s_totals)
        else:
            out[first:last] = hashed_chrf(s_counts, s_totals, t_counts, t_totals)
    return out


def length(
    src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols, ratio: float
) -> np.ndarray:
    """Gale-Church agreement of the runs' lengths, 1 = as expected, 0 = e^-10 or less.

    Both lengths are measured in source units (the target's divided by the documents'
    ratio), so the variance per character means the same whatever the target's script.
    """
    s = src.run_chars(rows - a, a)
    t = tgt.run_chars(cols - b, b) / ratio
    mean = np.maximum((s + t) / 2, 1.0)
    delta = np.abs(t - s) / np.sqrt(mean * VARIANCE_PER_CHAR)
    # log(erfc(x / sqrt 2)) without underflow: for large x use the asymptotic form.
    log_p = np.where(
        delta < 8,
        np.log(np.maximum(_erfc(delta / math.sqrt(2)), 1e-300)),
        -(delta**2) / 2 - np.log(np.maximum(delta, 8.0) * math.sqrt(math.pi / 2)),
    )
    return 1.0 + np.maximum(log_p, -LOG_FLOOR) / LOG_FLOOR


def _erfc(x: np.ndarray) -> np.ndarray:
    """erfc for x >= 0 (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7)."""
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return poly * np.exp(-(x**2))


LEXICAL_DIMENSIONS = 1024
NGRAM = 3


def lexical_vectors(texts: list[str], dimensions: int = LEXICAL_DIMENSIONS) -> np.ndarray:
    """Hashed bags of character trigrams, one row per text (not normalised).

    Names, numbers and cognates keep many character trigrams across languages that share
    a script; hashing them into a fixed number of buckets lets runs be summed and
    compared like embeddings. Collisions blur the counts a little, evenly for all pairs.
    """
    out = np.zeros((len(texts), dimensions), dtype=np.float32)
    # A text of a few hundred sentences repeats most of its trigrams: hash each once.
    buckets_of: dict[str, int] = {}
    for row, text in enumerate(texts):
        folded = " " + " ".join(text.casefold().split()) + " "
        grams = [folded[k : k + NGRAM] for k in range(len(folded) - NGRAM + 1)]
        for gram in set(grams).difference(buckets_of):
            buckets_of[gram] = zlib.crc32(gram.encode()) % dimensions
        if grams:
            buckets = np.fromiter(map(buckets_of.__getitem__, grams), np.int64, len(grams))
            out[row] = np.bincount(buckets, minlength=dimensions)
    return out


# Anchors: what a translation keeps whatever the script. Punctuation that marks the
# kind of sentence (questions, exclamations, quotations, lists after a colon...) in its
# Latin and full-width forms, numbers by their digits, and capitalised Latin-script
# words that do not open a sentence (names; in a Chinese text, any Latin word).
PUNCTUATION_CLASSES = (
    "?？",
    "!！",
    ":：",
    ";；",
    '"“”„«»「」『』',
    "(（",
)
NUMBER_BUCKETS = 64
NAME_BUCKETS = 128
ANCHOR_DIMENSIONS = len(PUNCTUATION_CLASSES) + NUMBER_BUCKETS + NAME_BUCKETS
_PUNCTUATION = {c: k for k, chars in enumerate(PUNCTUATION_CLASSES) for c in chars}
_DIGITS = re.compile(r"\d+(?:[.,'’\u00a0\u202f]\d+)*")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’\-]+")
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?…:;«»“”\"¿¡(。！？：；])\s*$")


def anchor_counts(texts: list[str]) -> np.ndarray:
    out = np.zeros((len(texts), ANCHOR_DIMENSIONS), dtype=np.int16)
    first_number = len(PUNCTUATION_CLASSES)
    first_name = first_number + NUMBER_BUCKETS
    for row, text in enumerate(texts):
        counts = out[row]
        for char, k in _PUNCTUATION.items():
            counts[k] += text.count(char)
        for match in _DIGITS.finditer(text):
            digits = re.sub(r"\D", "", match.group()).lstrip("0") or "0"
            counts[first_number + zlib.crc32(digits.encode()) % NUMBER_BUCKETS] += 1
        for match in _LATIN_WORD.finditer(text):
            word = match.group()
            if not word[0].isupper() or _OPENS_SENTENCE.search(text[: match.start()]):
                continue
            folded = "".join(
                c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
            ).casefold()
            counts[first_name + zlib.crc32(folded.encode()) % NAME_BUCKETS] += 1
    return out


def _anchor_runs(counts: np.ndarray, ends: np.ndarray, size: int) -> np.ndarray:
    runs = counts[ends - size].astype(np.int32)
    for k in range(1, size):
        runs += counts[ends - size + k]
    return runs


def anchors(src: SideArrays, tgt: SideArrays, a: int, b: int, rows, cols) -> np.ndarray:
    """(matched - unmatched) / (matched + unmatched + 1) over the runs' anchors: 0 when
    neither has any, towards 1 when many match, towards -1 when many do not."""
    if _one_row(rows):
        rows = rows[:1]
    x = _anchor_runs(src.anchors, rows, a)
    y = _anchor_runs(tgt.anchors, cols, b)
    matched = np.minimum(x, y).sum(axis=1)
    unmatched = x.sum(axis=1) + y.sum(axis=1) - 2 * matched
    return (matched - unmatched) / (matched + unmatched + 1.0)


def latin_share(texts: list[str]) -> float:
    """The share of letters that are Latin (in about 200 of the texts)."""
    letters = latin = 0
    for text in texts[:: max(1, len(texts) // 200)]:
        for char in text:
            if char.isalpha():
                letters += 1
                latin += char < "\u0250"
    return latin / letters if letters else 1.0


def drop_names_across_scripts(src: SideArrays, tgt: SideArrays, src_texts, tgt_texts) -> None:
    """Names are compared only when both sides are written mostly in Latin script: a
    Chinese text writes the names of its English original in its own characters."""
    if min(latin_share(src_texts), latin_share(tgt_texts)) < 0.5:
        first_name = len(PUNCTUATION_CLASSES) + NUMBER_BUCKETS
        src.anchors[:, first_name:] = 0
        tgt.anchors[:, first_name:] = 0
