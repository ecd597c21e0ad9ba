"""Quotation marks and brackets unbalanced on one side or differing between the sides.

Only double quotation marks are counted: single ones double as apostrophes (’). Quotes
are compared by number, whatever their style («», “”, „“, ""), since a translation
changes the style but keeps the quotations.
"""

from __future__ import annotations

from collections.abc import Iterator

from app.qa.base import Check, QaPair

DOUBLE_QUOTES = '"“”„‟«»'
BRACKETS = {"(": ")", "[": "]", "{": "}"}


def quote_count(text: str) -> int:
    """Return the number of double quotation marks in ``text``."""
    return sum(text.count(mark) for mark in DOUBLE_QUOTES)


def bracket_balance(text: str) -> dict[str, int]:
    """Return, per opening bracket, openings minus closings in ``text``."""
    return {
        opening: text.count(opening) - text.count(closing) for opening, closing in BRACKETS.items()
    }


def bracket_count(text: str) -> int:
    """Return the number of opening brackets of any kind in ``text``."""
    return sum(text.count(opening) for opening in BRACKETS)


class QuotesBracketsCheck(Check):
    """Flags quotation marks and brackets that do not match between the sides."""

    check_id = "quotes"
    description = "quotation marks or brackets differ or are unbalanced"

    def problems(self, pair: QaPair) -> Iterator[str]:
        source_quotes, target_quotes = quote_count(pair.source), quote_count(pair.target)
        if source_quotes != target_quotes:
            yield (f"the source has {source_quotes} quotation marks, the target {target_quotes}")
        source_balance, target_balance = bracket_balance(pair.source), bracket_balance(pair.target)
        for opening, closing in BRACKETS.items():
            if target_balance[opening] and not source_balance[opening]:
                yield f"'{opening}' and '{closing}' are unbalanced in the target"
            if source_balance[opening] and not target_balance[opening]:
                yield f"'{opening}' and '{closing}' are unbalanced in the source"
        source_brackets, target_brackets = bracket_count(pair.source), bracket_count(pair.target)
        if source_brackets != target_brackets:
            yield f"the source has {source_brackets} brackets, the target {target_brackets}"
