"""Running a set of checks over the pairs of one alignment."""

from __future__ import annotations

from collections.abc import Sequence

from app.qa.base import Check, Flag, QaPair
from app.qa.empty import EmptySideCheck
from app.qa.glossary import Glossary, GlossaryCheck
from app.qa.identifiers import IdentifiersCheck
from app.qa.length import LengthRatioCheck
from app.qa.names import NamesCheck
from app.qa.numbers import NumbersCheck
from app.qa.omission import OmissionCheck
from app.qa.punctuation import QuotesBracketsCheck
from app.qa.untranslated import UntranslatedCheck


def default_checks(glossary: Glossary | None = None) -> list[Check]:
    """Return a fresh instance of every check; the glossary check only with a glossary."""
    checks: list[Check] = [
        NumbersCheck(),
        NamesCheck(),
        QuotesBracketsCheck(),
        IdentifiersCheck(),
        UntranslatedCheck(),
        LengthRatioCheck(),
        EmptySideCheck(),
        OmissionCheck(),
    ]
    if glossary is not None:
        checks.append(GlossaryCheck(glossary))
    return checks


def run_checks(pairs: Sequence[QaPair], checks: Sequence[Check]) -> list[list[Flag]]:
    """Return the flags of each pair, in the order of ``pairs``.

    Every check first learns from all the pairs, then looks at each one.
    """
    for check in checks:
        check.learn(pairs)
    return [[flag for check in checks for flag in check.flags(pair)] for pair in pairs]
