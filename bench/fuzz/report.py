"""Print the fuzz runs' summaries (``bench/fuzz/results/*.json``) as a Markdown table.

python bench/fuzz/report.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import IMPORTERS, RESULTS  # noqa: E402

START, END = "<!-- fuzz-table -->", "<!-- /fuzz-table -->"


def main() -> None:
    lines = table()
    if "--update" not in sys.argv:
        print("\n".join(lines))
        return
    doc = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
    text = doc.read_text()
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    doc.write_text(before + START + "\n" + "\n".join(lines) + "\n" + END + after)


def table() -> list[str]:
    lines = []
    print = lines.append  # noqa: A001
    print("| importer | instrumented | time | executions | exec/s | coverage (edges) | features | "
          "corpus | restarts | new failures |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for importer in IMPORTERS:
        path = RESULTS / f"{importer}.json"
        if not path.exists():
            print(f"| {importer} | not run | | | | | | | | |")
            continue
        run = json.loads(path.read_text())
        minutes, seconds = divmod(run["seconds"], 60)
        print(
            f"| {importer} | {'Alinea + libraries' if run['light'] else 'all modules'} | "
            f"{minutes} min {seconds:02d} s | {run['execs']:,} | "
            f"{run['execs_per_second']:g} | {run['coverage'] or '—'} | {run['features'] or '—'} | "
            f"{run['corpus_files']} | {run['restarts']} | {len(run['new_crash_files'])} |"
        )
    return lines


if __name__ == "__main__":
    main()
