"""Comparison benchmarks: building one, and serving its page.

Run from the repository root:

    .venv/bin/python bench/compare_bench.py build [--rounds 3]
    .venv/bin/python bench/compare_bench.py page [--paragraphs 2000] [--rounds 30]

``build`` times the corpus article (corpora/dw-2025-02-17-mexico-border) with three
versions: the published English translation, the literal one, and Apertium's translation
of the original (or, without Apertium, the literal one with every "the" dropped). Each
pairwise alignment is timed alone, as ``alinea align`` runs it (a fresh database, so no
cached embedding, both levels, stored); then the comparison of all three is built on a
fresh database as ``alinea compare`` builds it (both levels per version, QA, stored).
Models are loaded before any timing. It prints both times and their ratio.

``page`` stores a synthetic original of ``--paragraphs`` paragraphs and three English
versions of it (word edits at random, some paragraphs merged, split or left out, all
fixed by a seed), with paragraph alignments written directly, and times comparison pages
through the Flask test client: server time (routing, queries, pivot, differences,
template) without a network or a browser. It prints a Markdown table of median and 95th
percentile times.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.align.result import AlignmentResult  # noqa: E402
from app.config import Settings  # noqa: E402
from app.ingest import DEFAULT_LANGUAGES, LoadedDocument, load_document  # noqa: E402
from app.segments import BeadSpan, Segment  # noqa: E402
from app.services import add_document, comparisons, pairs, store_alignment  # noqa: E402
from app.services.qa import run_qa  # noqa: E402
from app.store import db as store_db  # noqa: E402
from app.store.comparisons import Comparison, ComparisonVersion  # noqa: E402
from app.web import create_app  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "dw-2025-02-17-mexico-border"
PAGE_BUDGET_MS = 300


def fresh_sessions(folder: Path, name: str):
    url = f"sqlite:///{folder / name}"
    store_db.upgrade(url)
    engine = store_db.make_engine(url)
    return engine, store_db.make_session_factory(engine)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (Apertium)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def third_version(original: LoadedDocument, literal: LoadedDocument) -> LoadedDocument:
    machine = comparisons.machine_version(original, "en")
    if machine is not None:
        return machine
    text = literal.text.replace(" the ", " ")
    return LoadedDocument(
        "literal without 'the'",
        "en",
        text,
        [Segment(s.text.replace(" the ", " "), s.kind) for s in literal.segments],
        hashlib.sha256(text.encode()).hexdigest(),
        "bench",
    )


def build(rounds: int) -> None:
    original = load_document(CORPUS / "es.txt", lang="es")
    published = load_document(CORPUS / "en.txt", lang="en")
    literal = load_document(CORPUS / "en-literal.txt", lang="en")
    versions = [published, literal, third_version(original, literal)]
    with tempfile.TemporaryDirectory() as folder:
        # Load every model (and the QA checks' data) once, outside the timings.
        engine, sessions = fresh_sessions(Path(folder), "warm.db")
        with store_db.transaction(sessions) as session:
            run_qa(session, pairs.store(session, pairs.compute(sessions, original, published)))
        engine.dispose()
        sums, builds, cpu_sums, cpu_builds = [], [], [], []
        for round_number in range(rounds):
            pairwise = pairwise_cpu = 0.0
            for k, version in enumerate(versions):
                engine, sessions = fresh_sessions(Path(folder), f"pair-{round_number}-{k}.db")
                start, start_cpu = time.perf_counter(), cpu_seconds()
                pair = pairs.compute(sessions, original, version)
                with store_db.transaction(sessions) as session:
                    pairs.store(session, pair)
                pairwise += time.perf_counter() - start
                pairwise_cpu += cpu_seconds() - start_cpu
                engine.dispose()
            engine, sessions = fresh_sessions(Path(folder), f"compare-{round_number}.db")
            start, start_cpu = time.perf_counter(), cpu_seconds()
            computed = comparisons.compute_all(
                sessions, original, [comparisons.VersionInput(v) for v in versions]
            )
            with store_db.transaction(sessions) as session:
                comparisons.store_all(session, original, computed)
            builds.append(time.perf_counter() - start)
            cpu_builds.append(cpu_seconds() - start_cpu)
            sums.append(pairwise)
            cpu_sums.append(pairwise_cpu)
            engine.dispose()
            print(
                f"round {round_number + 1}: pairwise sum {pairwise:.2f} s "
                f"(CPU {pairwise_cpu:.2f} s), comparison {builds[-1]:.2f} s "
                f"(CPU {cpu_builds[-1]:.2f} s), ratio {builds[-1] / pairwise:.2f} "
                f"(CPU {cpu_builds[-1] / pairwise_cpu:.2f})",
                flush=True,
            )
    ratio = statistics.median(builds) / statistics.median(sums)
    cpu_ratio = statistics.median(cpu_builds) / statistics.median(cpu_sums)
    print(
        f"median CPU: pairwise sum {statistics.median(cpu_sums):.2f} s, comparison "
        f"{statistics.median(cpu_builds):.2f} s, ratio {cpu_ratio:.2f}"
    )
    print(f"\nversions: {', '.join(v.title[:40] for v in versions)}")
    print(
        f"median pairwise sum {statistics.median(sums):.2f} s, median comparison "
        f"{statistics.median(builds):.2f} s, ratio {ratio:.2f} (target < 1.5)"
    )
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average {load}; {os.cpu_count()} cores; Python {platform.python_version()}")


def synthetic(paragraphs: int, seed: int = 11):
    """An original and three versions, each version with its beads on the original."""
    rng = random.Random(seed)
    source = [p for p in (CORPUS / "es.txt").read_text().split("\n\n") if p.strip()]
    target = [p for p in (CORPUS / "en-literal.txt").read_text().split("\n\n") if p.strip()]
    vocabulary = sorted({w for p in target for w in p.split()})
    original = [f"{source[k % len(source)]} ({k})" for k in range(paragraphs)]
    versions = []
    for v in range(3):
        texts, beads, s, t = [], [], 0, 0
        while s < paragraphs:
            words = f"{target[s % len(target)]} ({s})".split()
            for _ in range(rng.randint(0, 3 + v)):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            shape = rng.random()
            if shape < 0.04 and s + 2 <= paragraphs:  # two original paragraphs merged
                texts.append(" ".join(words))
                beads.append(BeadSpan(s, s + 2, t, t + 1, 0.7))
                s, t = s + 2, t + 1
            elif shape < 0.08:  # one paragraph split in two
                half = len(words) // 2
                texts += [" ".join(words[:half]), " ".join(words[half:])]
                beads.append(BeadSpan(s, s + 1, t, t + 2, 0.8))
                s, t = s + 1, t + 2
            elif shape < 0.10:  # left out
                beads.append(BeadSpan(s, s + 1, t, t, None))
                s += 1
            else:
                texts.append(" ".join(words))
                beads.append(BeadSpan(s, s + 1, t, t + 1, round(rng.uniform(0.4, 1.0), 3)))
                s, t = s + 1, t + 1
        versions.append((texts, beads))
    return original, versions


def percentile95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def loaded(texts: list[str], language: str, title: str) -> LoadedDocument:
    text = "\n\n".join(texts)
    return LoadedDocument(
        title,
        language,
        text,
        [Segment(t) for t in texts],
        hashlib.sha256(text.encode()).hexdigest(),
        "bench",
    )


def page(paragraphs: int, rounds: int) -> None:
    original_texts, versions = synthetic(paragraphs)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'page.db'}"
        store_db.upgrade(url)
        app = create_app(Settings(url, Path(folder) / "instance", DEFAULT_LANGUAGES), TESTING=True)
        sessions = app.extensions["alinea.sessions"]
        with store_db.transaction(sessions) as session:
            original = add_document(session, loaded(original_texts, "es", "original"))
            comparison = Comparison(title="bench", original_id=original.id)
            session.add(comparison)
            session.flush()
            for k, (texts, beads) in enumerate(versions):
                document = add_document(session, loaded(texts, "en", f"version {k + 1}"))
                alignment = store_alignment(
                    session, original, document, AlignmentResult(beads, "bench/1", {})
                )
                session.add(
                    ComparisonVersion(
                        comparison_id=comparison.id,
                        position=k,
                        document_id=document.id,
                        alignment_id=alignment.id,
                        label=f"version {k + 1}",
                        kind="given",
                    )
                )
            comparison_id = comparison.id
        client = app.test_client()
        base = f"/comparisons/{comparison_id}"
        rows = None
        with sessions() as session:
            rows = len(comparisons.pivot(session, comparisons.get(session, comparison_id)).rows)
        cases = [
            ("first page, document order", f"{base}"),
            ("page 20, document order", f"{base}?page=20"),
            ("most divergent first", f"{base}?sort=divergence"),
            ("least similar first, page 5", f"{base}?sort=similarity&page=5"),
            (
                "divergence ≥ 0.3, versions 1 and 3",
                f"{base}?min_divergence=0.3&pair=1-3&sort=divergence",
            ),
            ("QA flags only", f"{base}?flagged=1"),
        ]
        print(
            f"{paragraphs} original paragraphs, 3 versions, {rows} pivot rows, 50 rows a page; "
            f"{rounds} requests each after one warm-up\n"
        )
        print("| page | median | p95 | CPU median | CPU p95 |\n|---|---:|---:|---:|---:|")
        worst = 0.0
        for label, address in cases:
            assert client.get(address).status_code == 200
            times, cpu = [], []
            for _ in range(rounds):
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(address)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
                assert response.status_code == 200
            worst = max(worst, percentile95(times))
            print(
                f"| {label} | {statistics.median(times):.0f} ms | {percentile95(times):.0f} ms "
                f"| {statistics.median(cpu):.0f} ms | {percentile95(cpu):.0f} ms |"
            )
        verdict = "met" if worst <= PAGE_BUDGET_MS else "NOT met"
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\nworst p95 {worst:.0f} ms: the {PAGE_BUDGET_MS} ms target is {verdict}")
        print(f"load average {load}; {os.cpu_count()} cores; Python {platform.python_version()}")
        app.extensions["alinea.engine"].dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["build", "page"])
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--paragraphs", type=int, default=2000)
    args = parser.parse_args()
    if args.what == "build":
        build(args.rounds or 3)
    else:
        page(args.paragraphs, args.rounds or 30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
