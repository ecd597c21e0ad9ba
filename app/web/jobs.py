"""Background jobs in the UI: the "New alignment" form that queues a job, and job pages.

The form only stores the uploaded files (each within the import size limit) with a new
job, in one transaction, and queues the job: reading the files (decoding, segmenting,
detecting the language) and aligning them is the job's work, done by a worker, by the
worker embedded in `alinea serve`, or by the server's own runner without Redis
(``app.jobs.embedded``). The job page follows the job through ``/jobs/<id>.json``.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import update
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from app import services
from app.config import Settings
from app.errors import AlineaError, InvalidRequest, Unavailable
from app.ingest import IngestError, validate_language
from app.jobs import queue as job_queue
from app.services import jobs as job_service
from app.services import pairing
from app.store import db as store_db
from app.store import models
from app.store.accounts import Project, at_least
from app.store.base import possible_id
from app.store.jobs import Job
from app.web.access import authorise_project, visible, visible_projects
from app.web.auth import actor_name, principal
from app.web.database import db
from app.web.errors import sentence, wants_json

bp = Blueprint("jobs", __name__)


def _settings() -> Settings:
    return current_app.config["ALINEA_SETTINGS"]


def _sessions():
    return current_app.extensions["alinea.sessions"]


@bp.get("/alignments/new")
def new_alignment() -> str:
    return _form()


def _form(error: str | None = None, status: int = 200, values=None):
    settings = _settings()
    unavailable = None if _runner_is_local() else job_queue.unavailable_reason(settings.jobs)
    page = render_template(
        "new_alignment.html",
        documents=services.list_documents(db(), visible(models.Document.project_id)),
        projects=_projects_for_new_work(),
        languages=settings.languages,
        unavailable=None if settings.jobs.run_inline else unavailable,
        inline=settings.jobs.run_inline and unavailable is not None,
        runner=runner_label(),
        error=error,
        values=values or {},
        file_mb=settings.max_import_bytes / (1024 * 1024),
        total_mb=(current_app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024),
    )
    return page, status


def _projects_for_new_work() -> list:
    """The projects the asker may add alignments to (reviewer or more), by name."""
    return [project for project, role in visible_projects(db()) if at_least(role, "reviewer")]


def _chosen_project(value: str) -> int | None:
    """The project picked in the form (None: the default project), if the asker may add to it."""
    project_id = None
    if value.strip():
        if not value.strip().isdigit() or not possible_id(int(value)):
            raise InvalidRequest("pick the project from the list")
        project_id = int(value)
        if any(p.id == project_id and p.is_default for p in _projects_for_new_work()):
            project_id = None
    authorise_project(project_id, "reviewer", "there is no such project")
    # Without accounts every project is open to the local user, so the id may name none.
    if project_id is not None and db().get(Project, project_id) is None:
        raise InvalidRequest("pick the project from the list")
    return project_id


@bp.post("/alignments/new")
def create_alignment() -> Response | tuple[str, int]:
    settings = _settings()
    g.way_out = (url_for("jobs.new_alignment"), "Back to the form")
    values = {
        key: request.form.get(key, "")
        for key in ("source_document", "target_document", "src_lang", "tgt_lang", "project")
    }
    project_id = _chosen_project(values["project"])
    unavailable = queue_unavailable()
    if unavailable and not settings.jobs.run_inline:
        return _form(unavailable, 503, values)
    try:
        source = _side("source", values["src_lang"])
        target = _side("target", values["tgt_lang"])
        pairing.refuse_same_input(source, target)
    except (AlineaError, IngestError) as error:
        return _form(sentence(str(error)), 400, values)
    job_id = _store_and_queue(source, target, project_id, settings)
    return redirect(url_for("jobs.job_page", job_id=job_id), code=303)


def _side(side: str, lang: str) -> pairing.Side:
    """The uploaded file of one side, kept as bytes, or the stored document picked for it."""
    upload: FileStorage | None = request.files.get(f"{side}_file")
    chosen = request.form.get(f"{side}_document", "").strip()
    has_file = upload is not None and bool(upload.filename)
    label = "original" if side == "source" else "translation"
    language = validate_language(lang) if lang.strip() else None
    if has_file and chosen:
        raise InvalidRequest(f"for the {label}, upload a file or pick a document, not both")
    if chosen:
        if not chosen.isdigit():
            raise InvalidRequest(f"pick the {label} from the list of documents")
        document = services.get_document(db(), int(chosen))
        authorise_project(document.project_id, "viewer", f"there is no document {chosen}")
        return pairing.Side(lang=language, document=document.id)
    if not has_file:
        raise InvalidRequest(f"upload the {label} or pick it from the documents")
    limit = _settings().max_import_bytes
    data = pairing.read_upload(upload.stream, upload.filename, f"the {label}", limit)
    return pairing.Side(lang=language, name=upload.filename or f"{label}.txt", data=data)


def _store_and_queue(
    source: pairing.Side, target: pairing.Side, project_id: int | None, settings: Settings
) -> int:
    """Store the job with its uploaded files in one transaction, then queue it."""
    with store_db.transaction(_sessions()) as session:
        job = job_service.create_job(
            session,
            job_service.ALIGN,
            {},
            queue=queue_name(settings),
            max_attempts=settings.jobs.attempts,
        )
        sides = []
        for side in (source, target):
            file_id = (
                job_service.add_file(session, job, side.name, side.data)
                if side.data is not None
                else None
            )
            sides.append(_side_parameters(side, file_id))
        job.parameters = job_service.align_parameters(
            sides[0],
            sides[1],
            source.lang,
            target.lang,
            title=f"{_side_title(source)} → {_side_title(target)}",
            project_id=project_id,
        )
        job_id = job.id
    queue_job(job_id)
    return job_id


def _side_parameters(side: pairing.Side, file_id: int | None) -> dict:
    """How the job names a side: the stored document's id, or the uploaded file's."""
    if side.stored:
        return {"document": side.document}
    return {"upload": file_id, "name": side.name}


def _side_title(side: pairing.Side) -> str:
    if side.stored:
        return services.get_document(db(), side.document).title
    return side.name


def _runner():
    """The job runner of `alinea serve` (None under another server, or when turned off)."""
    return current_app.extensions.get("alinea.runner")


def _runner_is_local() -> bool:
    runner = _runner()
    return runner is not None and runner.local


def queue_name(settings: Settings) -> str:
    return job_service.SERVER_QUEUE if _runner_is_local() else settings.jobs.queue


def queue_unavailable() -> str | None:
    """Why no job can be queued now, or None."""
    if _runner_is_local():
        return None
    return job_queue.unavailable_reason(_settings().jobs)


def queue_job(job_id: int) -> None:
    """Hand a stored job to whatever runs this server's jobs; raises Unavailable."""
    settings = _settings()
    runner = _runner()
    if runner is not None and runner.local:
        runner.wake()
        return
    if settings.jobs.run_inline and job_queue.unavailable_reason(settings.jobs) is not None:
        from app.jobs import run

        # Explicitly configured for a server without Redis: the request waits for the job.
        run.execute(settings, job_id, "web request")
        return
    sessions = _sessions()
    try:
        rq_id = job_queue.enqueue(settings.jobs, job_id)
    except Unavailable as error:
        job_service.fail_unfinished(sessions, job_id, str(error))
        raise
    with store_db.transaction(sessions) as session:
        session.execute(update(Job).where(Job.id == job_id).values(rq_id=rq_id))


