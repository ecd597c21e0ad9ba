"""Reviewing alignments: the index, an alignment's pairs side by side, confirm/reject/note."""

from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.wrappers import Response

from app import services
from app.errors import InvalidRequest
from app.segments import BeadStatus
from app.store.db import transaction
from app.web.database import db
from app.web.queries import (
    STATUS_CHOICES,
    BeadFilter,
    BeadPlace,
    filtered_beads,
    locate_bead,
    parse_status,
    review_progress,
    segment_texts,
)
from app.web.rows import bead_rows, format_score, format_utc, iso_utc
from app.web.urls import safe_next

bp = Blueprint("review", __name__)
bp.add_app_template_filter(format_score, "score")
bp.add_app_template_filter(format_utc, "utc")
bp.add_app_template_filter(iso_utc, "iso_utc")

# The quick filters offered above the pairs: label and query parameters.
QUICK_FILTERS: tuple[tuple[str, dict[str, str]], ...] = (
    ("All", {}),
    ("< 0.5", {"max_similarity": "0.5"}),
    ("< 0.8", {"max_similarity": "0.8"}),
    ("Not reviewed", {"status": "automatic"}),
    ("One-sided", {"one_sided": "1"}),
)


@bp.get("/")
def index() -> str:
    session = db()
    return render_template(
        "index.html",
        alignments=services.list_alignments(session),
        documents=services.list_documents(session),
    )


@bp.get("/alignments/<int:alignment_id>", endpoint="alignment")
def alignment_page(alignment_id: int) -> str:
    session = db()
    alignment = services.get_alignment(session, alignment_id)
    g.way_out = (url_for("review.alignment", alignment_id=alignment.id), "Show all pairs")
    bead_filter = BeadFilter.from_args(request.args)
    rows = bead_rows(
        filtered_beads(session, alignment.id, bead_filter),
        segment_texts(session, alignment.source_id),
        segment_texts(session, alignment.target_id),
    )
    return render_template(
        "alignment.html",
        alignment=alignment,
        source=alignment.source,
        target=alignment.target,
        scorers=list(alignment.parameters.get("scorers", [])),
        progress=review_progress(session, alignment.id),
        rows=rows,
        bead_filter=bead_filter,
        quick_filters=QUICK_FILTERS,
        statuses=STATUS_CHOICES,
        # The bead forms send the reviewer back to this very view, filter included.
        next_url=url_for("review.alignment", alignment_id=alignment.id, **bead_filter.as_args()),
    )


@bp.post("/beads/<int:bead_id>/status")
def bead_status(bead_id: int) -> Response:
    status = _required_status(request.form.get("status", ""))
    version = _required_version(request.form.get("version", ""))
    with transaction(_sessions()) as session:
        back = _way_back(locate_bead(session, bead_id))
        services.set_bead_status(session, bead_id, status, version)
    return redirect(back, code=303)


@bp.post("/beads/<int:bead_id>/note")
def bead_note(bead_id: int) -> Response:
    note = request.form.get("note")
    if note is None:
        raise InvalidRequest("the form did not send a note")
    version = _required_version(request.form.get("version", ""))
    with transaction(_sessions()) as session:
        back = _way_back(locate_bead(session, bead_id))
        services.set_bead_note(session, bead_id, note, version)
    return redirect(back, code=303)


def _sessions() -> sessionmaker[Session]:
    return current_app.extensions["alinea.sessions"]


def _way_back(place: BeadPlace) -> str:
    """Return the page the form came from, landing on the bead.

    Also kept as the error pages' way out, before the write, so that a 409 page offers
    the same page to reload.
    """
    page = safe_next(request.form.get("next")) or url_for(
        "review.alignment", alignment_id=place.alignment_id
    )
    back = f"{page}#bead-{place.position}"
    g.way_out = (back, "Reload the page")
    return back


def _required_status(value: str) -> BeadStatus:
    status = parse_status(value)
    if status is None:
        raise InvalidRequest("the form did not say which status to give the pair")
    return status


def _required_version(value: str) -> int:
    """The bead version the page showed; without it a stale edit could not be detected."""
    value = value.strip()
    if not value.isascii() or not value.isdigit():
        raise InvalidRequest(f"version must be a whole number, not '{value}'")
    return int(value)
