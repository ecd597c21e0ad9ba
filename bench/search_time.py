"""CPU time of the sentence aligner's steps on the whole Bible, embeddings computed first.

    python bench/search_time.py [--model semantic-sums]

Embeds the Bible's sentences once (kept in a file under the system's temporary folder,
so later runs skip it), then times, with one BLAS thread as ``align_units`` uses:
building the sides' arrays, the search (``best_path``) and the chosen beads' contexts
(the confidence, posterior included). It prints a digest of the path and one of the
similarities, so two versions of the code can be shown to give the same alignment.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from app.align import engine as sentences
from app.align.embed import embed_side
from app.align.encoders import USE_MODEL, use_encoder
from app.align.model import load_model
from app.evaluation import datasets


def embeddings(bible) -> tuple[np.ndarray, np.ndarray]:
    path = Path(tempfile.gettempdir()) / "alinea-bible-use.npz"
    if not path.exists():
        encoder = use_encoder()
        src = embed_side(bible.src_lines, encoder, USE_MODEL, 1)[1]
        tgt = embed_side(bible.tgt_lines, encoder, USE_MODEL, 1)[1]
        np.savez(path, src=src, tgt=tgt)
    stored = np.load(path)
    return stored["src"], stored["tgt"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="semantic-sums")
    args = parser.parse_args()
    try:
        bible = datasets.bible()
    except datasets.EvalDataMissing as error:
        print(f"skipped: {error}")
        return 0
    model = load_model(args.model)
    src_vectors, tgt_vectors = embeddings(bible) if model.uses_embeddings else (None, None)
    with threadpool_limits(1, user_api="blas"):
        clock = time.process_time()
        src, tgt = sentences.build_sides(
            bible.src_lines,
            bible.tgt_lines,
            {1: src_vectors} if src_vectors is not None else None,
            {1: tgt_vectors} if tgt_vectors is not None else None,
        )
        sides = time.process_time() - clock
        clock = time.process_time()
        spans = sentences.best_path(src, tgt, model)
        search = time.process_time() - clock
        clock = time.process_time()
        # (Versions before the document lexicon have no ``model_used``: the model is it.)
        used = getattr(sentences, "model_used", lambda _s, _t, m: m)(src, tgt, model)
        beads = sentences.describe_beads(src, tgt, spans, used)
        contexts = time.process_time() - clock
    path = hashlib.sha256(repr(spans).encode()).hexdigest()[:12]
    similarity = hashlib.sha256(repr([b.similarity for b in beads]).encode()).hexdigest()[:12]
    print(f"model {model.name}: {len(beads)} beads, path {path}, similarities {similarity}")
    print(
        f"CPU s: sides {sides:.2f}, search {search:.2f}, contexts {contexts:.2f}, "
        f"all {sides + search + contexts:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