def queue_realign(alignment_id: int, version: int, actor: str) -> str:
    """Queue the re-alignment of ``version`` of an alignment; returns the job page's URL."""
    from app.jobs.realign import realign_parameters

    unavailable = queue_unavailable()
    settings = _settings()
    if unavailable and not settings.jobs.run_inline:
        raise Unavailable(unavailable)
    alignment = services.get_alignment(db(), alignment_id)
    with store_db.transaction(_sessions()) as session:
        job = job_service.create_job(
            session,
            job_service.REALIGN,
            realign_parameters(
                alignment_id,
                version,
                actor,
                f"{alignment.source.title} → {alignment.target.title} ({alignment.level}s)",
                alignment.project_id,
            ),
            queue=queue_name(settings),
            max_attempts=settings.jobs.attempts,
        )
        job_id = job.id
    queue_job(job_id)
    return url_for("jobs.job_page", job_id=job_id)


def runner_label() -> str | None:
    runner = _runner()
    return runner.label if runner is not None else None


def runs_it(job) -> str:
    """Who runs (or ran, or will run) the job, in words for its page."""
    runner = _runner()
    own = runner is not None and runner.runs(job.worker)
    if job.state == "queued":
        if job.queue == job_service.SERVER_QUEUE:
            if runner is not None and runner.local:
                return f"waiting for {runner.label}"
            return "waiting for `alinea serve` without Redis, which runs the jobs queued for it"
        if runner is not None and not runner.local:
            return f"waiting for {runner.label} or another worker on the queue '{job.queue}'"
        return f"waiting for a worker on the queue '{job.queue}' (`alinea worker`)"
    if not job.worker:
        return "—"
    verb = "running on" if job.state == "running" else "ran on"
    return f"{verb} {runner.label} ({job.worker})" if own else f"{verb} {job.worker}"


