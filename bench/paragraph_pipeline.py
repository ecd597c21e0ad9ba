"""Raw files to a stored two-level alignment: time and peak memory of ``alinea align``.

    python bench/paragraph_pipeline.py                      # 500, 2,000 and 10,000 paragraphs
    python bench/paragraph_pipeline.py --sizes 2000 --repeat 3

The data: the NTREX English-Spanish test set (``../shared/eval-data/NTREX``), one
sentence per paragraph, the Spanish reference as the original and the English source as
its translation; past its 1,997 lines the set is repeated, each copy's lines numbered so
that no paragraph repeats another. For each size the script writes ``es.txt`` and
``en.txt`` (paragraphs separated by blank lines) and ``es.lines``/``en.lines`` (one per
line), then runs, each in a child process on a fresh SQLite database (so the embedding
cache starts empty):

* ``alinea align es.txt en.txt --src-lang es --tgt-lang en`` (paragraphs, then sentences
  inside them, both stored);
* ``alinea align --presegmented es.lines en.lines --src-lang es --tgt-lang en`` (the
  same lines as one level of sentences).

It prints a Markdown table with the wall time and the child's peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.evaluation import datasets  # noqa: E402

SIZES = (500, 2000, 10000)


def lines(size: int) -> tuple[list[str], list[str]]:
    """``size`` Spanish and English NTREX lines, the set repeated as needed."""
    documents = datasets.ntrex_documents()
    spanish = [line for d in documents for line in d.tgt_lines]
    english = [line for d in documents for line in d.src_lines]
    src, tgt = [], []
    for k in range(size):
        copy, line = divmod(k, len(spanish))
        prefix = f"({copy + 1}) " if copy else ""
        src.append(prefix + spanish[line])
        tgt.append(prefix + english[line])
    return src, tgt


def write_pair(folder: Path, size: int) -> None:
    """The pair of ``size`` paragraphs: ``es.txt``/``en.txt`` (blank lines between
    paragraphs) and ``es.lines``/``en.lines`` (one per line)."""
    src, tgt = lines(size)
    (folder / "es.txt").write_text("\n\n".join(src) + "\n", encoding="utf-8")
    (folder / "en.txt").write_text("\n\n".join(tgt) + "\n", encoding="utf-8")
    (folder / "es.lines").write_text("\n".join(src) + "\n", encoding="utf-8")
    (folder / "en.lines").write_text("\n".join(tgt) + "\n", encoding="utf-8")


def have_eval_data() -> bool:
    """Whether NTREX is there; if not, say so (the benchmark is skipped)."""
    try:
        datasets.data_root()
    except datasets.EvalDataMissing as error:
        print(f"skipped: {error}", file=sys.stderr)
        return False
    return True


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def measure(folder: Path, size: int, presegmented: bool) -> tuple[float, float]:
    database = folder / f"bench-{time.monotonic_ns()}.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    alinea = str(Path(sys.executable).parent / "alinea")
    subprocess.run([alinea, "db", "upgrade"], env=env, check=True, capture_output=True)
    languages = ["--src-lang", "es", "--tgt-lang", "en"]
    if presegmented:
        command = [alinea, "align", "--presegmented", str(folder / "es.lines")]
        command += [str(folder / "en.lines"), *languages]
    else:
        command = [alinea, "align", str(folder / "es.txt"), str(folder / "en.txt"), *languages]
    try:
        return run(command, env)
    finally:
        database.unlink(missing_ok=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if not have_eval_data():
        return 0
    print("| paragraphs | `alinea align` | peak memory | `--presegmented` | peak memory | ratio |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            write_pair(folder, size)
            full, lined = [], []
            for _ in range(args.repeat):
                full.append(measure(folder, size, presegmented=False))
                lined.append(measure(folder, size, presegmented=True))
        seconds = statistics.median(s for s, _ in full)
        memory = max(m for _, m in full)
        line_seconds = statistics.median(s for s, _ in lined)
        line_memory = max(m for _, m in lined)
        print(
            f"| {size:,} | {seconds:.1f} s | {memory:,.0f} MB | {line_seconds:.1f} s "
            f"| {line_memory:,.0f} MB | {seconds / line_seconds:.2f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
