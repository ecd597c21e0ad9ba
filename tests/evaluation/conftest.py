"""Fixtures for the evaluation tests: the shared eval-data folder and the sets read from it.

Tests that need the gold sets skip, saying why, when the folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evaluation import EvalDataMissing, EvalDocument, bible, data_root


@pytest.fixture(scope="session")
def eval_root() -> Path:
    """Return the evaluation-data folder, or skip the test when it is absent."""
    try:
        return data_root()
    except EvalDataMissing as error:
        pytest.skip(f"gold evaluation data not available: {error}")


@pytest.fixture(scope="session")
def bible_document(eval_root: Path) -> EvalDocument:
    """Return the en-zh Bible with its verse-level gold (read once per session)."""
    return bible(eval_root)
