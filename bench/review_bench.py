"""Review workbench benchmark: page and operation server times on a 10,000-bead alignment.

Run from the repository root:

    .venv/bin/python bench/review_bench.py [--beads 10000] [--rounds 30] [--database-url URL]

It builds a throw-away database (a SQLite file unless --database-url names an empty
PostgreSQL database), stores two synthetic documents of ``--beads`` paragraphs aligned one to
one, and times requests through the Flask test client, so the figures are the server's time
(routing, queries, templates, transaction) without a network or a browser. It prints a
Markdown table of median and 95th percentile times, as docs/benchmarks.md quotes.
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy import text as sql_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import Settings  # noqa: E402
from app.ingest import DEFAULT_LANGUAGES  # noqa: E402
from app.review.keys import GAP  # noqa: E402
from app.store import db as store_db  # noqa: E402
from app.store import models  # noqa: E402
from app.web import create_app  # noqa: E402

PAGE_BUDGET_MS = 300
OPERATION_BUDGET_MS = 50


def build_alignment(sessions, beads: int) -> int:
    """Insert two documents of ``beads`` paragraphs and a one-to-one alignment; return its id."""
    with store_db.transaction(sessions) as session:
        ids = []
        for language in ("es", "en"):
            texts = [
                f"{language} paragraph {k}: " + "palabra " * (20 + k % 40) for k in range(beads)
            ]
            document = models.Document(
                title=f"Benchmark {language}",
                language=language,
                origin="bench",
                text="\n\n".join(texts),
                checksum=hashlib.sha256(language.encode()).hexdigest(),
            )
            session.add(document)
            session.flush()
            session.execute(
                insert(models.Segment),
                [
                    {
                        "document_id": document.id,
                        "level": "paragraph",
                        "position": k,
                        "kind": "paragraph",
                        "text": text,
                    }
                    for k, text in enumerate(texts)
                ],
            )
            ids.append(document.id)
        alignment = models.Alignment(
            source_id=ids[0], target_id=ids[1], method="bench/1", parameters={"scorers": []}
        )
        session.add(alignment)
        session.flush()
        session.execute(
            insert(models.Bead),
            [
                {
                    "alignment_id": alignment.id,
                    "sort_key": k * GAP,
                    "src_start": k,
                    "src_end": k + 1,
                    "tgt_start": k,
                    "tgt_end": k + 1,
                    "similarity": round(0.3 + (k * 7 % 70) / 100, 2),
                    "scores": {"length": 0.9},
                    "status": "automatic",
                    "flags": [],
                    "version": 1,
                }
                for k in range(beads)
            ],
        )
        return alignment.id


def timed(action: Callable[[], object], rounds: int) -> list[float]:
    """Milliseconds per call of ``action``, after one warm-up call."""
    action()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--beads", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        store_db.upgrade(url)
        settings = Settings(
            database_url=url, instance_path=Path(tmp) / "instance", languages=DEFAULT_LANGUAGES
        )
        app = create_app(settings, WTF_CSRF_ENABLED=False)
        sessions = app.extensions["alinea.sessions"]
        started = time.perf_counter()
        alignment_id = build_alignment(sessions, args.beads)
        engine = app.extensions["alinea.engine"]
        if engine.dialect.name == "postgresql":
            # Planner statistics, which autovacuum gathers within a minute of an import; a
            # reviewer opens the page later than that. Without them PostgreSQL scans the
            # segments instead of reading the trigram index.
            with engine.connect() as connection:
                connection.execute(sql_text("ANALYZE"))
                connection.commit()
        print(f"built {args.beads} beads in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        rows = run(app, sessions, alignment_id, args.beads, args.rounds)
        app.extensions["alinea.engine"].dispose()

    backend = url.split(":", 1)[0].split("+", 1)[0]
    print(
        f"\n{args.beads} beads, {backend}, {args.rounds} rounds each; "
        f"Python {platform.python_version()}, {platform.machine()}\n"
    )
    print("| request | median ms | p95 ms | budget ms |")
    print("|---|---:|---:|---:|")
    failed = False
    for name, times, budget in rows:
        over = p95(times) > budget
        failed |= over
        mark = " ✗" if over else ""
        print(f"| {name} | {statistics.median(times):.1f} | {p95(times):.1f} | {budget}{mark} |")
    return 1 if failed else 0


def run(app, sessions, alignment_id: int, beads: int, rounds: int):
    client = app.test_client()
    base = f"/alignments/{alignment_id}"
    middle = beads // 2
    pages = [
        ("page 1 (200 beads)", f"{base}"),
        ("middle page", f"{base}?page={beads // 400 + 1}"),
        ("lowest similarity first", f"{base}?sort=similarity"),
        ("filter similarity < 0.5", f"{base}?max_similarity=0.5&page=3"),
        ("text search", f"{base}?q=paragraph+{middle}:"),
        ("text search matching every pair", f"{base}?q=palabra&page=3"),
        ("jump to a pair (redirect)", f"{base}?at={middle + 123}"),
        ("alignment map (downsampled SVG)", f"{base}/map"),
    ]
    rows = []
    for name, path in pages:

        def get(path=path):
            response = client.get(path)
            assert response.status_code in (200, 302), (path, response.status_code)

        rows.append((f"GET {name}", timed(get, rounds), PAGE_BUDGET_MS))

    def version() -> int:
        with sessions() as session:
            return session.scalar(
                select(models.Alignment.version).where(models.Alignment.id == alignment_id)
            )

    def post(path: str, data: dict) -> None:
        data = dict(data, version=version_box[0])
        response = client.post(path, data=data, headers={"Accept": "application/json"})
        assert response.status_code == 200, response.get_data(as_text=True)
        version_box[0] = response.json["version"]

    version_box = [version()]
    operations = [
        ("confirm", {"op": "status", "status": "confirmed"}),
        ("note", {"op": "note", "note": "checked"}),
        ("merge with next", {"op": "merge_next"}),
        ("split", {"op": "split"}),
        ("shift boundary", {"op": "shift_down target"}),
        ("one-sided", {"op": "detach target last"}),
    ]
    for name, data in operations:
        times, undo_times = [], []
        for round_ in range(rounds):
            position = middle + round_ * 3
            start = time.perf_counter()
            post(f"{base}/operations", dict(data, position=position))
            times.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            post(f"{base}/undo", {})
            undo_times.append((time.perf_counter() - start) * 1000)
        rows.append((f"POST {name}", times, OPERATION_BUDGET_MS))
        rows.append((f"POST undo ({name})", undo_times, OPERATION_BUDGET_MS))

    # Text edits (a role that may edit text): split a segment in two, then join it back.
    app.config["ALINEA_SETTINGS"] = replace(app.config["ALINEA_SETTINGS"], local_role="editor")
    split_times, join_times = [], []
    for round_ in range(rounds):
        segment = middle + round_ * 3
        start = time.perf_counter()
        post(f"{base}/segments/target/{segment}/split", {"offset": 10})
        split_times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        post(f"{base}/segments/target/{segment}/join", {})
        join_times.append((time.perf_counter() - start) * 1000)
    rows.append(("POST split a segment's text", split_times, OPERATION_BUDGET_MS))
    rows.append(("POST join two segments", join_times, OPERATION_BUDGET_MS))
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
