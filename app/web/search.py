"""Text search as a reader expects it: "mexico" finds "México" and "MÉXICO".

Texts and queries are compared folded: decomposed (NFKD), without combining marks, and
case-folded (Unicode casefold, so "ß" matches "ss"). The same rule runs in Python on every
backend, so SQLite and PostgreSQL find the same pairs.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """``text`` without accents and case, for comparison only."""
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():
        decomposed = "".join(c for c in _MARKS.sub("", decomposed) if not unicodedata.combining(c))
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
