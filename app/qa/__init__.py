"""Quality checks on aligned pairs: one check per module behind the ``Check`` base.

Pure code: checks take ``QaPair`` values and return ``Flag`` values; ``app.services.qa``
runs them over a stored alignment and keeps the flags on its beads. Each check class
declares its ``check_id``; ``app.qa.registry`` lists them, and gives ``CHECK_NAMES`` and
``default_checks``.
"""

from app.qa.base import Check, Flag, QaPair
from app.qa.glossary import Glossary, parse_glossary, read_glossary
from app.qa.registry import (
    CHECK_CLASSES,
    CHECK_NAMES,
    CHECKS,
    check_descriptions,
    default_checks,
    validate_check_names,
)
from app.qa.runner import run_checks

__all__ = [
    "CHECKS",
    "CHECK_CLASSES",
    "CHECK_NAMES",
    "Check",
    "Flag",
    "Glossary",
    "QaPair",
    "check_descriptions",
    "default_checks",
    "parse_glossary",
    "read_glossary",
    "run_checks",
    "validate_check_names",
]
