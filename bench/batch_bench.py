"""Batch alignment throughput: the 123 NTREX en-es news documents, aligned end to end by
`alinea batch` with 1 and 2 workers, on local processes (--local N) and on RQ workers.

The documents are built from ../shared/eval-data/NTREX (app.evaluation.datasets): each
document's lines become the paragraphs of an English and a Spanish text file, written to a
temporary folder (never into the repository) with a pairs.tsv. Every configuration starts
from an empty SQLite database, so no embedding comes from a cache.

    python bench/batch_bench.py                      # all four configurations
    python bench/batch_bench.py --modes local        # only --local 1 and --local 2
    python bench/batch_bench.py --calibrate          # also 123 pairs of *different* articles

--calibrate aligns each English article with the Spanish of the next one, to show where
true pairs and non-translations fall against the thresholds of app.jobs.batch.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from app.evaluation import datasets

ROOT = Path(__file__).resolve().parents[1]
ALINEA = [sys.executable, "-c", "from app.cli import main; main()"]


def write_pairs(folder: Path, shift: int = 0) -> Path:
    """The NTREX documents as text files and a pairs.tsv; ``shift`` pairs each English
    document with the Spanish of the document ``shift`` places later."""
    documents = datasets.ntrex_documents()
    rows = []
    for k, document in enumerate(documents):
        other = documents[(k + shift) % len(documents)]
        name = document.name.replace("/", "_")
        source = folder / f"{name}.en.txt"
        target = folder / f"{name}.es.txt" if not shift else folder / f"{name}.shifted.es.txt"
        source.write_text("\n\n".join(document.src_lines) + "\n", encoding="utf-8")
        target.write_text("\n\n".join(other.tgt_lines) + "\n", encoding="utf-8")
        rows.append(f"{source}\t{target}\ten\tes\t{name}")
    pairs = folder / ("pairs.tsv" if not shift else "shifted.tsv")
    pairs.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return pairs


def run_batch(pairs: Path, work: Path, label: str, mode: str, workers: int) -> dict:
    """One configuration on a fresh database; returns the batch report, with the CPU time
    of every process it took and the load average around it (the machine is shared)."""
    cpu_before = _children_cpu()
    load_before = os.getloadavg()[0]
    database = work / f"{label}.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "ALINEA_INSTANCE": str(work / "instance"),
        "ALINEA_QUEUE": f"bench-{uuid.uuid4().hex[:8]}",
    }
    subprocess.run([*ALINEA, "db", "upgrade"], env=env, check=True, capture_output=True)
    report = work / f"{label}.json"
    command = [*ALINEA, "batch", str(pairs), "--report", str(report)]
    started_workers = []
    if mode == "local":
        command += ["--local", str(workers)]
    else:
        logs = [(work / f"{label}-worker-{k}.log").open("w") for k in range(workers)]
        started_workers = [
            subprocess.Popen([*ALINEA, "worker"], env=env, stdout=log, stderr=subprocess.STDOUT)
            for log in logs
        ]
        time.sleep(3)  # let them connect, so that the clock measures the batch alone
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, cwd=ROOT)
    finally:
        for process in started_workers:
            process.terminate()
            process.wait(timeout=60)
    result = json.loads(report.read_text())
    result["cpu_seconds"] = round(_children_cpu() - cpu_before, 1)
    result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return result


def _children_cpu() -> float:
    """CPU seconds of every finished descendant (workers, their forks, pool processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def describe(label: str, report: dict) -> dict:
    return {
        "configuration": label,
        "pairs": report["pairs"],
        "done": report["done"],
        "failed": report["failed"],
        "seconds": report["seconds"],
        "pairs_per_minute": report["pairs_per_minute"],
        "mean_similarity": report["mean_similarity"],
        "suspect": len(report["suspect"]),
        "cpu_seconds_per_pair": round(report["cpu_seconds"] / max(1, report["done"]), 2),
        "load_average_before_after": report["load_average"],
    }


def spread(report: dict) -> dict:
    """Where the pairs fall on the two measures the non-translation rule uses."""
    done = [row for row in report["results"] if row["state"] == "done"]
    means = sorted(row["mean_similarity"] or 0.0 for row in done)
    shares = sorted(row["one_sided_share"] for row in done)
    return {
        "mean_similarity_min_median_max": [means[0], means[len(means) // 2], means[-1]],
        "one_sided_share_min_median_max": [shares[0], shares[len(shares) // 2], shares[-1]],
        "flagged": len(report["suspect"]),
        "pairs": len(done),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default="local,rq", help="local, rq or both (default)")
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args()
    try:
        datasets.ntrex_documents()
    except datasets.EvalDataMissing as error:
        print(f"skipped: {error}", file=sys.stderr)
        return 0
    rows, calibration = [], {}
    with tempfile.TemporaryDirectory(prefix="alinea-batch-bench-") as temporary:
        work = Path(temporary)
        pairs = write_pairs(work)
        for mode in args.modes.split(","):
            for workers in (1, 2):
                label = f"{mode}-{workers}"
                report = run_batch(pairs, work, label, mode, workers)
                rows.append(describe(label, report))
                if workers == 1:
                    calibration["true pairs"] = spread(report)
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        if args.calibrate:
            shifted = write_pairs(work, shift=1)
            calibration["different articles"] = spread(
                run_batch(shifted, work, "shifted", "local", 2)
            )
    print(json.dumps({"runs": rows, "calibration": calibration}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
