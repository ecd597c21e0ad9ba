"""Splitting a segment's text in two and joining two segments: the text arithmetic.

Pure functions; ``app.services.text_edits`` stores the result. A paragraph that is split
takes its sentences along: those before the cut stay, those after it go to the new
paragraph, and a sentence the cut falls inside is split there too (``sentence_cut``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.review.ops import OperationRefused


def split_text(text: str, offset: int) -> tuple[str, str]:
    """The two parts of ``text`` cut before character ``offset`` (code points), trimmed.

    Refused unless both parts keep some text.
    """
    if not 0 < offset < len(text):
        raise OperationRefused(
            f"the split point must lie inside the text (1 to {max(len(text) - 1, 1)} "
            f"characters in), not at {offset}"
        )
    first, second = text[:offset].rstrip(), text[offset:].lstrip()
    if not first or not second:
        raise OperationRefused("both parts of a split segment must keep some text")
    return first, second


def join_texts(first: str, second: str) -> str:
    """Two segments' texts as one: separated by one space."""
    return f"{first.rstrip()} {second.lstrip()}"


@dataclass(frozen=True)
class SentenceCut:
    """Where a paragraph's cut falls among its sentences.

    ``moves`` is the index (among the paragraph's sentences, after any split) of the first
    sentence that goes to the new paragraph; ``split`` is (index, first, second) when the
    cut falls inside a sentence, which is then split in two.
    """

    moves: int
    split: tuple[int, str, str] | None = None


def sentence_cut(paragraph: str, sentences: Sequence[str], offset: int) -> SentenceCut:
    """Where cutting ``paragraph`` before ``offset`` falls among ``sentences``.

    Sentences are placed in the paragraph by ``locate``.
    """
    starts = locate(paragraph, sentences)
    for index, (sentence, start) in enumerate(zip(sentences, starts, strict=True)):
        end = start + len(sentence)
        if end <= offset:
            continue
        if start >= offset:
            return SentenceCut(index)
        first, second = sentence[: offset - start].rstrip(), sentence[offset - start :].lstrip()
        if first and second:
            return SentenceCut(index + 1, (index, first, second))
        return SentenceCut(index + 1 if first else index)
    return SentenceCut(len(sentences))


def locate(paragraph: str, sentences: Sequence[str]) -> list[int]:
    """Where each sentence starts in ``paragraph``: each is looked for after the previous
    one; one that cannot be found is taken to follow the previous one after one space."""
    starts, cursor = [], 0
    for index, sentence in enumerate(sentences):
        start = paragraph.find(sentence, cursor)
        if start < 0:
            start = min(cursor + (1 if index else 0), len(paragraph))
        starts.append(start)
        cursor = start + len(sentence)
    return starts


def carry_sentences(old: str, new: str, sentences: Sequence[str]) -> list[str] | None:
    """The paragraph's sentences after its text changed from ``old`` to ``new``.

    A correction keeps the number of sentences (the sentence level's beads rest on it): each
    sentence's start is carried over to the new text through the differences between the
    two, and each sentence runs to the next one's start. None when a sentence would be left
    with no text (the correction removed it whole).
    """
    from difflib import SequenceMatcher

    blocks = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()

    def carried(offset: int) -> int:
        # Text inserted right where a sentence started opens that sentence.
        for tag, i1, _, j1, _ in blocks:
            if tag == "insert" and i1 == offset:
                return j1
        for tag, i1, i2, j1, j2 in blocks:
            if i1 <= offset < i2 or (offset == i2 == len(old)):
                if tag == "equal":
                    return j1 + (offset - i1)
                return j1 if offset == i1 else j1 + (offset - i1) * (j2 - j1) // (i2 - i1)
        return len(new)

    starts = [carried(start) for start in locate(old, sentences)]
    starts[0] = 0
    ends = [*starts[1:], len(new)]
    texts = [new[start:end].strip() for start, end in zip(starts, ends, strict=True)]
    return texts if all(texts) else None
