"""Strict and lax precision, recall and F1 of alignment links (Vecalign's scorer semantics).

- Precision: the share of test links, insertions and omissions included, that equal a gold
  link exactly (strict) or overlap some gold link on both sides (lax).
- Recall: the share of gold links with both sides non-empty that equal a test link exactly
  (strict) or overlap some test link on both sides (lax). Gold insertions and omissions are
  left out; dropping one-sided test links as well changes nothing, since a link with an empty
  side can neither equal nor overlap on both sides a link whose sides are both non-empty.
- Counts are pooled over documents (``Counts.__add__``) before dividing.

Links empty on both sides align nothing and are ignored; repeated links count once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

from .links import Link


@dataclass(frozen=True)
class Scores:
    """Strict and lax precision, recall and F1, each in [0, 1]."""

    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float


def _ratio(part: int, whole: int) -> float:
    """Return ``part / whole``, or 0.0 when there is nothing to divide."""
    return part / whole if whole else 0.0


def f1(precision: float, recall: float) -> float:
    """Return the harmonic mean of ``precision`` and ``recall`` (0.0 when both are 0)."""
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


@dataclass(frozen=True)
class Counts:
    """Link counts behind the scores; add the counts of documents to pool them."""

    test_links: int = 0  # distinct test links, insertions and omissions included
    test_strict: int = 0  # ... that equal a gold link
    test_lax: int = 0  # ... that overlap a gold link on both sides (exact matches included)
    gold_links: int = 0  # distinct gold links with both sides non-empty
    gold_strict: int = 0  # ... that equal a test link
    gold_lax: int = 0  # ... that overlap a test link on both sides (exact matches included)

    def __add__(self, other: Counts) -> Counts:
        """Return the field-by-field sum: the counts of both documents pooled."""
        if not isinstance(other, Counts):
            return NotImplemented
        return Counts(*(getattr(self, name) + getattr(other, name) for name in _COUNT_FIELDS))

    def scores(self) -> Scores:
        """Return precision, recall and F1 computed from these (pooled) counts."""
        strict_p = _ratio(self.test_strict, self.test_links)
        strict_r = _ratio(self.gold_strict, self.gold_links)
        lax_p = _ratio(self.test_lax, self.test_links)
        lax_r = _ratio(self.gold_lax, self.gold_links)
        return Scores(strict_p, strict_r, f1(strict_p, strict_r), lax_p, lax_r, f1(lax_p, lax_r))


_COUNT_FIELDS = tuple(field.name for field in fields(Counts))


def _distinct(links: Iterable[Link]) -> list[Link]:
    """Return ``links`` without repeats and without links that are empty on both sides."""
    return list(dict.fromkeys(link for link in links if not link.empty))


def _sentence_pairs(links: Iterable[Link]) -> set[tuple[int, int]]:
    """Return every (source, target) sentence pair that some link puts together."""
    return {(s, t) for link in links for s in link.src for t in link.tgt}


def _overlaps(link: Link, pairs: set[tuple[int, int]]) -> bool:
    # Overlapping one reference link on both sides means sharing one of its sentence pairs.
    return any((s, t) in pairs for s in link.src for t in link.tgt)


def _matches(candidates: list[Link], reference: list[Link]) -> tuple[int, int]:
    """Return how many ``candidates`` equal a ``reference`` link, and how many overlap one."""
    exact = set(reference)
    pairs = _sentence_pairs(reference)
    strict = sum(link in exact for link in candidates)
    lax = sum(link in exact or _overlaps(link, pairs) for link in candidates)
    return strict, lax


def score_document(test: Iterable[Link], gold: Iterable[Link]) -> Counts:
    """Return the counts of one document's ``test`` links scored against its ``gold`` links."""
    test_links = _distinct(test)
    gold_links = _distinct(gold)
    gold_two_sided = [link for link in gold_links if not link.one_sided]
    test_strict, test_lax = _matches(test_links, gold_links)
    gold_strict, gold_lax = _matches(gold_two_sided, test_links)
    return Counts(
        test_links=len(test_links),
        test_strict=test_strict,
        test_lax=test_lax,
        gold_links=len(gold_two_sided),
        gold_strict=gold_strict,
        gold_lax=gold_lax,
    )


def score_documents(pairs: Iterable[tuple[Iterable[Link], Iterable[Link]]]) -> Counts:
    """Return the counts pooled over ``(test, gold)`` pairs, one pair per document."""
    return sum((score_document(test, gold) for test, gold in pairs), Counts())
