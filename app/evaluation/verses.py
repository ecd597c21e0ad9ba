"""The verse merge used by published Bible figures, whose gold links are whole verses.

A test link is labelled with a verse when all its source sentences lie in one verse, all its
target sentences lie in one verse and the two agree (an empty side takes the other side's
verse). Links spanning verses, or whose sides disagree, stay unlabelled. Consecutive links
with the same label are merged into one; the result is then scored as usual.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from .links import Link
from .metric import Counts, score_document


def read_verse_ids(path: Path | str) -> list[str]:
    """Return the verse id of each sentence, one per line of the file at ``path``."""
    path = Path(path)
    ids = path.read_text(encoding="utf-8").split("\n")
    if ids and ids[-1] == "":
        ids.pop()  # the newline that ends the last line
    ids = [verse.strip() for verse in ids]
    for number, verse in enumerate(ids, start=1):
        if not verse:
            raise ValueError(f"{path}: line {number}: empty verse id")
    return ids


def _verses_of(indices: tuple[int, ...], verses: Sequence[str], side: str) -> set[str]:
    """Return the verses of the sentences at ``indices``; ValueError if one is out of range."""
    for index in indices:
        if index >= len(verses):
            raise ValueError(
                f"{side} sentence {index} has no verse id ({len(verses)} verse ids given)"
            )
    return {verses[index] for index in indices}


def verse_label(link: Link, src_verses: Sequence[str], tgt_verses: Sequence[str]) -> str | None:
    """Return the one verse holding every sentence of ``link``, or None if there is none."""
    # One verse over both sides at once covers every case: an empty side adds nothing, so it
    # takes the other side's verse; a side spanning verses or sides disagreeing give several.
    labels = _verses_of(link.src, src_verses, "source") | _verses_of(link.tgt, tgt_verses, "target")
    return labels.pop() if len(labels) == 1 else None


def _union(first: tuple[int, ...], second: tuple[int, ...]) -> tuple[int, ...]:
    """Return the sorted indices found in either side."""
    return tuple(sorted(set(first) | set(second)))


def merge_verses(
    links: Iterable[Link], src_verses: Sequence[str], tgt_verses: Sequence[str]
) -> list[Link]:
    """Return ``links`` with each run of consecutive links of the same verse merged into one."""
    merged: list[Link] = []
    previous_label: str | None = None
    for link in links:
        label = verse_label(link, src_verses, tgt_verses)
        if label is not None and label == previous_label:
            last = merged[-1]
            merged[-1] = Link(_union(last.src, link.src), _union(last.tgt, link.tgt))
        else:
            merged.append(link)
        previous_label = label
    return merged


def score_verse_merged(
    test: Iterable[Link],
    gold: Iterable[Link],
    src_verses: Sequence[str],
    tgt_verses: Sequence[str],
) -> Counts:
    """Return the counts of ``test`` merged by verse, scored against the verse-level ``gold``."""
    return score_document(merge_verses(test, src_verses, tgt_verses), gold)
