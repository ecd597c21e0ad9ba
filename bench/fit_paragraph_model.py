"""Fit the paragraph aligner's combination weights on dev data, calibrate them, test them.

    python bench/fit_paragraph_model.py            # writes app/align/models/paragraph.json
    python bench/fit_paragraph_model.py --report   # only the test figures of the shipped file

There is no public gold set of paragraph alignments, so paragraph pairs are built from
sentence-level gold: a document's gold links are cut into paragraphs at places where
no link crosses (``paragraph_documents``); mostly both sides are cut at the same place
(a 1-1 paragraph bead), sometimes only one side (a 1-2 or 2-1 bead), and links without
a counterpart stay inside their paragraph, like an untranslated sentence. The cuts are
random but fixed by the document's name.

Dev: Text+Berg dev (de-fr) and the dev part of the perturbed NTREX en-es set (every
third document). Test: Text+Berg test and the NTREX test part, never used for fitting.

For each profile of scorers ("use", "e5", "none", each also "+mt" where Apertium has the
pair: see ``app.align.combine.profile``):
1. a logistic regression of "this candidate bead is a gold bead" on the scorers'
   values, over every two-sided candidate the search weighs near the gold path
   (within two paragraphs of it), on dev;
2. Platt scaling of the result on the beads the search then chooses on dev, so that the
   similarity of a chosen bead is the probability that it is right.
Both steps are linear in the logit, so the result is one set of ``Weights``. The
structure scorer (headings) has no evidence in these sets and keeps its hand-set term.
The report gives, on test, paragraph-level strict F1, the Brier score of the chosen
beads' similarities and a reliability table.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.align import combine  # noqa: E402
from app.align.aligner import choose_scorers  # noqa: E402
from app.align.choice import choose  # noqa: E402
from app.align.runs import Side  # noqa: E402
from app.align.search import SearchParams, bead_gain, matched_size, search  # noqa: E402
from app.evaluation import datasets, metric  # noqa: E402
from app.evaluation.links import Link  # noqa: E402
from app.segments import Segment  # noqa: E402

# Per place where no link crosses: the chance of a paragraph break on both sides, and on
# one side only (each).
BREAK_BOTH = 0.3
BREAK_ONE_SIDE = 0.04
NEAR = 2  # candidates within this many paragraphs of the gold path are fitted on
FITTED = ("semantic", "mt", "length", "chrf", "anchors")
RIDGE = 1.0
PROFILES = {
    "use": {"use_mt": False, "embedding": "use-multilingual-v3"},
    "e5": {"use_mt": False, "embedding": "multilingual-e5-small"},
    "none": {"use_mt": False, "embedding": None},
    "use+mt": {"use_mt": True, "embedding": "use-multilingual-v3"},
    "e5+mt": {"use_mt": True, "embedding": "multilingual-e5-small"},
    "none+mt": {"use_mt": True, "embedding": None},
}


class ParagraphDocument:
    def __init__(self, name, src, tgt, src_lang, tgt_lang, gold):
        self.name, self.src, self.tgt = name, src, tgt
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.gold = gold  # list of ((s0, s1), (t0, t1)) paragraph beads


def paragraph_documents(documents) -> list[ParagraphDocument]:
    return [paragraphs_from_gold(d) for d in documents]


def paragraphs_from_gold(document) -> ParagraphDocument:
    """Paragraphs cut from a sentence-aligned document where no gold link crosses."""
    rng = random.Random(zlib.crc32(("paragraphs " + document.name).encode()))
    links = list(document.gold)  # in the gold file's order
    n, m = len(document.src_lines), len(document.tgt_lines)
    # Sentence positions where a cut after link k would fall, when no link crosses it.
    cuts = []
    src_max = tgt_max = -1
    src_min_after = _suffix_min([link.src for link in links], n)
    tgt_min_after = _suffix_min([link.tgt for link in links], m)
    for k, link in enumerate(links[:-1]):
        src_max = max([src_max, *link.src])
        tgt_max = max([tgt_max, *link.tgt])
        if src_max < src_min_after[k + 1] and tgt_max < tgt_min_after[k + 1]:
            cuts.append((src_max + 1, tgt_max + 1))
    src_breaks, tgt_breaks, bead_breaks = [0], [0], [(0, 0)]
    one_sided_in_bead = False
    for s, t in cuts:
        roll = rng.random()
        if roll < BREAK_BOTH:
            src_breaks.append(s)
            tgt_breaks.append(t)
            bead_breaks.append((s, t))
            one_sided_in_bead = False
        elif roll < BREAK_BOTH + 2 * BREAK_ONE_SIDE and not one_sided_in_bead:
            (src_breaks if roll < BREAK_BOTH + BREAK_ONE_SIDE else tgt_breaks).append(
                s if roll < BREAK_BOTH + BREAK_ONE_SIDE else t
            )
            one_sided_in_bead = True
    src_breaks.append(n)
    tgt_breaks.append(m)
    bead_breaks.append((n, m))
    src_breaks = sorted(set(src_breaks))
    tgt_breaks = sorted(set(tgt_breaks))
    src = [" ".join(document.src_lines[a:b]) for a, b in itertools.pairwise(src_breaks)]
    tgt = [" ".join(document.tgt_lines[a:b]) for a, b in itertools.pairwise(tgt_breaks)]
    src_index = {pos: k for k, pos in enumerate(src_breaks)}
    tgt_index = {pos: k for k, pos in enumerate(tgt_breaks)}
    gold = []
    for (s0, t0), (s1, t1) in itertools.pairwise(bead_breaks):
        if s0 == s1 and t0 == t1:
            continue
        p0, p1 = src_index[s0], src_index[s1]
        q0, q1 = tgt_index[t0], tgt_index[t1]
        if p0 == p1 or q0 == q1:
            gold += [((k, k + 1), (q0, q0)) for k in range(p0, p1)]
            gold += [((p1, p1), (k, k + 1)) for k in range(q0, q1)]
        else:
            gold.append(((p0, p1), (q0, q1)))
    empty = [k for k, text in enumerate(src) if not text.strip()]
    if empty:
        raise ValueError(f"{document.name}: empty source paragraph {empty[0]}")
    return ParagraphDocument(document.name, src, tgt, document.src_lang, document.tgt_lang, gold)


def _first(indices) -> float:
    return indices[0] if indices else float("inf")


def _suffix_min(sides, length) -> list[int]:
    out = [length] * (len(sides) + 1)
    for k in range(len(sides) - 1, -1, -1):
        out[k] = min([out[k + 1], *sides[k]])
    return out


# Scoring candidates ---------------------------------------------------------------------


class Scored:
    """One document's scorers, prepared once, and a cache of candidate values."""

    def __init__(self, doc: ParagraphDocument, profile_name: str, params: SearchParams):
        setting = PROFILES[profile_name]
        chosen = choose(doc.src_lang, doc.tgt_lang, use_mt=setting["use_mt"])
        if setting["embedding"] != chosen.embedding:
            from dataclasses import replace

            chosen = replace(chosen, embedding=setting["embedding"])
        if setting["use_mt"] and not chosen.mt:
            raise RuntimeError(f"{profile_name}: Apertium has no {doc.src_lang}-{doc.tgt_lang}")
        self.scorers = choose_scorers(doc.src_lang, doc.tgt_lang, choice=chosen)
        self.src = Side(tuple(Segment(t) for t in doc.src), doc.src_lang)
        self.tgt = Side(tuple(Segment(t) for t in doc.tgt), doc.tgt_lang)
        max_run = max(max(a, b) for a, b in params.moves)
        for scorer in self.scorers:
            scorer.prepare(self.src, self.tgt, max_run)
        self.cache: dict = {}

    def values(self, s0, s1, t0, t1) -> dict[str, float | None]:
        key = (s0, s1, t0, t1)
        if key not in self.cache:
            self.cache[key] = {
                s.name: s.score(self.src, s0, s1, self.tgt, t0, t1) for s in self.scorers
            }
        return self.cache[key]


