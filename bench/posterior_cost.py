"""What the beads' posterior probability costs on the whole Bible en-zh: CPU time of the
confidence contexts with and without it, on the path the aligner chooses.

    python bench/posterior_cost.py [--fast] [--repeat 3]

Embedding and search run first and are not counted; each measure is the least CPU time
(user + system) of ``--repeat`` runs, steadier than wall time on a shared machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path


def main() -> int:
    from threadpoolctl import threadpool_limits

    from app.align.choice import choose
    from app.align.engine import bead_contexts, best_path, build_sides
    from app.align.levels import choose_model, embeddings_for
    from app.evaluation import datasets

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    bible = datasets.bible()
    src_lines, tgt_lines = bible.src_lines, bible.tgt_lines
    choice = choose(bible.src_lang, bible.tgt_lang, fast=args.fast)
    model = choose_model(choice, len(src_lines) + len(tgt_lines))
    embeddings = (
        embeddings_for(src_lines, tgt_lines, model.concat_runs, model_name=model.embedding_model)
        if model.uses_embeddings
        else (None, None)
    )
    with threadpool_limits(1, user_api="blas"):
        src, tgt = build_sides(src_lines, tgt_lines, *embeddings)
        spans = best_path(src, tgt, model)
        without = replace(model, posterior_temperature=0.0)
        for label, variant in (("without the posterior", without), ("with it", model)):
            seconds = min(
                _cpu(lambda v=variant: bead_contexts(src, tgt, spans, v))
                for _ in range(args.repeat)
            )
            print(f"{model.name}, {label}: {seconds:.2f} s of CPU")
    return 0


def _cpu(work) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
