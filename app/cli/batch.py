"""``alinea batch``: many document pairs aligned as background jobs, followed to the end."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.cli.common import Context, user_errors
from app.errors import InvalidRequest


@click.command("batch")
@click.argument("pairs_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Align the pairs of files in this folder, named by --pattern.",
)
@click.option(
    "--pattern",
    default="{name}.{lang}.txt",
    show_default=True,
    help="With --dir: how the files are named; {name} pairs them, {lang} tells the side.",
)
@click.option("--langs", help="With --dir: the source and target languages, e.g. es,en.")
@click.option(
    "--local",
    "processes",
    type=click.IntRange(1, 64),
    help="Run on N processes of this machine, without Redis.",
)
@click.option("--queue", "queue_name", help="The queue to use (default: $ALINEA_QUEUE).")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the summary as JSON to this file.",
)
@click.pass_obj
@user_errors
def batch_command(
    obj: Context,
    pairs_file: Path | None,
    folder: Path | None,
    pattern: str,
    langs: str | None,
    processes: int | None,
    queue_name: str | None,
    report_path: Path | None,
) -> None:
    """Import and align many document pairs, one background job per pair.

    PAIRS_FILE is a TSV file: source path, target path, and optionally source language,
    target language and title. Or, with --dir and --langs, every pair of files named
    NAME.SRC.txt and NAME.TGT.txt in a folder (see --pattern). The jobs go to the queue
    for `alinea worker`s, or with --local N run here. The batch is followed until every
    pair is done; a summary follows: pairs done, failed and why, mean similarity, and the
    pairs that look like no translation of each other.
    """
    import json
    import time

    from app.jobs import batch
    from app.services.files import write_atomically

    if (pairs_file is None) == (folder is None):
        raise InvalidRequest("give a PAIRS_FILE or --dir FOLDER, not both or neither")
    if folder is not None:
        codes = [code.strip() for code in (langs or "").split(",") if code.strip()]
        if len(codes) != 2:
            raise InvalidRequest("--dir needs --langs SRC,TGT, e.g. --langs es,en")
        from app.ingest import validate_language

        src, tgt = (validate_language(code) for code in codes)
        specs = batch.pairs_in_folder(folder, src, tgt, pattern)
    else:
        specs = batch.read_pairs_file(pairs_file)
    sessions = obj.sessions()
    started = time.monotonic()
    label, ids = batch.submit(sessions, obj.settings, specs, processes is not None, queue_name)
    where = f"{processes} local processes" if processes else "the queue"
    click.echo(f"batch {label}: {len(ids)} pairs, jobs {ids[0]}-{ids[-1]}, on {where}", err=True)
    pool = batch.LocalPool(obj.settings, processes) if processes else None
    try:
        if pool is not None:
            pool.start(ids)
        with BatchBar(len(ids)) as show:
            jobs = batch.follow(sessions, obj.settings, label, show, pool)
    finally:
        if pool is not None:
            pool.close()
    summary = batch.report(jobs, label, time.monotonic() - started)
    if report_path is not None:
        text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
        write_atomically(report_path, lambda handle: handle.write(text))
    for line in batch.summary_lines(summary):
        click.echo(line, err=True)
    click.echo(f"{summary['done']} done, {summary['failed']} failed")


class BatchBar:
    """A tqdm bar over the batch's pairs, advanced by each job's percent."""

    def __init__(self, pairs: int) -> None:
        self.pairs = pairs

    def __enter__(self):
        from tqdm import tqdm

        self._bar = tqdm(total=self.pairs, unit="pair", file=sys.stderr, disable=None)

        def show(jobs) -> None:
            finished = sum(1 for job in jobs if job.job_state.finished)
            running = sum(job.percent for job in jobs if not job.job_state.finished) / 100
            self._bar.n = round(finished + running, 2)
            failed = sum(1 for job in jobs if job.state == "failed")
            self._bar.set_postfix(done=finished - failed, failed=failed, refresh=False)
            self._bar.refresh()

        return show

    def __exit__(self, *exc) -> None:
        self._bar.close()


def register(group: click.Group) -> None:
    group.add_command(batch_command)
