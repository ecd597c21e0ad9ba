"""How well a shipped model's confidence ranks its own errors on each dev set, held out.

    python bench/confidence_dev.py                       # the paragraph "semantic" model
    python bench/confidence_dev.py --ridge 0.1 --ridge 1  # other regularisations too

``bench/fit_model.py`` chooses the confidence variant (posterior or not, at which
temperature, in which form; with the edge features or not) by one count over all dev
beads pooled. The targets are per set ("the 10% least confident beads of a set hold 70%
of its wrong ones"), so this script gives, for every variant, the count per dev set:
the model's chosen beads on the dev documents the confidence is fitted on (each cut
``CONFIDENCE_VARIANTS`` ways), the logistic model fitted on every other document and
judged on the rest (two folds, so no document is judged by a model that saw it), and
the wrong beads among each set's 10% least confident. The shipped variant is marked.
When the model has a sentence stage (``app.align.sentence_evidence``), two last rows
give the shipped variant alone and with the stage, both stages held out the same way
(the stage reads the first stage's held-out probability).
It reads the gold sets from ../shared/eval-data (or $ALINEA_EVAL_DATA) and stops with a
message when they are absent.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_model as fm  # noqa: E402

from app.align.engine import best_path  # noqa: E402
from app.align.model import MODELS, AlignmentModel  # noqa: E402
from app.align.sentence_evidence import PARAGRAPH_LOGIT, stage_inputs  # noqa: E402
from app.evaluation import datasets  # noqa: E402

SETS = ("Text+Berg", "NTREX", "Genesis")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="semantic", help="paragraph model name")
    parser.add_argument("--ridge", type=float, action="append", help="default: 0.1 (as fitted)")
    args = parser.parse_args()
    try:
        sources = fm.dev_sources("paragraph")
    except datasets.EvalDataMissing as error:
        print(f"skipped: {error}", file=sys.stderr)
        return 0
    documents, _ = fm.paragraph_documents(sources, fm.CONFIDENCE_VARIANTS)
    sets = _set_of_each(sources, len(documents))
    model = AlignmentModel.from_json((MODELS / f"paragraph-{args.model}.json").read_text())
    sides = [fm._sides(d, model) for d in documents]
    spans = [best_path(src, tgt, model) for src, tgt in sides]
    kept = [k for k, (src, tgt) in enumerate(sides) if fm._refined_by(src, tgt, model)]
    first_stage = None
    shipped = (model.posterior_temperature, sorted(set(model.confidence) - {"bias"}))
    base = [n for n in fm.CONFIDENCE_FEATURES if n in model.weights or n not in fm.FEATURE_NAMES]
    edges = [n for n in fm.EDGE_CONFIDENCE_FEATURES if n in model.weights]
    print(f"paragraph-{args.model}: wrong beads among each set's 10% least confident, held out")
    print("| ridge | posterior | edges | " + " | ".join(SETS) + " | |")
    print("|---|---|---|" + "---:|" * len(SETS) + "---|")
    for temperature in (0.0, *fm.POSTERIOR_TEMPERATURES):
        candidate = replace(model, posterior_temperature=temperature)
        contexts, labels, origin = [], [], []
        for k in kept:
            c, y = fm._judged_contexts([documents[k]], [sides[k]], [spans[k]], candidate)
            contexts += c
            labels += y
            origin += [k] * len(c)
        y, origin = np.array(labels, dtype=float), np.array(origin)
        forms = fm.POSTERIOR_FORMS if temperature else ((),)
        for form in forms:
            for extra in ([], edges) if edges else ([],):
                names = base + extra + list(form)
                x = np.array([[1.0] + [c[n] for n in names] for c in contexts])
                for ridge in args.ridge or [0.1]:
                    held_out = fm.held_out_by_document(x, y, origin, ridge)
                    counts = _per_set(held_out, y, sets[origin])
                    mark = "shipped" if (temperature, sorted(names)) == shipped else ""
                    if mark and ridge == 0.1:
                        first_stage = (held_out, y, origin)
                    post = f"{temperature} {'+'.join(form)}" if form else "-"
                    row = " | ".join(f"{c} of {w} ({c / w:.0%})" for c, w in counts)
                    print(f"| {ridge} | {post} | {'yes' if extra else '-'} | {row} | {mark} |")
    if model.sentence_confidence and first_stage is not None:
        _sentence_stage(model, documents, sides, sets, first_stage)
    return 0


def _sentence_stage(model, documents, sides, sets, first_stage) -> None:
    """The shipped variant alone and with the sentence stage, both stages held out: the
    stage reads the first stage's held-out probability, and is itself fitted on the
    other fold of documents."""
    p0, y0, origin0 = first_stage
    x, y, origin = fm.stage_rows(model, documents, sides)
    assert np.array_equal(origin, origin0) and np.array_equal(y, y0)
    x[:, 1] = [stage_inputs(p, {})[PARAGRAPH_LOGIT] for p in p0]
    for label, p in (
        ("shipped variant alone", p0),
        ("with the sentence stage", fm.held_out_by_document(x, y, origin)),
    ):
        row = " | ".join(f"{c} of {w} ({c / w:.0%})" for c, w in _per_set(p, y, sets[origin]))
        print(f"| 0.1 | {label} | | {row} | |")


def _set_of_each(sources, count: int) -> np.ndarray:
    """Which dev set each document comes from, in ``paragraph_documents``' order."""
    textberg, ntrex, _ = sources
    n_textberg = len(textberg) * fm.CONFIDENCE_VARIANTS
    n_ntrex = len(ntrex) * fm.CONFIDENCE_VARIANTS
    return np.array(
        [SETS[0]] * n_textberg + [SETS[1]] * n_ntrex + [SETS[2]] * (count - n_textberg - n_ntrex)
    )


def _per_set(p, y, sets) -> list[tuple[int, int]]:
    return [(fm._catch(p[sets == s], y[sets == s]), int(np.sum(y[sets == s] == 0))) for s in SETS]


if __name__ == "__main__":
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="blas"):
        raise SystemExit(main())
