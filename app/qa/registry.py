"""The registry of QA checks, built from the check classes: each declares its ``check_id``.

``CHECKS`` is the one list of checks: the CLI's ``--check`` choices (``CHECK_NAMES``), the
export form's options (``check_descriptions``) and the default run (``default_checks``)
are all derived from it, so a check class added here appears everywhere at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.qa.base import Check
from app.qa.empty import EmptySideCheck
from app.qa.glossary import Glossary, GlossaryCheck
from app.qa.identifiers import IdentifiersCheck
from app.qa.length import LengthRatioCheck
from app.qa.names import NamesCheck
from app.qa.numbers import NumbersCheck
from app.qa.omission import OmissionCheck
from app.qa.punctuation import QuotesBracketsCheck
from app.qa.untranslated import UntranslatedCheck

CHECK_CLASSES: tuple[type[Check], ...] = (
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
"""Every check, in the order its flags are listed."""

CHECKS: dict[str, type[Check]] = {check.check_id: check for check in CHECK_CLASSES}
"""Every check class by its ``check_id``."""

CHECK_NAMES = tuple(CHECKS)
"""The id of every check, as stored in ``Bead.flags`` and accepted by export filters."""


def check_descriptions() -> list[tuple[str, str]]:
    """(id, one-line description) of every check, for forms and help texts."""
    return [(check_id, check.description) for check_id, check in CHECKS.items()]


def validate_check_names(names: Sequence[str]) -> tuple[str, ...]:
    """``names`` unchanged; ValueError naming the known checks if one is unknown."""
    unknown = [name for name in names if name not in CHECKS]
    if unknown:
        raise ValueError(f"unknown QA check '{unknown[0]}'; choose among: {', '.join(CHECK_NAMES)}")
    return tuple(names)


def default_checks(glossary: Glossary | None = None) -> list[Check]:
    """Return a fresh instance of every check run by default, and the glossary check when
    ``glossary`` is given."""
    checks: list[Check] = [check() for check in CHECK_CLASSES if check.by_default]
    if glossary is not None:
        checks.append(GlossaryCheck(glossary))
    return checks
