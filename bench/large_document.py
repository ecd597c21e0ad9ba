"""Importing a very long document: time and peak memory of ``alinea import`` on N paragraphs.

    python bench/large_document.py [--paragraphs 100000] [--postgres-server URL]

Writes a synthetic English text of N paragraphs (about 80 bytes each) to a temporary folder,
imports it with the ``alinea`` command in a child process on a fresh SQLite file (or a fresh
database created on the PostgreSQL server at URL, e.g. postgresql://postgres@127.0.0.1:5432/test,
and dropped afterwards) and prints the wall time and the child's peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = "the a river border city people walk talk night morning light house water road".split()


def write_document(path: Path, paragraphs: int) -> None:
    generator = random.Random(1)
    with path.open("w", encoding="utf-8") as handle:
        for number in range(paragraphs):
            words = " ".join(generator.choice(WORDS) for _ in range(12)).capitalize()
            handle.write(f"{words} number {number}.\n\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--postgres-server")
    args = parser.parse_args()
    if args.postgres_server:
        import psycopg

        name = f"alinea_bench_{os.getpid()}"
        with psycopg.connect(args.postgres_server, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        base = args.postgres_server.rsplit("/", 1)[0]
        try:
            return measure(args.paragraphs, f"{base}/{name}")
        finally:
            with psycopg.connect(args.postgres_server, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return measure(args.paragraphs, None)


def measure(paragraphs: int, database_url: str | None) -> int:
    args = argparse.Namespace(paragraphs=paragraphs, database_url=database_url)
    with tempfile.TemporaryDirectory() as folder:
        text = Path(folder) / "long.txt"
        write_document(text, args.paragraphs)
        url = args.database_url or f"sqlite:///{Path(folder) / 'alinea.db'}"
        env = {**os.environ, "DATABASE_URL": url, "ALINEA_INSTANCE": str(Path(folder) / "inst")}
        alinea = [sys.executable, "-c", "from app.cli import main; main()"]
        subprocess.run([*alinea, "db", "upgrade"], env=env, check=True, capture_output=True)
        started = time.perf_counter()
        completed = subprocess.run(
            [*alinea, "import", str(text), "--lang", "en"], env=env, capture_output=True, text=True
        )
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(completed.stderr.strip())
        print(
            f"{args.paragraphs} paragraphs, {text.stat().st_size / 1e6:.1f} MB: "
            f"exit {completed.returncode}, {elapsed:.1f} s, peak memory {peak:.0f} MB"
        )
        return completed.returncode


if __name__ == "__main__":
    sys.exit(main())
