"""Alinea installed from its wheel, away from any checkout, sets up its database and runs
the demo: the migrations and the corpus travel inside the package."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA_PACKAGES = {"app.migrations": "migrations", "app.corpora": "corpora"}


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def folders(top: Path, name: str) -> set[str]:
    """``top`` and the folders below it that Python could import, as dotted names."""
    below = {
        ".".join([name, *path.relative_to(top).parts])
        for path in top.rglob("*")
        if path.is_dir() and path.name != "__pycache__"
    }
    return {name} | {dotted for dotted in below if dotted.replace(".", "_").isidentifier()}


def test_the_wheel_lists_every_folder_of_the_package_and_the_bundled_ones():
    setuptools = pyproject()["tool"]["setuptools"]
    expected = folders(ROOT / "app", "app")
    for package, folder in DATA_PACKAGES.items():
        expected |= folders(ROOT / folder, package)
    assert set(setuptools["packages"]) == expected
    assert setuptools["package-dir"] == DATA_PACKAGES


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel built from this tree and unpacked into a folder of its own (the other
    requirements are those of the test environment)."""
    work = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work)]
    subprocess.run([*build, str(ROOT)], check=True, cwd=work, timeout=600)
    (wheel,) = work.glob("alinea-*.whl")
    site = work / "site"
    install = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
    subprocess.run([*install, "--target", str(site), str(wheel)], check=True, timeout=600)
    return site


def alinea(site: Path, *arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Run from the install's own folder, so neither the checkout nor an editable install
    # of it can be what is imported.
    command = [sys.executable, "-c", "from app.cli import main; main()", *arguments]
    return subprocess.run(
        command, cwd=site, env=env, capture_output=True, text=True, timeout=900, check=False
    )


def test_an_installed_wheel_upgrades_its_database_and_runs_the_demo(installed, tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(installed),
        "ALINEA_INSTANCE": str(tmp_path / "instance"),
    }
    env.pop("DATABASE_URL", None)
    where = subprocess.run(
        [sys.executable, "-c", "import app.bundled as b; print(b.__file__); print(b.MIGRATIONS)"],
        cwd=installed,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(Path(path).is_relative_to(installed) for path in where), where

    upgraded = alinea(installed, "db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    demo = alinea(installed, "demo", "--no-serve", env=env)
    assert demo.returncode == 0, demo.stderr
    assert "demo alignment: http://127.0.0.1:5000/alignments/" in demo.stderr
    assert demo.stdout.strip().isdigit()
    assert (tmp_path / "instance" / "alinea.db").is_file()
