"""Comparison pages: the list, the form that builds one (a background job), the
side-by-side rows, one row across all versions, the summary, and the export."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from werkzeug.datastructures import FileStorage

from app import services
from app.compare.export import FORMATS
from app.config import Settings
from app.errors import AlineaError, InvalidRequest, NotFound
from app.ingest import IngestError, LoadedDocument, validate_language
from app.jobs.compare import COMPARE, compare_parameters
from app.services import comparison_view, comparisons, importing, pairing
from app.services import jobs as job_service
from app.store import db as store_db
from app.store import models
from app.store.accounts import at_least
from app.store.comparisons import Comparison
from app.web.access import authorise_project, visible, visible_projects
from app.web.database import db
from app.web.errors import sentence
from app.web.jobs import queue_job, queue_name, queue_unavailable

bp = Blueprint("compare", __name__)

MAX_UPLOADS = 10

# The sorts and filters offered above the rows: label and query parameters.
QUICK_VIEWS: tuple[tuple[str, dict[str, str]], ...] = (
    ("In order", {}),
    ("Most divergent first", {"sort": "divergence"}),
    ("Least similar to the original first", {"sort": "similarity"}),
    ("Divergence ≥ 0.3", {"min_divergence": "0.3", "sort": "divergence"}),
    ("Similarity < 0.5", {"max_similarity": "0.5"}),
    ("QA flags", {"flagged": "1"}),
)

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("j / ↓", "next row"),
    ("k / ↑", "previous row"),
    ("n", "next page"),
    ("p", "previous page"),
    ("Enter", "open the row across all versions"),
    ("d", "show or hide the word differences"),
    ("c", "show or hide the column settings"),
    ("?", "show or hide this help"),
)


def _settings() -> Settings:
    return current_app.config["ALINEA_SETTINGS"]


def _readable(comparison_id: int) -> Comparison:
    comparison = db().get(Comparison, comparison_id)
    missing = f"there is no comparison {comparison_id}"
    if comparison is None:
        raise NotFound(missing)
    authorise_project(comparison.project_id, "viewer", missing)
    return comparison


def _opened(comparison_id: int) -> tuple[Comparison, str, comparisons.Pivot]:
    """The comparison the reader may see, and its rows at the level asked for."""
    comparison = _readable(comparison_id)
    level = _level()
    return comparison, level, comparisons.pivot(db(), comparison, level)


def _level() -> str:
    level = request.args.get("level", "paragraph") or "paragraph"
    if level not in comparisons.LEVELS:
        raise InvalidRequest(f"level must be paragraph or sentence, not {level!r}")
    return level


def _page_number() -> int:
    value = request.args.get("page", "").strip()
    if not value:
        return 1
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise InvalidRequest(f"page must be a whole number, not {value!r}")
    return int(value)


@bp.get("/comparisons")
def comparison_list() -> str:
    session = db()
    return render_template(
        "comparisons.html",
        comparisons=comparisons.list_comparisons(session, visible(Comparison.project_id)),
    )


@bp.get("/comparisons/<int:comparison_id>")
def comparison_page(comparison_id: int) -> str:
    comparison, level, pivot = _opened(comparison_id)
    wanted = comparison_view.RowFilter.from_args(request.args, len(pivot.columns))
    shown = comparison_view.page(pivot, wanted, _page_number())
    return render_template(
        "comparison.html",
        comparison=comparison,
        pivot=pivot,
        shown=shown,
        wanted=wanted,
        level=level,
        quick_views=QUICK_VIEWS,
        pairs=comparisons.same_language_pairs(pivot.columns),
        formats=FORMATS,
        shortcuts=SHORTCUTS,
        can_add=at_least(_role(comparison), "reviewer"),
        page_size=comparison_view.PAGE_SIZE,
    )


def _role(comparison: Comparison) -> str | None:
    from app.web.auth import principal

    return principal().role_in(comparison.project_id)


@bp.get("/comparisons/<int:comparison_id>/rows/<int:number>")
def row_page(comparison_id: int, number: int) -> str:
    """One row across every version, with every same-language pair's differences."""
    comparison, level, pivot = _opened(comparison_id)
    if number >= len(pivot.rows):
        raise NotFound(f"comparison {comparison_id} has no row {number + 1}")
    pairs = comparisons.same_language_pairs(pivot.columns)
    row = comparison_view.row_view(pivot, number, pivot.rows[number], pairs, scores=True)
    pair_diffs = [
        (
            pivot.columns[a],
            pivot.columns[b],
            comparison_view.pieces(
                comparison_view.word_diff(
                    pivot.text(pivot.rows[number], a), pivot.text(pivot.rows[number], b)
                )
            ),
        )
        for a, b in pairs
    ]
    return render_template(
        "comparison_row.html",
        comparison=comparison,
        pivot=pivot,
        row=row,
        level=level,
        pair_diffs=pair_diffs,
        total=len(pivot.rows),
        page_size=comparison_view.PAGE_SIZE,
    )


