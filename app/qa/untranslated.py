"""Untranslated text: the target repeats the source, or is written in the source language."""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.ingest.errors import IngestError
from app.ingest.language import detect_language
from app.qa.base import Check, QaPair

_WORD = re.compile(r"[^\W\d_]{2,}")
_SPACE = re.compile(r"\s+")

MIN_IDENTICAL_WORDS = 4
"""A shorter identical pair is most likely a name, a title or a code, kept on purpose."""

MIN_DETECTION_WORDS = 8
"""Language detection on fewer words is too often wrong to flag anything."""


def normalised(text: str) -> str:
    """Return ``text`` case-folded with runs of whitespace made one space."""
    return _SPACE.sub(" ", text).strip().casefold()


def word_count(text: str) -> int:
    """Return the number of words of two letters or more in ``text``."""
    return len(_WORD.findall(text))


def detected(text: str, candidates: tuple[str, str]) -> str | None:
    """Return the language of ``text`` among ``candidates``, or None if undecidable."""
    try:
        return detect_language(text, candidates)
    except IngestError:
        return None


class UntranslatedCheck(Check):
    """Flags targets equal to their source or written in the source language."""

    check_id = "untranslated"
    description = "the target is not translated"

    def problems(self, pair: QaPair) -> Iterator[str]:
        if normalised(pair.source) == normalised(pair.target):
            if word_count(pair.target) >= MIN_IDENTICAL_WORDS:
                yield "the target is the same as the source"
            return
        if pair.source_lang == pair.target_lang or word_count(pair.target) < MIN_DETECTION_WORDS:
            return
        language = detected(pair.target, (pair.source_lang, pair.target_lang))
        if language == pair.source_lang:
            yield f"the target seems to be in the source language ({pair.source_lang})"
