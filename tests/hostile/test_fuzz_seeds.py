"""The fuzzer's regression seeds replay cleanly, and a few seconds of real fuzzing find nothing.

Every input that once crashed an importer is kept in ``tests/fuzz_seeds/IMPORTER/`` (named
``crash-*``) next to the valid files the fuzzer starts from.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.fuzz.harnesses import HARNESSES

from .conftest import time_cap

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "fuzz_seeds"
SEED_FILES = sorted(path for path in SEEDS.rglob("*") if path.is_file())


def test_every_importer_has_seeds_and_only_importers_have_seeds():
    assert {path.name for path in SEEDS.iterdir()} == set(HARNESSES)
    for importer in HARNESSES:
        assert any((SEEDS / importer).iterdir()), importer


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_a_seed_replays_without_a_crash(seed):
    with time_cap():
        HARNESSES[seed.parent.name](seed.read_bytes())


def test_a_short_fuzz_run_finds_nothing(tmp_path):
    # atheris has wheels for Linux and Python up to 3.11 only (see pyproject.toml).
    pytest.importorskip("atheris")
    # Alinea's own code instrumented (--light) so that the run starts in a second or two.
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "fuzz" / "run.py"), "glossary", "--seconds", "4",
         "--light", "--workdir", str(tmp_path), "--results", str(tmp_path / "result.json")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )  # fmt: skip
    log = (tmp_path / "glossary" / "fuzz.log").read_text()
    assert completed.returncode == 0, log[-3000:]
    summary = json.loads((tmp_path / "result.json").read_text())
    assert summary["execs"] > 0, log[-3000:]
    assert summary["new_crash_files"] == []
    assert summary["coverage"], log[-3000:]
