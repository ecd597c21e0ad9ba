"""Pieces of the alignment page rendered on their own: the rows an edit changed.

The page's script replaces the changed rows in place with these, instead of loading the
whole page again (a 200-pair page is about a megabyte of HTML).
"""

from __future__ import annotations

from flask import render_template, url_for
from sqlalchemy.orm import Session

from app.services.history import undo_redo_available
from app.store import models
from app.store.beads import rows_from
from app.store.queries import review_progress, segment_texts
from app.web.access import may
from app.web.rows import bead_rows, covered_positions, format_score, url_pattern


def bead_urls(alignment_id: int) -> dict[str, str]:
    """The per-bead addresses of the page as patterns (see ``url_pattern``)."""
    return {
        "status": url_pattern("edits.bead_status", "bead_id"),
        "note": url_pattern("edits.bead_note", "bead_id"),
        "history": url_pattern("review.history", "position", alignment_id=alignment_id),
        "operation": url_for("edits.operation", alignment_id=alignment_id),
        "confirm_through": url_for("edits.confirm_many", alignment_id=alignment_id),
        "source_text": url_pattern(
            "edits.segment_text", "segment", alignment_id=alignment_id, side="source"
        ),
        "target_text": url_pattern(
            "edits.segment_text", "segment", alignment_id=alignment_id, side="target"
        ),
        **{
            f"{side}_{action}": url_pattern(
                f"edits.segment_{action}", "segment", alignment_id=alignment_id, side=side
            )
            for side in ("source", "target")
            for action in ("split", "join")
        },
    }


def row_context(alignment: models.Alignment, next_url: str, search: str = "") -> dict:
    """What ``_bead.html`` needs besides the row itself."""
    return {
        "alignment": alignment,
        "source": alignment.source,
        "target": alignment.target,
        "urls": bead_urls(alignment.id),
        "can_edit_text": may(alignment.project_id, "editor"),
        "can_review": may(alignment.project_id, "reviewer"),
        "next_url": next_url,
        "search": search,
    }


def render_rows(
    session: Session,
    alignment: models.Alignment,
    start: int,
    count: int,
    next_url: str,
    search: str = "",
) -> str:
    """The HTML of the beads at positions ``[start, start + count)``."""
    beads = rows_from(session, alignment.id, start, count) if count else []
    numbered = list(enumerate(beads, start=start))
    source_positions, target_positions = covered_positions(numbered)
    rows = bead_rows(
        numbered,
        segment_texts(session, alignment.source_id, alignment.level, source_positions),
        segment_texts(session, alignment.target_id, alignment.level, target_positions),
    )
    return render_template("_bead_rows.html", rows=rows, **row_context(alignment, next_url, search))


def page_state(session: Session, alignment: models.Alignment) -> dict:
    """The figures the page shows above the rows, after a change."""
    progress = review_progress(session, alignment.id)
    can_undo, can_redo = undo_redo_available(session, alignment.id)
    return {
        "confirmed": progress.confirmed,
        "rejected": progress.rejected,
        "total": progress.total,
        "mean_similarity": format_score(progress.mean_similarity),
        "can_undo": can_undo,
        "can_redo": can_redo,
    }
