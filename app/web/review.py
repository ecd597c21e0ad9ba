"""Reviewing alignments: the index, an alignment's pairs page by page, its map and history."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app import services
from app.errors import InvalidRequest, NotFound
from app.services import history as history_service
from app.services import jobs as job_service
from app.services.scores import score_meaning
from app.store import accounts, models
from app.store.queries import (
    PAGE_SIZE,
    count_beads,
    filtered_beads,
    in_document_order,
    next_unreviewed,
    page_of_position,
    resolve_text,
    review_progress,
    segment_texts,
    sentence_level,
)
from app.store.selection import STATUS_CHOICES, BeadSelection
from app.web.access import readable_alignment, visible, visible_projects
from app.web.alignment_map import alignment_map
from app.web.auth import principal
from app.web.database import db
from app.web.errors import sentence
from app.web.fragments import row_context
from app.web.rows import (
    bead_rows,
    covered_positions,
    format_score,
    format_utc,
    iso_utc,
)
from app.web.search import highlight
from app.web.shortcuts import SHORTCUTS

bp = Blueprint("review", __name__)
bp.add_app_template_filter(format_score, "score")
bp.add_app_template_filter(format_utc, "utc")
bp.add_app_template_filter(iso_utc, "iso_utc")
bp.add_app_template_filter(score_meaning, "score_meaning")
bp.add_app_template_filter(highlight, "highlight")

# The quick filters offered above the pairs: label and query parameters.
QUICK_FILTERS: tuple[tuple[str, dict[str, str]], ...] = (
    ("All", {}),
    ("Doubtful first", {"sort": "doubt"}),
    ("< 0.5", {"max_similarity": "0.5"}),
    ("< 0.8", {"max_similarity": "0.8"}),
    ("Not reviewed", {"status": "automatic"}),
    ("One-sided", {"one_sided": "1"}),
    ("QA flags", {"flagged": "1"}),
)

NOTICES = {
    "conflict": "Someone else changed this alignment after your page was loaded, so your "
    "change was not saved. The page now shows the current state; make your change again "
    "if it is still needed.",
    "reviewed": "Every pair has been confirmed or rejected.",
}


@bp.get("/")
def index() -> str:
    """The alignments and documents of every project the asker sees."""
    session = db()
    return _listing(
        session,
        visible(models.Alignment.project_id),
        visible(models.Document.project_id),
    )


@bp.get("/projects/<name>")
def project(name: str) -> str:
    """One project's alignments and documents; a project the asker cannot see is a 404."""
    session = db()
    missing = f"there is no project '{name}'"
    chosen = next((p for p, _role in visible_projects(session) if p.name == name), None)
    if chosen is None:
        raise NotFound(missing)
    if chosen.is_default:
        alignments = models.Alignment.project_id.is_(None) | (
            models.Alignment.project_id == chosen.id
        )
        documents = models.Document.project_id.is_(None) | (models.Document.project_id == chosen.id)
    else:
        alignments = models.Alignment.project_id == chosen.id
        documents = models.Document.project_id == chosen.id
    return _listing(session, alignments, documents, chosen)


def _listing(session, alignments, documents, chosen: accounts.Project | None = None) -> str:
    summaries = services.list_alignments(session, alignments)
    # Sentence alignments are reached from their paragraph alignment, not listed apart.
    sentence_views = {
        s.alignment.parent_id: s.alignment.id for s in summaries if s.alignment.parent_id
    }
    asker = principal()
    projects = [] if asker.single_user else visible_projects(session)
    by_id = {p.id: p for p, _role in projects}
    default = next((p for p, _role in projects if p.is_default), None)
    return render_template(
        "index.html",
        alignments=[s for s in summaries if s.alignment.parent_id is None],
        sentence_views=sentence_views,
        documents=services.list_documents(session, documents),
        # With accounts: the projects, and each alignment's project when there are several.
        projects=projects,
        project=chosen,
        project_of=lambda project_id: by_id.get(project_id) if project_id else default,
        show_projects=len(projects) > 1 and chosen is None,
    )


