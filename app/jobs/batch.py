"""`alinea batch`: many document pairs, one job each, on the queue or on local processes.

The pairs come from a TSV file or from a folder whose files follow a naming rule. Every
pair becomes a job row; with a queue, workers run them; with ``--local N``, N processes
of this machine do, without Redis. Either way the same code runs each job
(``app.jobs.run.execute``), and the batch is followed in the database until every job
has finished, then summed up in a report.
"""

from __future__ import annotations

import csv
import re
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from statistics import fmean
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.errors import InvalidRequest, NotFound
from app.ingest import validate_language
from app.jobs import queue as job_queue
from app.jobs import run
from app.services import jobs as job_service
from app.store import db as store_db
from app.store.jobs import Job, JobState

# A pair looks like no translation of each other when the two-sided paragraph beads are
# this dissimilar on average, or when this share of all paragraphs found no counterpart.
# On the 123 NTREX en-es news pairs (docs/benchmarks.md, "Batch alignment") every true
# pair stays clear of both, and every pair of two different articles trips at least one.
SUSPECT_MEAN_SIMILARITY = 0.5
SUSPECT_ONE_SIDED_SHARE = 0.5

DEFAULT_PATTERN = "{name}.{lang}.txt"


@dataclass(frozen=True)
class PairSpec:
    source: Path
    target: Path
    src_lang: str | None = None
    tgt_lang: str | None = None
    title: str | None = None

    def parameters(self) -> dict[str, Any]:
        return job_service.align_parameters(
            {"path": str(self.source), "name": self.source.name},
            {"path": str(self.target), "name": self.target.name},
            self.src_lang,
            self.tgt_lang,
            self.title,
        )


def read_pairs_file(path: Path) -> list[PairSpec]:
    """Pairs from a TSV file: source path, target path, and optionally the source
    language, the target language and a title. Relative paths are read from the file's
    folder; blank lines, lines starting with # and a header row (first cell "source")
    are skipped."""
    if not path.is_file():
        raise NotFound(f"{path}: no such file")
    pairs = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            cells = [cell.strip() for cell in row]
            if not any(cells) or cells[0].startswith("#") or cells[0].lower() == "source":
                continue
            if len(cells) < 2 or not cells[1]:
                raise InvalidRequest(f"{path}, line {number}: give a source and a target path")
            langs = [_language(cell, path, number) for cell in (cells[2:4] + ["", ""])[:2]]
            pairs.append(
                PairSpec(
                    source=(path.parent / cells[0]).resolve(),
                    target=(path.parent / cells[1]).resolve(),
                    src_lang=langs[0],
                    tgt_lang=langs[1],
                    title=cells[4] if len(cells) > 4 and cells[4] else None,
                )
            )
    if not pairs:
        raise InvalidRequest(f"{path}: no pairs in the file")
    return pairs


def _language(cell: str, path: Path, number: int) -> str | None:
    if not cell:
        return None
    try:
        return validate_language(cell)
    except ValueError as error:
        raise InvalidRequest(f"{path}, line {number}: {error}") from None


def pairs_in_folder(
    folder: Path, src_lang: str, tgt_lang: str, pattern: str = DEFAULT_PATTERN
) -> list[PairSpec]:
    """Pairs from the files of ``folder`` named by ``pattern``.

    The pattern holds ``{name}`` and ``{lang}``: with the default ``{name}.{lang}.txt``,
    ``report-7.es.txt`` and ``report-7.en.txt`` make one pair with ``es,en``. A name found
    in one language only still makes a pair, which fails for its missing file.
    """
    if not folder.is_dir():
        raise NotFound(f"{folder}: no such folder")
    if "{name}" not in pattern or "{lang}" not in pattern:
        raise InvalidRequest(f"the pattern {pattern!r} must hold {{name}} and {{lang}}")
    regex = re.compile(
        re.escape(pattern)
        .replace(re.escape("{name}"), r"(?P<name>.+?)")
        .replace(re.escape("{lang}"), r"(?P<lang>[A-Za-z]{2,3})")
        + r"\Z"
    )
    names: set[str] = set()
    for path in folder.iterdir():
        match = regex.match(path.name)
        if match and path.is_file() and match["lang"].lower() in (src_lang, tgt_lang):
            names.add(match["name"])
    if not names:
        raise InvalidRequest(
            f"{folder}: no file is named like {pattern!r} in {src_lang} or {tgt_lang}"
        )
    return [
        PairSpec(
            folder / pattern.format(name=name, lang=src_lang),
            folder / pattern.format(name=name, lang=tgt_lang),
            src_lang,
            tgt_lang,
            name,
        )
        for name in sorted(names)
    ]


