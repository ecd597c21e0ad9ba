"""Fixtures shared by the ingest tests."""

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def english_article() -> Path:
    """Return the path of the English Deutsche Welle article in the seed corpus."""
    return REPO_ROOT / "corpora" / "dw-2025-02-17-mexico-border" / "en.txt"
