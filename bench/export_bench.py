"""Export benchmark: N pairs stored in SQLite, exported as TMX through the export use case.

Usage: .venv/bin/python bench/export_bench.py [--pairs 1000000] [--format tmx]

Builds a throw-away SQLite database with one alignment of N one-paragraph beads (not
timed), then times ``iter_export_pairs`` + the exporter writing to a file, and prints the
figures quoted in docs/benchmarks.md ("Export"), with the peak memory of the process.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from app.formats import ExportMeta, get_exporter
from app.review.keys import GAP
from app.services.exchange import export_selection, iter_export_pairs
from app.store import db as store_db
from app.store import models

SOURCE = "La presidenta presentó los primeros resultados: {k} detenidos y 82 armas incautadas."
TARGET = "The president presented the first results: {k} arrests and 82 weapons seized."


def build(url: str, pairs: int) -> int:
    """Create the schema and one alignment of ``pairs`` beads; returns its id."""
    store_db.upgrade(url)
    engine = store_db.make_engine(url)
    with engine.begin() as connection:
        ids = []
        for language, text in (("es", SOURCE), ("en", TARGET)):
            result = connection.execute(
                insert(models.Document).values(
                    title=f"bench {language}",
                    language=language,
                    origin="bench",
                    text="",
                    checksum=hashlib.sha256(language.encode()).hexdigest(),
                    created_at=datetime.now(UTC),
                )
            )
            document_id = result.inserted_primary_key[0]
            ids.append(document_id)
            for start in range(0, pairs, 50_000):
                connection.execute(
                    insert(models.Segment),
                    [
                        {"document_id": document_id, "level": "paragraph", "position": k,
                         "kind": "paragraph", "text": text.format(k=k)}
                        for k in range(start, min(start + 50_000, pairs))
                    ],
                )  # fmt: skip
        alignment_id = connection.execute(
            insert(models.Alignment).values(
                source_id=ids[0], target_id=ids[1], level="paragraph", method="bench",
                parameters={}, version=1, created_at=datetime.now(UTC),
            )
        ).inserted_primary_key[0]  # fmt: skip
        now = datetime.now(UTC)
        for start in range(0, pairs, 50_000):
            connection.execute(
                insert(models.Bead),
                [
                    {"alignment_id": alignment_id, "sort_key": k * GAP, "src_start": k,
                     "src_end": k + 1, "tgt_start": k, "tgt_end": k + 1, "similarity": 0.8,
                     "scores": {"chrf": 0.5}, "status": "confirmed", "flags": [],
                     "version": 1, "updated_at": now}
                    for k in range(start, min(start + 50_000, pairs))
                ],
            )  # fmt: skip
    engine.dispose()
    return alignment_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--format", default="tmx")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="alinea-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        started = time.perf_counter()
        alignment_id = build(url, args.pairs)
        print(f"built {args.pairs} beads in {time.perf_counter() - started:.1f} s (not timed)")
        engine = store_db.make_engine(url)
        sessions = store_db.make_session_factory(engine)
        meta = ExportMeta("es", "en", datetime.now(UTC), "bench")
        output = Path(folder) / f"bench.{args.format}"
        started = time.perf_counter()
        with sessions() as session, output.open("w", encoding="utf-8", newline="") as handle:
            alignment = session.get(models.Alignment, alignment_id)
            pairs = iter_export_pairs(session, alignment, export_selection())
            get_exporter(args.format).write(pairs, meta, handle)
        elapsed = time.perf_counter() - started
        engine.dispose()
        size = output.stat().st_size / 1024 / 1024
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"exported {args.pairs} pairs as {args.format} in {elapsed:.1f} s "
            f"({args.pairs / elapsed:,.0f} pairs/s, {size:.0f} MB); peak RSS {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
