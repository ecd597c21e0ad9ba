"""Background jobs in the UI: the "New alignment" form that queues a job, and job pages.

The form imports the uploaded files in the request (a bad file is refused at once,
with nothing written) and queues the alignment itself, which can take minutes, for
`alinea worker`. The job page follows the job through ``/jobs/<id>.json``.
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
from app.ingest import MAX_BYTES, IngestError, LoadedDocument, load_text, validate_language
from app.jobs import queue as job_queue
from app.services import jobs as job_service
from app.store import db as store_db
from app.store import models
from app.store.accounts import Project, at_least
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
    unavailable = job_queue.unavailable_reason(settings.jobs)
    page = render_template(
        "new_alignment.html",
        documents=services.list_documents(db(), visible(models.Document.project_id)),
        projects=_projects_for_new_work(),
        languages=settings.languages,
        unavailable=None if settings.jobs.run_inline else unavailable,
        inline=settings.jobs.run_inline and unavailable is not None,
        error=error,
        values=values or {},
        file_mb=MAX_BYTES / (1024 * 1024),
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
        if not value.strip().isdigit() or not models.possible_id(int(value)):
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
    unavailable = job_queue.unavailable_reason(settings.jobs)
    if unavailable and not settings.jobs.run_inline:
        return _form(unavailable, 503, values)
    try:
        source = _side("source", values["src_lang"], settings)
        target = _side("target", values["tgt_lang"], settings)
        if source.checksum == target.checksum:
            raise InvalidRequest(
                "the two documents hold the same text; give an original and its translation"
            )
    except (AlineaError, IngestError) as error:
        return _form(sentence(str(error)), 400, values)
    job_id = _store_and_queue(source, target, project_id, settings, inline=unavailable is not None)
    for warning in services.language_warnings(source, target):
        flash(f"Check the language: {warning}.")
    return redirect(url_for("jobs.job_page", job_id=job_id), code=303)


def _side(side: str, lang: str, settings: Settings) -> LoadedDocument:
    """The uploaded file of one side, imported, or the stored document picked for it."""
    upload: FileStorage | None = request.files.get(f"{side}_file")
    chosen = request.form.get(f"{side}_document", "").strip()
    has_file = upload is not None and bool(upload.filename)
    label = "original" if side == "source" else "translation"
    if has_file and chosen:
        raise InvalidRequest(f"for the {label}, upload a file or pick a document, not both")
    if chosen:
        if not chosen.isdigit():
            raise InvalidRequest(f"pick the {label} from the list of documents")
        document = services.get_document(db(), int(chosen))
        authorise_project(document.project_id, "viewer", f"there is no document {chosen}")
        return services.loaded_from_store(document)
    if not has_file:
        raise InvalidRequest(f"upload the {label} or pick it from the documents")
    language = validate_language(lang) if lang.strip() else None
    return load_text(
        upload.read(),
        upload.filename or f"{label}.txt",
        lang=language,
        languages=settings.languages,
    )


def _store_and_queue(
    source: LoadedDocument,
    target: LoadedDocument,
    project_id: int | None,
    settings: Settings,
    inline: bool,
) -> int:
    sessions = _sessions()
    with store_db.transaction(sessions) as session:
        source_doc = services.add_document(session, source, project_id)
        target_doc = services.add_document(session, target, project_id)
        job = job_service.create_job(
            session,
            job_service.ALIGN,
            job_service.align_parameters(
                {"document": source_doc.id, "name": source_doc.title},
                {"document": target_doc.id, "name": target_doc.title},
                title=f"{source_doc.title} → {target_doc.title}",
                project_id=project_id,
            ),
            queue=settings.jobs.queue,
            max_attempts=settings.jobs.attempts,
        )
        job_id = job.id
    if inline:
        from app.jobs import run

        # Explicitly configured for a laptop without Redis: the request waits for the job.
        run.execute(settings, job_id, "web request")
        return job_id
    try:
        rq_id = job_queue.enqueue(settings.jobs, job_id)
    except Unavailable as error:
        job_service.fail_unfinished(sessions, job_id, str(error))
        raise
    with store_db.transaction(sessions) as session:
        session.execute(update(Job).where(Job.id == job_id).values(rq_id=rq_id))
    return job_id


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
        job=job_service.describe(job),
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
    view = job_service.describe(_visible_job(job_id))
    if view["alignment_id"]:
        view["alignment_url"] = url_for("review.alignment", alignment_id=view["alignment_id"])
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