def row(values, names) -> list[float]:
    """Features for the logistic fit: each value (0 when absent) and, for scorers that
    can be absent, whether it is present (their centre comes from its weight)."""
    out = [1.0]
    for name in names:
        value = values.get(name)
        out.append(0.0 if value is None else value)
        if name in ("anchors",):
            out.append(0.0 if value is None else 1.0)
    return out


def to_weights(w: np.ndarray, names, profile_name: str) -> combine.Weights:
    terms, k, bias = {}, 1, float(w[0])
    for name in names:
        weight = float(w[k])
        k += 1
        centre = 0.0
        if name in ("anchors",):
            presence = float(w[k])
            k += 1
            centre = -presence / weight if abs(weight) > 1e-6 else 0.0
        terms[name] = (round(weight, 4), round(centre, 4))
    terms["structure"] = combine.WITH_SEMANTIC.terms["structure"]
    return combine.Weights(round(bias, 4), terms, name=f"fitted:{profile_name}")


def candidates(doc: ParagraphDocument, params: SearchParams):
    """Two-sided candidate beads within ``NEAR`` paragraphs of the gold path."""
    near_rows: dict[int, set[int]] = {}
    for (s0, s1), (t0, t1) in doc.gold:
        for i in range(s0, s1 + 1):
            for j in range(t0 - NEAR, t1 + NEAR + 1):
                near_rows.setdefault(i, set()).add(j)
        for i in range(max(0, s0 - NEAR), s1 + NEAR + 1):
            near_rows.setdefault(i, set()).update({t0, t1})
    n, m = len(doc.src), len(doc.tgt)
    gold = {(s, t) for s, t in doc.gold}
    for i, columns in near_rows.items():
        for j in columns:
            for a, b in params.moves:
                if a and b and a <= i <= n and b <= j <= m:
                    yield (i - a, i, j - b, j), ((i - a, i), (j - b, j)) in gold


