"""``alinea worker`` and ``alinea jobs``: running the background jobs, and following them."""

from __future__ import annotations

import click

from app.cli.common import Context, user_errors


@click.command("worker")
@click.option("--burst", is_flag=True, help="Quit once the queue is empty.")
@click.option("--queue", "queue_name", help="The queue to work on (default: $ALINEA_QUEUE).")
@click.option(
    "--simple", is_flag=True, help="Run jobs in this process instead of a forked one per job."
)
@click.pass_obj
@user_errors
def worker_command(obj: Context, burst: bool, queue_name: str | None, simple: bool) -> None:
    """Run background jobs (alignments, batches) from the Redis queue at $REDIS_URL.

    Start as many workers as there are cores to spare, on any machines that reach the
    same Redis and database.
    """
    from app.jobs import worker

    obj.sessions()  # refuse an outdated schema before taking any job
    worker.start(obj.settings, queue_name, burst, simple)


@click.group("jobs", invoke_without_command=True)
@click.option("--state", type=click.Choice(["queued", "running", "done", "failed", "cancelled"]))
@click.option("--batch", help="Only the jobs of this batch.")
@click.option("--limit", default=50, show_default=True, type=int)
@click.pass_context
@user_errors
def jobs_group(ctx: click.Context, state: str | None, batch: str | None, limit: int) -> None:
    """List the background jobs, newest first; `alinea jobs show ID` shows one."""
    if ctx.invoked_subcommand is not None:
        return
    from app.services import jobs as job_service

    sessions = _reaped_sessions(ctx.obj)
    with sessions() as session:
        rows = job_service.list_jobs(session, state, batch, limit)
        if not rows:
            click.echo("no jobs", err=True)
        for job in rows:
            click.echo(_job_line(job_service.describe(job)))


def _reaped_sessions(obj: Context):
    """Sessions, after settling the jobs whose worker died, so that listings tell the truth."""
    from app.jobs import queue as job_queue
    from app.services import jobs as job_service

    sessions = obj.sessions()
    enqueue = None
    if job_queue.unavailable_reason(obj.settings.jobs) is None:
        enqueue = job_queue.enqueuer(obj.settings.jobs)
    job_service.reap(sessions, obj.settings.jobs.stale_after, enqueue)
    return sessions


def _job_line(view: dict) -> str:
    progress = f"{view['percent']:5.1f}%"
    detail = view["stage"] or ""
    if view["state"] == "done":
        detail = f"alignment {view['alignment_id']}"
    elif view["state"] in ("failed", "cancelled"):
        detail = view["error"] or ""
    elif view["eta_seconds"] is not None:
        detail += f", about {_duration(view['eta_seconds'])} left"
    return f"{view['id']:>6}  {view['state']:<9}  {progress}  {view['title']}  {detail}"


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


@jobs_group.command("cancel")
@click.argument("job_ids", type=int, nargs=-1, required=True)
@click.pass_obj
@user_errors
def jobs_cancel(obj: Context, job_ids: tuple[int, ...]) -> None:
    """Cancel queued or running jobs; a running one stops at its next progress report
    and stores nothing."""
    import getpass

    from app.services import jobs as job_service

    sessions = obj.sessions()
    for job_id in job_ids:
        with sessions() as session:
            job_service.get_job(session, job_id)  # a clear error for an unknown id
        if job_service.cancel(sessions, job_id, f"{getpass.getuser()} (command line)"):
            click.echo(f"job {job_id} cancelled")
        else:
            click.echo(f"job {job_id} had already finished; nothing was cancelled", err=True)


@jobs_group.command("show")
@click.argument("job_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the job as JSON.")
@click.pass_obj
@user_errors
def jobs_show(obj: Context, job_id: int, as_json: bool) -> None:
    """Show one job: state, stage, progress, ETA, result or error."""
    import json

    from app.services import jobs as job_service

    with _reaped_sessions(obj)() as session:
        view = job_service.describe(job_service.get_job(session, job_id))
    if as_json:
        click.echo(json.dumps(view, indent=2, ensure_ascii=False))
        return
    lines = [
        f"job {view['id']}: {view['kind']} {view['title']}",
        f"state: {view['state']} (attempt {view['attempts']} of {view['max_attempts']},"
        f" queue {view['queue']}{', batch ' + view['batch'] if view['batch'] else ''})",
        f"progress: {view['percent']:.1f}%"
        + (f", {view['stage']} {view['stage_done']}/{view['stage_total']}" if view["stage"] else "")
        + (f", about {_duration(view['eta_seconds'])} left" if view["eta_seconds"] else ""),
    ]
    if view["worker"]:
        lines.append(f"worker: {view['worker']} (heartbeat {view['heartbeat_at']})")
    lines.append(
        f"created {view['created_at']}, started {view['started_at'] or '-'},"
        f" finished {view['finished_at'] or '-'}"
    )
    if view["alignment_id"]:
        result = view["result"]
        lines.append(
            f"result: alignment {view['alignment_id']}: {result.get('beads')} beads,"
            f" {result.get('one_sided')} one-sided, mean similarity {result.get('mean_similarity')}"
        )
    if view["error"]:
        lines.append(f"error: {view['error']}")
    for note in view["notes"]:
        lines.append(f"note ({note['at']}): {note['message']}")
    click.echo("\n".join(lines))


def register(group: click.Group) -> None:
    group.add_command(worker_command)
    group.add_command(jobs_group)