def new_batch_label() -> str:
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"


def submit(
    sessions: sessionmaker[Session],
    settings: Settings,
    pairs: list[PairSpec],
    local: bool,
    queue_name: str | None = None,
) -> tuple[str, list[int]]:
    """One job per pair, under a new batch label; queued unless ``local``."""
    redis = None if local else job_queue.check(settings.jobs)
    label = new_batch_label()
    queue = job_service.LOCAL_QUEUE if local else (queue_name or settings.jobs.queue)
    with store_db.transaction(sessions) as session:
        jobs = [
            job_service.create_job(
                session,
                job_service.ALIGN,
                pair.parameters(),
                queue=queue,
                # A local process that dies takes nothing else down with it to retry on.
                max_attempts=1 if local else settings.jobs.attempts,
                batch=label,
            )
            for pair in pairs
        ]
        ids = [job.id for job in jobs]
    if redis is not None:
        queue_settings = _with_queue(settings, queue)
        for job_id in ids:
            rq_id = job_queue.enqueue(queue_settings.jobs, job_id, redis)
            with store_db.transaction(sessions) as session:
                session.execute(update(Job).where(Job.id == job_id).values(rq_id=rq_id))
    return label, ids


def _with_queue(settings: Settings, queue: str) -> Settings:
    from dataclasses import replace

    return replace(settings, jobs=replace(settings.jobs, queue=queue))


def _start_process(settings: Settings) -> None:
    run.configure(settings)


def _run_local(settings: Settings, job_id: int) -> str:
    return run.execute(settings, job_id, run.local_worker_name())


class LocalPool:
    """N processes of this machine running a batch's jobs, each with its own engine."""

    def __init__(self, settings: Settings, processes: int) -> None:
        self.settings = settings
        # Spawned, not forked: nothing of this process (engine, threads) leaks into them.
        self._pool = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=get_context("spawn"),
            initializer=_start_process,
            initargs=(settings,),
        )
        self.futures: dict[int, Future] = {}

    def start(self, job_ids: list[int]) -> None:
        for job_id in job_ids:
            self.futures[job_id] = self._pool.submit(_run_local, self.settings, job_id)

    def settle_crashes(self, sessions: sessionmaker[Session]) -> None:
        """Fail the jobs whose process died before it could say how they ended."""
        for job_id, future in list(self.futures.items()):
            if not future.done():
                continue
            del self.futures[job_id]
            error = future.exception()
            if error is not None:
                message = f"the local process running this pair stopped: {error}"
                job_service.fail_unfinished(sessions, job_id, message)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def follow(
    sessions: sessionmaker[Session],
    settings: Settings,
    label: str,
    on_progress: Callable[[list[Job]], None],
    pool: LocalPool | None = None,
    interval: float = 0.5,
) -> list[Job]:
    """Watch the batch's jobs until every one has finished; returns them."""
    enqueue = None if pool is not None else job_queue.enqueuer(settings.jobs)
    while True:
        if pool is not None:
            pool.settle_crashes(sessions)
        job_service.reap(sessions, settings.jobs.stale_after, enqueue)
        with sessions() as session:
            jobs = job_service.batch_jobs(session, label)
        on_progress(jobs)
        if all(job.job_state.finished for job in jobs):
            return jobs
        time.sleep(interval)


