"""Text search as a reader expects it: "mexico" finds "México" and "MÉXICO".

Texts and queries are compared folded: decomposed (NFKD), without accents (the combining
marks listed below), and case-folded (Unicode casefold, so "ß" matches "ss"). The same rule
runs in Python on every backend, so SQLite and PostgreSQL find the same pairs.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

# The combining marks that make accents and vowel points once a text is decomposed: the
# diacritics of the Latin, Greek and Cyrillic scripts (and their extensions), Hebrew points,
# Arabic harakat. One regular expression, as a loop over characters in Python would cost
# ten times more on a long document.
_MARKS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]"
)


def fold(text: str) -> str:
    """``text`` without accents and case, for comparison only."""
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():
        decomposed = _MARKS.sub("", decomposed)
    return decomposed.casefold()


def matches(text: str, query: str) -> bool:
    folded = fold(query)
    return bool(folded) and folded in fold(text)


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where ``query`` occurs in ``text`` (folded), as (start, end) offsets into ``text``."""
    wanted = fold(query)
    if not wanted:
        return []
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = fold(char)
        folded.append(piece)
        origin.extend([index] * len(piece))
    haystack = "".join(folded)
    spans: list[tuple[int, int]] = []
    at = haystack.find(wanted)
    while at != -1:
        start, end = origin[at], origin[at + len(wanted) - 1] + 1
        if not spans or start >= spans[-1][1]:
            spans.append((start, end))
        at = haystack.find(wanted, at + len(wanted))
    return spans


def highlight(text: str, query: str) -> Markup:
    """``text`` escaped, with each match of ``query`` in a ``<mark>``."""
    if not query:
        return escape(text)
    out: list[str] = []
    cursor = 0
    for start, end in match_spans(text, query):
        out.append(escape(text[cursor:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        cursor = end
    out.append(escape(text[cursor:]))
    return Markup("").join(out)
