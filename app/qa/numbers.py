"""Numbers missing or different between the sides, compared by value across locales.

'0,071' = '0.071', '10.000' (Spanish) = '10,000' (English), years and both ends of a
range are numbers too; a percentage must stay a percentage. The reading of each written
number comes from ``app.align.anchors``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.align.anchors import NUMBER, URL, number_values
from app.qa.base import Check, QaPair
from app.qa.matching import unmatched

SMALL_NUMBER = 10
"""Whole numbers up to this are often written as words ("two weeks", "dos semanas")."""

PERCENT = re.compile(
    NUMBER.pattern
    + r"\s?(?:%|por\s+ciento|per\s?cent|pour\s+cent|prozent|per\s+cento|procent|процент)",
    re.IGNORECASE,
)


def readings(token: str, languages: tuple[str, ...]) -> frozenset[float]:
    """Return the values ``token`` means in any of ``languages``."""
    return frozenset().union(*(number_values(token, language) for language in languages))


def written_numbers(text: str, *languages: str) -> list[tuple[str, frozenset[float]]]:
    """Return each number written in ``text`` with the values it can mean, URLs left out.

    Each number is read the way every one of ``languages`` would: text quoted from the
    other language (or left untranslated) keeps its own separators.
    """
    text = URL.sub(" ", text)
    found = []
    for token in NUMBER.findall(text):
        values = readings(token, languages)
        if values:
            found.append((token, values))
    return found


def percentages(text: str, *languages: str) -> list[tuple[str, frozenset[float]]]:
    """Return the numbers of ``text`` written as percentages, with their values."""
    found = []
    for match in PERCENT.finditer(URL.sub(" ", text)):
        token = NUMBER.match(match.group()).group()  # type: ignore[union-attr]
        found.append((match.group(), readings(token, languages)))
    return found


def is_small(values: frozenset[float]) -> bool:
    """True when a number is a whole number small enough to be spelled out instead."""
    return all(value.is_integer() and value <= SMALL_NUMBER for value in values)


def same_value(a: tuple[str, frozenset[float]], b: tuple[str, frozenset[float]]) -> bool:
    return bool(a[1] & b[1])


class NumbersCheck(Check):
    """Flags numbers and percentages present on one side but not, by value, on the other."""

    check_id = "numbers"
    description = "a number or percentage is missing or different in the translation"

    def problems(self, pair: QaPair) -> Iterator[str]:
        languages = (pair.source_lang, pair.target_lang)
        source = written_numbers(pair.source, *languages)
        target = written_numbers(pair.target, *reversed(languages))
        missing, extra = unmatched(source, target, same_value)
        for token, values in missing:
            if not is_small(values):
                yield f"the source's number {token} is missing or different in the target"
        for token, values in extra:
            if not is_small(values):
                yield f"the target's number {token} is not in the source"
        yield from self._percentages(pair)

    def _percentages(self, pair: QaPair) -> Iterator[str]:
        """Yield a message per percentage whose number is on the other side, but not as one."""
        # A percentage whose number is missing altogether is already reported above.
        languages = (pair.source_lang, pair.target_lang)
        source = percentages(pair.source, *languages)
        target = percentages(pair.target, *languages)
        missing, extra = unmatched(source, target, same_value)
        target_numbers = written_numbers(pair.target, *languages)
        source_numbers = written_numbers(pair.source, *languages)
        for text, values in missing:
            if any(values & other for _token, other in target_numbers):
                yield f"the source's percentage '{text}' is not a percentage in the target"
        for text, values in extra:
            if any(values & other for _token, other in source_numbers):
                yield f"the target's percentage '{text}' is not a percentage in the source"