def logistic(x: np.ndarray, y: np.ndarray, ridge: float) -> np.ndarray:
    w = np.zeros(x.shape[1])
    penalty = ridge * np.eye(x.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty @ w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + penalty + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def run_search(scored: Scored, weights: combine.Weights, params: SearchParams):
    src, tgt = scored.src, scored.tgt
    src_total, tgt_total = src.run_chars(0, len(src)), tgt.run_chars(0, len(tgt))
    ratio = tgt_total / src_total if src_total and tgt_total else 1.0
    unit = (src_total + tgt_total) / max(1, len(src) + len(tgt))

    def gain(s0, s1, t0, t1):
        similarity = combine.combine(scored.values(s0, s1, t0, t1), weights)
        size = matched_size(src.run_chars(s0, s1), tgt.run_chars(t0, t1), ratio, unit)
        return bead_gain(similarity, size, s1 - s0, t1 - t0, params)

    return search(len(src), len(tgt), gain, params).spans


def chosen_beads(scored_docs, docs, weights, params):
    """(similarity, right) of every two-sided bead the search chooses, and link counts."""
    judged, counts = [], metric.Counts()
    for scored, doc in zip(scored_docs, docs, strict=True):
        spans = run_search(scored, weights, params)
        gold = set(doc.gold)
        for (s0, s1), (t0, t1) in spans:
            if s0 != s1 and t0 != t1:
                similarity = combine.combine(scored.values(s0, s1, t0, t1), weights)
                judged.append((similarity, ((s0, s1), (t0, t1)) in gold))
        counts = counts + metric.score_document(_links(spans), _links(doc.gold))
    return judged, counts.scores()


def _links(spans):
    return [Link(tuple(range(*s)), tuple(range(*t))) for s, t in spans]


def fit_profile(profile_name: str, docs, params: SearchParams) -> combine.Weights:
    scored_docs = [Scored(d, profile_name, params) for d in docs]
    names = [n for n in FITTED if any(s.name == n for s in scored_docs[0].scorers)]
    rows, labels = [], []
    for scored, doc in zip(scored_docs, docs, strict=True):
        for (s0, s1, t0, t1), right in candidates(doc, params):
            rows.append(row(scored.values(s0, s1, t0, t1), names))
            labels.append(float(right))
    x, y = np.array(rows), np.array(labels)
    raw = to_weights(logistic(x, y, RIDGE), names, profile_name)
    # Platt scaling on the chosen beads: p = sigmoid(a * z + b), z the raw logit.
    judged, raw_scores = chosen_beads(scored_docs, docs, raw, params)
    _, hand_scores = chosen_beads(scored_docs, docs, _hand_set(profile_name), params)
    print(
        f"  {profile_name}: dev paragraph strict F1 {raw_scores.strict_f1:.3f} before "
        f"calibration, {hand_scores.strict_f1:.3f} with the hand-set weights",
        flush=True,
    )
    # The search then chooses with calibrated similarities, which moves its choices a
    # little: a second round calibrates on those.
    calibrated, a, b = raw, 1.0, 0.0
    for _ in range(2):
        z = np.array([_logit(p) for p, _ in judged])
        labels = np.array([r for _, r in judged], dtype=float)
        platt = logistic(np.column_stack([np.ones_like(z), z]), labels, 0.1)
        b, a = float(platt[0]), float(platt[1])
        if a <= 0.1:
            # The chosen beads' similarity does not rank them (too few wrong ones, or a
            # raw model that lets the search choose badly): shift it only, keeping the
            # slope, rather than flatten it.
            a, b = 1.0, _intercept(z, labels)
        terms = {
            k: ((round(a * w, 4), c) if k != "structure" else (w, c))
            for k, (w, c) in calibrated.terms.items()
        }
        bias = round(a * calibrated.bias + b, 4)
        calibrated = combine.Weights(bias, terms, name=f"fitted:{profile_name}")
        judged, scores = chosen_beads(scored_docs, docs, calibrated, params)
    print(
        f"  {profile_name}: {int(y.sum())} gold of {len(y)} candidates; Platt a={a:.3f} "
        f"b={b:.3f}; dev paragraph strict F1 {scores.strict_f1:.3f}, "
        f"Brier {brier(judged):.4f}",
        flush=True,
    )
    return calibrated


def _intercept(z: np.ndarray, y: np.ndarray) -> float:
    """The shift b that makes sigmoid(z + b) match the observed share of right beads."""
    b = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z + b, -30, 30)))
        b -= float(np.sum(p - y) / max(np.sum(p * (1 - p)), 1e-9))
    return b


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return float(np.log(p / (1 - p)))