def looks_untranslated(result: dict[str, Any]) -> str | None:
    """Why a finished pair looks like no translation, or None."""
    from app.services import UNRELATED_BELOW

    mean = result.get("mean_similarity")
    share = result.get("one_sided_share", 0.0)
    overall = result.get("overall_score")
    if mean is None:
        return "no paragraph found a counterpart"
    if overall is not None and overall < UNRELATED_BELOW:
        return f"overall score {overall:.2f} < {UNRELATED_BELOW}"
    if mean < SUSPECT_MEAN_SIMILARITY:
        return f"mean similarity {mean:.2f} < {SUSPECT_MEAN_SIMILARITY}"
    if share > SUSPECT_ONE_SIDED_SHARE:
        return f"{share:.0%} of the paragraphs are one-sided (> {SUSPECT_ONE_SIDED_SHARE:.0%})"
    return None


def report(jobs: list[Job], label: str, seconds: float) -> dict[str, Any]:
    """The batch's summary: done, failed (why), mean similarity, suspect pairs."""
    rows = [_row(job) for job in jobs]
    done = [row for row in rows if row["state"] == JobState.DONE.value]
    means = [row["mean_similarity"] for row in done if row["mean_similarity"] is not None]
    return {
        "batch": label,
        "pairs": len(rows),
        "done": len(done),
        "failed": len(rows) - len(done),
        "seconds": round(seconds, 1),
        "pairs_per_minute": round(len(done) / seconds * 60, 2) if seconds > 0 else None,
        "mean_similarity": round(fmean(means), 4) if means else None,
        "thresholds": {
            "mean_similarity_below": SUSPECT_MEAN_SIMILARITY,
            "one_sided_share_above": SUSPECT_ONE_SIDED_SHARE,
        },
        "failures": [
            {
                "job": row["job"],
                "source": row["source"],
                "target": row["target"],
                "error": row["error"],
            }
            for row in rows
            if row["state"] != JobState.DONE.value
        ],
        "suspect": [
            {
                "job": row["job"],
                "source": row["source"],
                "target": row["target"],
                "alignment": row["alignment"],
                "why": row["suspect"],
            }
            for row in done
            if row["suspect"]
        ],
        "results": rows,
    }


def _row(job: Job) -> dict[str, Any]:
    params, result = job.parameters or {}, job.result or {}
    done = job.state == JobState.DONE.value
    return {
        "job": job.id,
        "source": (params.get("source") or {}).get("path"),
        "target": (params.get("target") or {}).get("path"),
        "state": job.state,
        "alignment": job.alignment_id,
        "error": job.error,
        "attempts": job.attempts,
        "beads": result.get("beads"),
        "one_sided": result.get("one_sided"),
        "one_sided_share": result.get("one_sided_share"),
        "mean_similarity": result.get("mean_similarity"),
        "suspect": looks_untranslated(result) if done else None,
    }


def summary_lines(summary: dict[str, Any]) -> list[str]:
    mean = summary["mean_similarity"]
    lines = [
        f"batch {summary['batch']}: {summary['done']} of {summary['pairs']} pairs aligned, "
        f"{summary['failed']} failed, in {summary['seconds']} s"
        + (f" ({summary['pairs_per_minute']} pairs/min)" if summary["pairs_per_minute"] else ""),
        f"mean similarity: {mean:.3f}" if mean is not None else "mean similarity: -",
    ]
    for failure in summary["failures"]:
        lines.append(f"FAILED job {failure['job']}: {failure['error']}")
    for suspect in summary["suspect"]:
        lines.append(
            f"NOT A TRANSLATION? job {suspect['job']} (alignment {suspect['alignment']}): "
            f"{suspect['source']}: {suspect['why']}"
        )
    return lines