@bp.get("/comparisons/<int:comparison_id>/summary")
def summary_page(comparison_id: int) -> str:
    comparison, level, pivot = _opened(comparison_id)
    versions, pair_summaries = comparison_view.summary(pivot)
    return render_template(
        "comparison_summary.html",
        comparison=comparison,
        pivot=pivot,
        level=level,
        versions=versions,
        pair_summaries=pair_summaries,
    )


@bp.get("/comparisons/<int:comparison_id>/export")
def export(comparison_id: int) -> Response:
    session = db()
    comparison = _readable(comparison_id)
    level = _level()
    format_name = request.args.get("format", "tmx")
    chosen = FORMATS.get(format_name)
    if chosen is None:
        raise InvalidRequest(f"unknown format {format_name!r}")
    pivot = comparisons.pivot(session, comparison, level)
    chunks = comparison_view.export_chunks(
        pivot, comparison.id, comparison.title, format_name, datetime.now(UTC)
    )
    name = f"comparison-{comparison.id}-{level}{chosen.extension}"
    return Response(
        stream_with_context(chunks),
        mimetype=chosen.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# ---------------------------------------------------------------- building


@bp.get("/comparisons/new")
def new_comparison() -> tuple[str, int]:
    return _form()


@bp.route("/comparisons/<int:comparison_id>/add", methods=["GET", "POST"])
def add_version(comparison_id: int):
    """The form adding versions to a comparison (GET), and its answer (POST): one rule, so
    an id past what the database holds is a plain 404 for both."""
    comparison = _readable(comparison_id)
    authorise_project(comparison.project_id, "reviewer", f"there is no comparison {comparison_id}")
    if request.method == "GET":
        return _form(comparison=comparison)
    return _build(comparison)


def _form(error: str | None = None, status: int = 200, comparison: Comparison | None = None):
    settings = _settings()
    unavailable = queue_unavailable()
    page = render_template(
        "comparison_new.html",
        documents=services.list_documents(db(), visible(models.Document.project_id)),
        projects=[p for p, role in visible_projects(db()) if at_least(role, "reviewer")],
        languages=settings.languages,
        unavailable=None if settings.jobs.run_inline else unavailable,
        inline=settings.jobs.run_inline and unavailable is not None,
        error=error,
        comparison=comparison,
        max_uploads=MAX_UPLOADS,
    )
    return page, status


@bp.post("/comparisons/new")
def create_comparison():
    return _build(None)


def _build(comparison: Comparison | None):
    settings = _settings()
    unavailable = queue_unavailable()
    if unavailable and not settings.jobs.run_inline:
        return _form(unavailable, 503, comparison)
    try:
        project_id = comparison.project_id if comparison else _project(request.form)
        if comparison is None:
            original = _original(settings)
        else:
            original = services.loaded_from_store(comparison.original)
        versions = _versions(settings)
        if not versions and not request.form.get("machine"):
            raise InvalidRequest("upload or pick at least one version")
        known = {original.checksum} | (
            {v.document.checksum for v in comparison.versions} if comparison else set()
        )
        for loaded, _label in versions:
            if loaded.checksum in known:
                raise InvalidRequest(
                    f"{loaded.title} is already in the comparison (or is the original)"
                )
            known.add(loaded.checksum)
    except (AlineaError, IngestError) as error:
        return _form(sentence(str(error)), 400, comparison)
    job_id = _store_and_queue(original, versions, project_id, comparison, settings)
    return redirect(url_for("compare.job_page", job_id=job_id), code=303)


def _project(form) -> int | None:
    value = form.get("project", "").strip()
    project_id = None
    if value:
        if not value.isdigit():
            raise InvalidRequest("pick the project from the list")
        project_id = int(value)
        chosen = [p for p, _role in visible_projects(db()) if p.id == project_id]
        if chosen and chosen[0].is_default:
            project_id = None
    authorise_project(project_id, "reviewer", "there is no such project")
    return project_id


def _original(settings: Settings) -> LoadedDocument:
    upload: FileStorage | None = request.files.get("original_file")
    chosen = request.form.get("original_document", "").strip()
    has_file = upload is not None and bool(upload.filename)
    if has_file and chosen:
        raise InvalidRequest("for the original, upload a file or pick a document, not both")
    if chosen:
        return _stored(chosen, "the original")
    if not has_file:
        raise InvalidRequest("upload the original or pick it from the documents")
    return _uploaded(upload, "the original", request.form.get("original_lang", ""), settings)


def _stored(value: str, what: str) -> LoadedDocument:
    if not value.isascii() or not value.isdigit():
        raise InvalidRequest(f"pick {what} from the list of documents")
    document = services.get_document(db(), int(value))
    authorise_project(document.project_id, "viewer", f"there is no document {value}")
    return services.loaded_from_store(document)


def _versions(settings: Settings) -> list[tuple[LoadedDocument, str | None]]:
    """The versions picked among the documents, then the uploaded ones, in that order."""
    out: list[tuple[LoadedDocument, str | None]] = []
    for value in request.form.getlist("version_documents"):
        if value.strip():
            out.append((_stored(value.strip(), "each version"), None))
    uploads = [f for f in request.files.getlist("version_files") if f and f.filename]
    if len(uploads) + len(out) > MAX_UPLOADS:
        raise InvalidRequest(f"give at most {MAX_UPLOADS} versions at once")
    lang = request.form.get("version_lang", "")
    for upload in uploads:
        # Versions of one text often share their title; their files' names differ.
        label = (upload.filename or "")[:200] or None
        out.append((_uploaded(upload, "a version", lang, settings), label))
    return out


def _uploaded(upload: FileStorage, label: str, lang: str, settings: Settings) -> LoadedDocument:
    """An uploaded file as a document, within the limits of an import (as on the new
    alignment form: ALINEA_MAX_IMPORT_MB, ALINEA_MAX_SEGMENTS)."""
    name = upload.filename or "upload.txt"
    data = pairing.read_upload(upload.stream, name, label, settings.max_import_bytes)
    lang = lang.strip()
    return importing.load_data(data, name, validate_language(lang) if lang else None, settings)


def _store_and_queue(
    original: LoadedDocument,
    versions: list[tuple[LoadedDocument, str | None]],
    project_id: int | None,
    comparison: Comparison | None,
    settings: Settings,
) -> int:
    sessions = current_app.extensions["alinea.sessions"]
    with store_db.transaction(sessions) as session:
        original_doc = services.add_document(session, original, project_id)
        stored = [
            {"document": services.add_document(session, loaded, project_id).id, "label": label}
            for loaded, label in versions
        ]
        title = request.form.get("title", "").strip()[:500] or None
        parameters = compare_parameters(
            original_doc.id,
            stored,
            machine=bool(request.form.get("machine")),
            title=title or (comparison.title if comparison else f"Versions of {original.title}"),
            project_id=project_id,
            comparison_id=comparison.id if comparison else None,
        )
        job = job_service.create_job(
            session,
            COMPARE,
            parameters,
            queue=queue_name(settings),
            max_attempts=settings.jobs.attempts,
        )
        job_id = job.id
    # Whatever runs this server's jobs: the runner of `alinea serve`, a worker, or (when
    # so configured without Redis) this request.
    queue_job(job_id)
    return job_id


@bp.get("/comparisons/jobs/<int:job_id>")
def job_page(job_id: int):
    """A compare job's progress; once done, the comparison itself."""
    job = job_service.get_job(db(), job_id)
    authorise_project(job_service.job_project(job), "viewer", f"there is no job {job_id}")
    if job.kind != COMPARE:
        return redirect(url_for("jobs.job_page", job_id=job_id))
    comparison_id = (job.result or {}).get("comparison_id")
    if job.state == "done" and comparison_id:
        return redirect(url_for("compare.comparison_page", comparison_id=comparison_id))
    return render_template("comparison_job.html", job=job_service.describe(job))