@bp.get("/alignments/<int:alignment_id>", endpoint="alignment")
def alignment_page(alignment_id: int) -> str | Response:
    session = db()
    alignment = readable_alignment(session, alignment_id)
    g.way_out = (url_for("review.alignment", alignment_id=alignment.id), "Show all pairs")
    bead_filter = resolve_text(session, alignment, BeadSelection.from_args(request.args))
    at = _optional_int(request.args.get("at", ""), "at")
    pair = _optional_int(request.args.get("pair", ""), "pair")
    if pair is not None:
        # The pager's box takes the number the reviewer sees, which counts from 1.
        at = max(pair - 1, 0)
    if at is not None:
        page = page_of_position(session, alignment, bead_filter, at)
        target = url_for(
            "review.alignment", alignment_id=alignment.id, page=page, **bead_filter.as_args()
        )
        return redirect(f"{target}#bead-{at}", code=302)
    total = count_beads(session, alignment, bead_filter)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(_optional_int(request.args.get("page", ""), "page") or 1, pages)
    beads = filtered_beads(session, alignment, bead_filter, page=max(page, 1))
    source_positions, target_positions = covered_positions(beads)
    rows = bead_rows(
        beads,
        segment_texts(session, alignment.source_id, alignment.level, source_positions),
        segment_texts(session, alignment.target_id, alignment.level, target_positions),
    )
    can_undo, can_redo = history_service.undo_redo_available(session, alignment.id)
    page_args = dict(bead_filter.as_args(), **({"page": str(page)} if page > 1 else {}))
    return render_template(
        "alignment.html",
        scorers=list(alignment.parameters.get("scorers", [])),
        progress=review_progress(session, alignment.id),
        rows=rows,
        bead_filter=bead_filter,
        quick_filters=QUICK_FILTERS,
        statuses=STATUS_CHOICES,
        pager=Pager(page, pages, total, len(rows)),
        document_order=in_document_order(bead_filter),
        views=_views(session, alignment),
        can_undo=can_undo,
        can_redo=can_redo,
        notice=_notice(session, alignment.id),
        shortcuts=SHORTCUTS,
        # The bead forms send the reviewer back to this very view, filter and page included.
        **row_context(
            alignment,
            url_for("review.alignment", alignment_id=alignment.id, **page_args),
            bead_filter.text,
        ),
    )


def _notice(session, alignment_id: int) -> str | None:
    """The message the page opens with: a known notice, or what a finished job did."""
    job_id = _optional_int(request.args.get("job", ""), "job")
    if job_id is not None:
        summary = job_service.finished_summary(session, job_id, alignment_id)
        return sentence(summary) if summary else None
    return NOTICES.get(request.args.get("notice", ""))


class Pager:
    """Where the page sits among the filtered beads."""

    def __init__(self, page: int, pages: int, total: int, shown: int) -> None:
        self.page, self.pages, self.total, self.shown = page, pages, total, shown

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.shown else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * PAGE_SIZE + self.shown


@bp.get("/alignments/<int:alignment_id>/next")
def next_unconfirmed(alignment_id: int) -> Response:
    """Jump to the first pair after ``after`` that nobody has confirmed or rejected."""
    session = db()
    alignment = readable_alignment(session, alignment_id)
    after = _optional_int(request.args.get("after", ""), "after")
    found = next_unreviewed(session, alignment.id, -1 if after is None else after)
    if found is None:
        return redirect(url_for("review.alignment", alignment_id=alignment.id, notice="reviewed"))
    return redirect(url_for("review.alignment", alignment_id=alignment.id, at=found))


@bp.get("/alignments/<int:alignment_id>/history")
def history(alignment_id: int) -> str:
    session = db()
    alignment = readable_alignment(session, alignment_id)
    position = _optional_int(request.args.get("position", ""), "position")
    events = history_service.history(session, alignment.id, position)
    return render_template(
        "history.html",
        alignment=alignment,
        position=position,
        events=events,
        pair_text=_pair_texts(session, alignment, events),
    )


def _pair_texts(session, alignment: models.Alignment, events: list[models.ReviewEvent]):
    """A function giving the texts, today, of the segments a recorded bead covered."""
    wanted: dict[str, set[int]] = {"src": set(), "tgt": set()}
    for event in events:
        for bead in (*event.before[:6], *event.after[:6]):
            for side in ("src", "tgt"):
                span = bead.get(side) if isinstance(bead, dict) else None
                if isinstance(span, list) and len(span) == 2:
                    wanted[side].update(range(span[0], min(span[1], span[0] + 3)))
    texts = {
        "src": segment_texts(session, alignment.source_id, alignment.level, wanted["src"]),
        "tgt": segment_texts(session, alignment.target_id, alignment.level, wanted["tgt"]),
    }

    def pair_text(bead: dict, side: str) -> str:
        start, end = bead[side]
        shown = [texts[side][k].text for k in range(start, min(end, start + 3)) if k in texts[side]]
        more = " …" if end - start > 3 else ""
        return " ".join(shown) + more

    return pair_text


@bp.get("/alignments/<int:alignment_id>/map")
def map_page(alignment_id: int) -> str:
    session = db()
    alignment = readable_alignment(session, alignment_id)
    return render_template(
        "map.html",
        alignment=alignment,
        source=alignment.source,
        target=alignment.target,
        amap=alignment_map(session, alignment.id),
    )


def _views(session, alignment: models.Alignment) -> dict[str, int]:
    """The paragraph and sentence views of the same pair of documents, by level."""

    if alignment.parent_id is not None:
        return {"paragraph": alignment.parent_id, "sentence": alignment.id}
    child = sentence_level(session, alignment.id)
    views = {"paragraph": alignment.id}
    if child is not None:
        views["sentence"] = child.id
    return views


def _optional_int(value: str, name: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise InvalidRequest(f"{name} must be a whole number, not '{value}'")
    if len(value) > 9:
        abort(404)
    return int(value)
