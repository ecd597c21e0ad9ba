"""One registry of QA checks, built from the classes: ids, the default run, the choices."""

from __future__ import annotations

import pytest

from app.qa import (
    CHECK_CLASSES,
    CHECK_NAMES,
    CHECKS,
    check_descriptions,
    default_checks,
    parse_glossary,
    validate_check_names,
)
from app.qa.glossary import GlossaryCheck


def test_the_check_ids_are_those_stored_and_exported() -> None:
    # Stored in Bead.flags and shown in exports: a renamed id would orphan old flags.
    assert CHECK_NAMES == (
        "numbers",
        "names",
        "quotes",
        "identifiers",
        "untranslated",
        "length",
        "empty",
        "omission",
        "glossary",
    )
    assert tuple(check.check_id for check in CHECK_CLASSES) == CHECK_NAMES
    assert all(CHECKS[check.check_id] is check for check in CHECK_CLASSES)
    assert [name for name, _ in check_descriptions()] == list(CHECK_NAMES)


def test_the_default_run_is_every_check_but_the_glossary_unless_one_is_given() -> None:
    assert [check.check_id for check in default_checks()] == list(CHECK_NAMES[:-1])
    glossary = parse_glossary("frontera,border\n")
    with_glossary = default_checks(glossary)
    assert [check.check_id for check in with_glossary] == list(CHECK_NAMES)
    assert isinstance(with_glossary[-1], GlossaryCheck) and not GlossaryCheck.by_default


def test_an_unknown_check_names_the_choices() -> None:
    assert validate_check_names(["numbers", "glossary"]) == ("numbers", "glossary")
    with pytest.raises(ValueError, match="^unknown QA check 'numbrs'; choose among: numbers, "):
        validate_check_names(["numbrs"])
