"""Coverage-guided fuzzing of one importer with atheris (libFuzzer for Python).

    nice -n 19 python bench/fuzz/run.py IMPORTER --minutes 10

IMPORTER is one of: text, markdown, html, docx, url, tmx, xliff, glossary. The run starts
from the regression seeds in ``tests/fuzz_seeds/IMPORTER/`` plus the corpus it keeps in
``bench/fuzz/work/IMPORTER/corpus/`` (new interesting inputs are added there, so a second run
goes on where the first stopped). An input that makes the importer fail any other way than with
its own clear error is saved in ``bench/fuzz/work/IMPORTER/crashes/`` (one file per distinct
failure: exception type and place) and the run goes on; hangs (``--timeout`` seconds on one
input) and runaway memory (``--rss-mb``) are saved there by libFuzzer, and the run restarts
with the time left. Copy a saved input into ``tests/fuzz_seeds/IMPORTER/`` once it is fixed:
the suite replays every seed.

At the end a summary (executions, coverage, corpus, crashes) is printed and written as JSON to
``bench/fuzz/results/IMPORTER.json`` (``--results`` to change).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "fuzz_seeds"
WORK = ROOT / "bench" / "fuzz" / "work"
RESULTS = ROOT / "bench" / "fuzz" / "results"
IMPORTERS = ("text", "markdown", "html", "docx", "url", "tmx", "xliff", "glossary")
# Largest input the fuzzer makes, per importer (a DOCX template is a few dozen KB).
MAX_LEN = {"docx": 65536, "html": 32768}
DEFAULT_MAX_LEN = 16384
# With --light: besides Alinea, the pure-Python libraries each importer leans on.
LIGHT_PACKAGES = {
    "text": ["charset_normalizer"],
    "markdown": ["markdown_it"],
    "html": ["trafilatura"],
    "docx": ["docx", "zipfile"],
    "url": ["urllib", "http", "trafilatura"],
    "tmx": ["defusedxml", "xml"],
    "xliff": ["defusedxml", "xml"],
    "glossary": ["csv"],
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("importer", choices=IMPORTERS)
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--minutes", type=float, help="how long to fuzz (default 10)")
    length.add_argument("--seconds", type=float, help="how long to fuzz, in seconds")
    parser.add_argument("--workdir", type=Path, help="corpus and crashes (default bench/fuzz/work)")
    parser.add_argument("--results", type=Path, help="where to write the JSON summary")
    parser.add_argument("--timeout", type=int, default=20, help="seconds one input may take")
    parser.add_argument("--rss-mb", type=int, default=3072, help="memory cap of the fuzzer")
    parser.add_argument(
        "--light",
        action="store_true",
        help="instrument Alinea and the importer's own libraries only (starts in seconds)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    seconds = args.seconds if args.seconds is not None else 60 * (args.minutes or 10)
    work = (args.workdir or WORK) / args.importer
    if args.child:
        return child(args.importer, seconds, work, args)
    return parent(args.importer, seconds, work, args)


# --- The parent: runs the fuzzer in a child process until the time is used up ---------------


def parent(importer: str, seconds: float, work: Path, args: argparse.Namespace) -> int:
    corpus, crashes = work / "corpus", work / "crashes"
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(parents=True, exist_ok=True)
    known = set(os.listdir(crashes))
    log_path = work / "fuzz.log"
    started = time.monotonic()
    totals = {"execs": 0, "restarts": 0}
    last: dict[str, int] = {}
    with log_path.open("w") as log:
        while (left := seconds - (time.monotonic() - started)) > 2:
            command = [
                *(sys.executable, __file__, importer, "--child", "--seconds", f"{left:.0f}"),
                *("--timeout", str(args.timeout), "--rss-mb", str(args.rss_mb)),
                *("--workdir", str(work.parent)),
                *(["--light"] if args.light else []),
            ]
            process = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
            log.flush()
            run_stats = _stats(log_path.read_text(errors="replace"))
            totals["execs"] += run_stats.pop("runs", 0)
            last.update(run_stats)
            if process.returncode == 0:
                break
            # libFuzzer stopped on a hang, a memory blow-up or a crash of its own: go on.
            totals["restarts"] += 1
            if totals["restarts"] > 20:
                break
            log.write(f"\n=== restart {totals['restarts']} after exit {process.returncode}\n")
    elapsed = time.monotonic() - started
    found = sorted(name for name in set(os.listdir(crashes)) - known if "." not in name)
    summary = {
        "importer": importer,
        "seconds": round(elapsed),
        "execs": totals["execs"],
        "execs_per_second": round(totals["execs"] / elapsed, 1) if elapsed else 0,
        "coverage": last.get("cov"),
        "features": last.get("ft"),
        "corpus_files": len(os.listdir(corpus)),
        "restarts": totals["restarts"],
        "new_crash_files": found,
        "crash_files_total": sum(1 for name in os.listdir(crashes) if "." not in name),
        "light": args.light,
    }
    results = args.results or RESULTS / f"{importer}.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    return 1 if found else 0


_STATUS = re.compile(r"^#(\d+)\s+\w+.*?cov: (\d+) ft: (\d+)", re.MULTILINE)
_DONE = re.compile(r"^Done (\d+) runs in", re.MULTILINE)
_UNITS = re.compile(r"stat::number_of_executed_units: (\d+)")


def _stats(log: str) -> dict[str, int]:
    """The last run's executions and final coverage, read from libFuzzer's output."""
    section = log.rsplit("=== restart", 1)[-1]
    stats: dict[str, int] = {}
    statuses = _STATUS.findall(section)
    if statuses:
        stats["cov"], stats["ft"] = int(statuses[-1][1]), int(statuses[-1][2])
    done = _DONE.findall(section) or _UNITS.findall(section)
    if done:
        stats["runs"] = int(done[-1])
    elif statuses:
        stats["runs"] = int(statuses[-1][0])
    return stats


# --- The child: atheris itself ---------------------------------------------------------------


def child(importer: str, seconds: float, work: Path, args: argparse.Namespace) -> int:
    import atheris

    sys.path.insert(0, str(ROOT))
    if args.light:
        with atheris.instrument_imports(include=["app", *LIGHT_PACKAGES[importer]]):
            # The harnesses import the readers and the glossary when first called: import
            # them here, so that they are instrumented too.
            import app.formats  # noqa: F401
            import app.qa  # noqa: F401
            from bench.fuzz.harnesses import HARNESSES
    else:
        from bench.fuzz.harnesses import HARNESSES

        if importer == "docx":
            from bench.fuzz.harnesses import docx_parts

            docx_parts()  # build the template before instrumenting: it is not under test
        atheris.instrument_all()
    harness = HARNESSES[importer]
    crashes = work / "crashes"
    seen: set[str] = {name.split("-")[1] for name in os.listdir(crashes) if "-" in name}

    def test_one_input(data: bytes) -> None:
        try:
            harness(data)
        except Exception as error:  # everything the harness lets through is a finding
            signature = _signature(error)
            if signature in seen:
                return
            seen.add(signature)
            digest = hashlib.sha1(data).hexdigest()[:12]
            saved = crashes / f"crash-{signature}-{digest}"
            saved.write_bytes(data)
            report = "".join(traceback.format_exception(error))
            saved.with_suffix(".txt").write_text(report)
            print(f"\n=== NEW FAILURE {signature}: {type(error).__name__}: {str(error)[:300]}")
            print(report)
            sys.stdout.flush()

    seeds = SEEDS / importer
    fuzzer_args = [
        sys.argv[0],
        str(work / "corpus"),
        *([str(seeds)] if seeds.is_dir() else []),
        f"-max_total_time={int(seconds)}",
        f"-timeout={args.timeout}",
        f"-rss_limit_mb={args.rss_mb}",
        f"-max_len={MAX_LEN.get(importer, DEFAULT_MAX_LEN)}",
        f"-artifact_prefix={crashes}/",
        "-print_final_stats=1",
    ]
    atheris.Setup(fuzzer_args, test_one_input)
    atheris.Fuzz()
    return 0


def _signature(error: BaseException) -> str:
    """A short id of a failure: its type and the innermost frame in Alinea (else the last)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if f"{os.sep}app{os.sep}" in frame.filename]
    frame = (ours or frames or [None])[-1]
    place = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
    key = f"{type(error).__name__}@{place}"
    if not ours and frames:
        # The failure escaped from a library: the last frame of Alinea's harness says which.
        key += f"<{Path(frames[-1].filename).name}:{frames[-1].lineno}"
    return hashlib.sha1(key.encode()).hexdigest()[:10]


if __name__ == "__main__":
    sys.exit(main())
