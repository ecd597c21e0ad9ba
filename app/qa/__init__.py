"""Quality checks on aligned pairs: one check per module behind the ``Check`` base.

Pure code: checks take ``QaPair`` values and return ``Flag`` values; ``app.services.qa``
runs them over a stored alignment and keeps the flags on its beads.
"""

from app.qa.base import Check, Flag, QaPair
from app.qa.glossary import Glossary, parse_glossary, read_glossary
from app.qa.runner import default_checks, run_checks

CHECK_NAMES = (
    "numbers", "names", "quotes", "identifiers", "untranslated", "length", "empty", "omission",
    "glossary",
)  # fmt: skip
"""The name of every check, as stored in ``Bead.flags`` and accepted by export filters."""

__all__ = [
    "CHECK_NAMES",
    "Check",
    "Flag",
    "Glossary",
    "QaPair",
    "default_checks",
    "parse_glossary",
    "read_glossary",
    "run_checks",
]
