"""Names and other capitalised words of one side missing on the other.

Which capitalised words a translation keeps is learned from the alignment itself: a word
counts as a name once it appears, fuzzily (accents, case, small inflections), on both
sides of some pair. Words that get translated ("Gobierno" → "government") therefore never
count, and a name the translator dropped is flagged wherever it is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from rapidfuzz import fuzz, process

from app.align.anchors import NAME_MATCH_THRESHOLD, URL, WORD, capitalised_words, fold
from app.qa.base import Check, QaPair

_JOINERS = re.compile(r"['’\-]")


def folded_words(text: str) -> list[str]:
    """Return every word of ``text``, folded (lower case, no accents), URLs left out.

    A word joined by an apostrophe or a hyphen also gives its parts, so that "Trump’s"
    and "Sánchez-Cordero" contain "trump" and "sanchez".
    """
    words = []
    for match in WORD.finditer(URL.sub(" ", text)):
        word = fold(match.group())
        words.append(word)
        parts = [part for part in _JOINERS.split(word) if part]
        if len(parts) > 1:
            words.extend(parts)
    return words


def names(text: str) -> list[str]:
    """Return the folded capitalised words of ``text`` that do not open a sentence."""
    return capitalised_words(URL.sub(" ", text))


def appears_in(name: str, words: Sequence[str]) -> bool:
    """True when ``name`` is one of ``words``, allowing small spelling differences."""
    if name in words:
        return True
    return (
        process.extractOne(name, words, scorer=fuzz.ratio, score_cutoff=NAME_MATCH_THRESHOLD)
        is not None
    )


UNTRANSLATED_SHARE = 0.5


def shares_most_words(source: Sequence[str], target: Sequence[str]) -> bool:
    """True when most distinct words of ``source`` are in ``target``: not a translation."""
    distinct = set(source)
    return bool(distinct) and len(distinct & set(target)) / len(distinct) > UNTRANSLATED_SHARE


class NamesCheck(Check):
    """Flags names kept elsewhere in the translation but missing from this pair's other side."""

    check_id = "names"
    description = "a name of one side is missing on the other"

    def __init__(self) -> None:
        self.source_names: set[str] = set()
        self.target_names: set[str] = set()

    def learn(self, pairs: Sequence[QaPair]) -> None:
        """Collect the capitalised words that some pair has on both sides."""
        for pair in pairs:
            if not pair.two_sided:
                continue
            source_words, target_words = folded_words(pair.source), folded_words(pair.target)
            if shares_most_words(source_words, target_words):
                # An untranslated pair would teach that every capitalised word is kept.
                continue
            self.source_names |= {n for n in names(pair.source) if appears_in(n, target_words)}
            self.target_names |= {n for n in names(pair.target) if appears_in(n, source_words)}

    def problems(self, pair: QaPair) -> Iterator[str]:
        target_words = folded_words(pair.target)
        for name in dict.fromkeys(names(pair.source)):
            if name in self.source_names and not appears_in(name, target_words):
                yield f"the name '{name}' of the source is missing in the target"
        source_words = folded_words(pair.source)
        for name in dict.fromkeys(names(pair.target)):
            if name in self.target_names and not appears_in(name, source_words):
                yield f"the name '{name}' of the target is not in the source"
