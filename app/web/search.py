"""Text search as a reader expects it: "mexico" finds "México" and "MÉXICO".

Texts and queries are compared folded (``app.store.queries.fold``): decomposed (NFKD),
without accents, and case-folded (Unicode casefold, so "ß" matches "ss"). The same rule
runs in Python on every backend, so SQLite and PostgreSQL find the same pairs.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from app.store.queries import fold


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
