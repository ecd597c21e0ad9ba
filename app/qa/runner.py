"""The registry of QA checks, and running a set of them over the pairs of one alignment.

``CHECKS`` is the one list of checks: the CLI's ``--check`` choices, the export form's
options and the default run are all derived from it, so a new check module added here
appears everywhere at once.
"""

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

# Every check, in the order its flags are listed. The glossary check runs only when a
# glossary is given (``alinea qa --glossary``).
CHECKS: dict[str, type[Check]] = {
    check.name: check
    for check in (
        NumbersCheck,
        NamesCheck,
        QuotesBracketsCheck,
        IdentifiersCheck,
        UntranslatedCheck,
        LengthRatioCheck,
        EmptySideCheck,
        OmissionCheck,
        GlossaryCheck,
    )
}

CHECK_NAMES = tuple(CHECKS)
"""The name of every check, as stored in ``Bead.flags`` and accepted by export filters."""


def check_descriptions() -> list[tuple[str, str]]:
    """(name, one-line description) of every check, for forms and help texts."""
    return [(name, check.description) for name, check in CHECKS.items()]


def validate_check_names(names: Sequence[str]) -> tuple[str, ...]:
    """``names`` unchanged; ValueError naming the known checks if one is unknown."""
    unknown = [name for name in names if name not in CHECKS]
    if unknown:
        raise ValueError(f"unknown QA check '{unknown[0]}'; choose among: {', '.join(CHECK_NAMES)}")
    return tuple(names)


def default_checks(glossary: Glossary | None = None) -> list[Check]:
    """Return a fresh instance of every check; the glossary check only with a glossary."""
    checks: list[Check] = [check() for check in CHECKS.values() if check is not GlossaryCheck]
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
