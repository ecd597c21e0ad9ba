"""How the sentence aligner's time grows with the input: the Bible en-zh cut to 1/4, 1/2
and the whole, each aligned from raw sentences in a fresh process (model load, embedding
with an empty cache, both search passes).

    python bench/scaling.py              # prints a Markdown table
    python bench/scaling.py --repeat 3   # each size three times; the table gives medians

Single runs on a shared 2-core machine vary by a third; medians of a few runs, taken in
turns (quarter, half, whole, quarter, ...) so that a busy minute spreads over all sizes,
say more about how the time grows.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

FRACTIONS = (0.25, 0.5, 1.0)

CHILD = """
import json, resource, sys, time
started = time.perf_counter()
from app.evaluation import datasets
from app.align.model import load_model
from app.align.levels import align_presegmented
fraction = float(sys.argv[1])
bible = datasets.bible()
src = bible.src_lines[: int(len(bible.src_lines) * fraction)]
tgt = bible.tgt_lines[: int(len(bible.tgt_lines) * fraction)]
loaded = time.perf_counter()
# One model for every size, the one the whole Bible gets, so only the length changes.
result = align_presegmented(src, tgt, "en", "zh", model=load_model("semantic-sums"))
done = time.perf_counter()
print(json.dumps({
    "fraction": fraction, "sentences": [len(src), len(tgt)],
    "model": result.parameters["model"],
    "seconds": round(done - started, 2), "align_seconds": round(done - loaded, 2),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}))
"""


def run(root: Path, fraction: float) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(fraction)], cwd=root, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr.strip().splitlines()[-1])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (default 1)")
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    runs: dict[float, list[dict]] = {fraction: [] for fraction in FRACTIONS}
    for _ in range(args.repeat):
        for fraction in FRACTIONS:
            runs[fraction].append(run(root, fraction))
    print(
        "| input | sentences en/zh | model | wall s, process | wall s, aligning | runs | peak MB |"
    )
    print("|---|---|---|---:|---:|---|---:|")
    medians = {}
    for fraction, rows in runs.items():
        first = rows[0]
        medians[fraction] = statistics.median(row["align_seconds"] for row in rows)
        every = ", ".join(f"{row['align_seconds']}" for row in rows)
        print(
            f"| {fraction:g} × Bible | {first['sentences'][0]}/{first['sentences'][1]} "
            f"| {first['model']} | {statistics.median(row['seconds'] for row in rows):.2f} "
            f"| {medians[fraction]:.2f} | {every} | {max(row['peak_rss_mb'] for row in rows)} |"
        )
    ratio = medians[FRACTIONS[-1]] / medians[FRACTIONS[0]]
    print(f"\nwhole / quarter: {ratio:.2f} times the aligning time for 4 times the input (medians)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