@bp.get("/jobs")
def job_list() -> str:
    _reap()
    asker = principal()
    jobs = [
        job
        for job in job_service.list_jobs(db(), limit=200)
        if asker.role_in(job_service.job_project(job)) is not None
    ]
    return render_template("jobs.html", jobs=[job_service.describe(job) for job in jobs])


def _visible_job(job_id: int):
    """The job, if the asker may see its project (else the same 404 as a missing job)."""
    job = job_service.get_job(db(), job_id)
    authorise_project(job_service.job_project(job), "viewer", f"there is no job {job_id}")
    return job


@bp.get("/jobs/<int:job_id>")
def job_page(job_id: int) -> str:
    _reap()
    job = _visible_job(job_id)
    role = principal().role_in(job_service.job_project(job))
    return render_template(
        "job.html",
        job=job_service.describe(job) | {"runner": runs_it(job)},
        can_cancel=at_least(role, "reviewer"),
    )


@bp.post("/jobs/<int:job_id>/cancel")
def cancel_job(job_id: int) -> Response | tuple[Response, int]:
    """Cancel a queued or running job (reviewer role in its project)."""
    job = _visible_job(job_id)
    authorise_project(job_service.job_project(job), "reviewer", f"there is no job {job_id}")
    cancelled = job_service.cancel(_sessions(), job_id, actor_name())
    if wants_json():
        db().refresh(job)  # cancelled through another session
        view = job_service.describe(job)
        return jsonify(view | {"cancelled": cancelled}), (200 if cancelled else 409)
    if not cancelled:
        flash(f"Job {job_id} had already finished; nothing was cancelled.")
    return redirect(url_for("jobs.job_page", job_id=job_id), 303)


@bp.get("/jobs/<int:job_id>.json")
def job_status(job_id: int) -> Response:
    _reap()
    job = _visible_job(job_id)
    view = job_service.describe(job) | {"runner": runs_it(job)}
    if view["alignment_id"]:
        # The job's number, so that the alignment's page says what the job did.
        view["alignment_url"] = url_for(
            "review.alignment", alignment_id=view["alignment_id"], job=job.id
        )
    response = jsonify(view)
    response.headers["Cache-Control"] = "no-store"
    return response


def _reap() -> None:
    """Settle the jobs whose worker died, so that what the page shows is true."""
    settings = _settings()
    enqueue = None
    if settings.jobs.redis_url is not None and job_queue.unavailable_reason(settings.jobs) is None:
        enqueue = job_queue.enqueuer(settings.jobs)
    job_service.reap(_sessions(), settings.jobs.stale_after, enqueue)
