"""Where the time of ``alinea align`` goes, stage by stage, on the NTREX pair.

    python bench/pipeline_stages.py --size 10000

Writes the pair ``bench/paragraph_pipeline.py`` writes (N paragraphs of NTREX, one
sentence each), aligns it with ``alinea align`` in this process on a fresh SQLite
database, and prints the wall time spent inside each stage: the paragraph level, its
embeddings and searches, the sentence level, the sentence stage of the paragraph
confidence, storing, and QA (language detection apart). Stages nest, so the times do
not add up to the total.
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from paragraph_pipeline import have_eval_data, write_pair  # noqa: E402

SPENT: dict[str, float] = collections.defaultdict(float)


def timed(module, name: str, label: str) -> None:
    """Count the wall time of every call of ``module.name`` under ``label``."""
    original = getattr(module, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label] += time.perf_counter() - started

    setattr(module, name, wrapper)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    args = parser.parse_args()
    if not have_eval_data():
        return 0
    import app.services as services
    from app.align import levels, sentence_evidence
    from app.cli import main as alinea
    from app.ingest import language
    from app.services import pairs, qa

    timed(services, "align_plain", "paragraph level")
    timed(levels, "embeddings_for", "  embeddings (both levels)")
    timed(levels, "align_units", "  searches, posteriors, contexts (both levels)")
    timed(pairs, "with_sentences", "sentence level")
    timed(sentence_evidence, "with_sentence_evidence", "  sentence stage of the confidence")
    timed(pairs, "store", "storing")
    timed(qa, "check_new", "  QA of both levels")
    timed(language, "_confidences", "    language detection (QA)")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_pair(folder, args.size)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'alinea.db'}"
        alinea(["db", "upgrade"], standalone_mode=False)
        started = time.perf_counter()
        command = ["align", str(folder / "es.txt"), str(folder / "en.txt")]
        alinea([*command, "--src-lang", "es", "--tgt-lang", "en"], standalone_mode=False)
        total = time.perf_counter() - started
    print(f"{args.size:,} paragraphs: {total:.1f} s in all")
    for label, seconds in SPENT.items():
        print(f"{label}: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