def brier(judged) -> float:
    return float(np.mean([(p - float(r)) ** 2 for p, r in judged])) if judged else 0.0


def reliability(judged, bins: int = 5) -> list[dict]:
    table = []
    for k in range(bins):
        low, high = k / bins, (k + 1) / bins
        members = [(p, r) for p, r in judged if low <= p < high or (k == bins - 1 and p == 1.0)]
        if members:
            table.append(
                {
                    "range": f"{low:.1f}-{high:.1f}",
                    "beads": len(members),
                    "predicted": round(float(np.mean([p for p, _ in members])), 3),
                    "observed": round(float(np.mean([r for _, r in members])), 3),
                }
            )
    return table


def dev_sets(profile_name: str):
    textberg = paragraph_documents(datasets.text_berg("dev"))
    ntrex = paragraph_documents(datasets.ntrex_documents(split="dev", perturbed=True))
    return ntrex if profile_name.endswith("+mt") else textberg + ntrex


def test_sets(profile_name: str):
    sets = {
        "ntrex test": paragraph_documents(datasets.ntrex_documents(split="test", perturbed=True))
    }
    if not profile_name.endswith("+mt"):
        sets = {"textberg test": paragraph_documents(datasets.text_berg("test")), **sets}
    return sets


def report(profile_name: str, weights: combine.Weights, params: SearchParams) -> dict:
    out = {}
    for set_name, docs in test_sets(profile_name).items():
        scored_docs = [Scored(d, profile_name, params) for d in docs]
        for label, w in (("fitted", weights), ("hand-set", _hand_set(profile_name))):
            judged, scores = chosen_beads(scored_docs, docs, w, params)
            out[f"{set_name}, {label}"] = {
                "paragraphs": [sum(len(d.src) for d in docs), sum(len(d.tgt) for d in docs)],
                "strict_f1": round(scores.strict_f1, 4),
                "beads": len(judged),
                "wrong": sum(1 for _, r in judged if not r),
                "brier": round(brier(judged), 4),
                "reliability": reliability(judged),
            }
            print(
                f"  {profile_name}, {set_name}, {label}: {json.dumps(out[f'{set_name}, {label}'])}",
                flush=True,
            )
    return out


def _hand_set(profile_name: str) -> combine.Weights:
    return combine.WITHOUT_SEMANTIC if profile_name.startswith("none") else combine.WITH_SEMANTIC


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default=",".join(PROFILES))
    parser.add_argument("--report", action="store_true", help="Only report the shipped weights.")
    args = parser.parse_args()
    params = SearchParams()
    try:
        datasets.data_root()
    except datasets.EvalDataMissing as error:
        print(f"skipped: {error}", file=sys.stderr)
        return 0
    path = combine.PARAGRAPH_MODELS
    shipped = json.loads(path.read_text()) if path.is_file() else {"profiles": {}, "test": {}}
    for name in args.profiles.split(","):
        if name.endswith("+mt") and not choose("en", "es").mt:
            print(f"{name}: skipped, Apertium with eng-spa is not installed", file=sys.stderr)
            continue
        if args.report:
            weights = combine.Weights.from_dict(shipped["profiles"][name])
        else:
            weights = fit_profile(name, dev_sets(name), params)
            shipped["profiles"][name] = weights.as_dict()
        shipped["test"][name] = report(name, weights, params)
    shipped["about"] = (
        "Paragraph combination weights by profile of scorers, fitted and Platt-calibrated "
        "on Text+Berg dev and NTREX dev (perturbed) paragraphs by bench/fit_paragraph_model.py; "
        "'test' holds the figures on the test parts, which were not used for fitting."
    )
    if not args.report:
        path.write_text(json.dumps(shipped, indent=2, sort_keys=True) + "\n")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
