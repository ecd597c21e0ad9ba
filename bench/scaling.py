"""How the sentence aligner's time grows with the input: the Bible en-zh cut to 1/4, 1/2
and the whole, each aligned from raw sentences in a fresh process (model load, embedding
with an empty cache, both search passes).

    python bench/scaling.py            # prints a Markdown table
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FRACTIONS = (0.25, 0.5, 1.0)

CHILD = """
import json, resource, sys, time
started = time.perf_counter()
from app.evaluation import datasets
from app.align.sentences import load_model
from app.services.sentences import align_presegmented
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


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    rows = []
    for fraction in FRACTIONS:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(fraction)],
            cwd=root,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            print(out.stderr.strip().splitlines()[-1], file=sys.stderr)
            return 1
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print("| input | sentences en/zh | model | wall s, process | wall s, aligning | peak RSS MB |")
    print("|---|---|---|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['fraction']:g} × Bible | {row['sentences'][0]}/{row['sentences'][1]} "
            f"| {row['model']} | {row['seconds']} | {row['align_seconds']} | {row['peak_rss_mb']} |"
        )
    ratio = rows[-1]["align_seconds"] / rows[0]["align_seconds"]
    print(f"\nwhole / quarter: {ratio:.2f} times the aligning time for 4 times the input")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
