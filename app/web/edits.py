"""Changing an alignment: bead operations, status and notes, undo, redo and re-alignment.

Each request is one transaction and one history event. The page's script asks for JSON
(``Accept: application/json``) and gets the changed rows' new HTML to put in place (or,
for changes of many pairs or of the text, the location to reload); plain forms get a 303
redirect to the same place, so the page also works without JavaScript.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, current_app, flash, g, jsonify, redirect, request, url_for
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.wrappers import Response

from app.errors import InvalidRequest
from app.services import review as review_service
from app.services import text_review
from app.services.history import Outcome
from app.services.review import Operation
from app.store import models
from app.store.db import transaction
from app.store.queries import BeadPlace, locate_bead, page_of_position, resolve_text
from app.store.selection import BeadSelection, parse_status, parse_threshold
from app.web.access import authorise_alignment
from app.web.auth import actor_name
from app.web.database import db
from app.web.errors import sentence, wants_json
from app.web.fragments import page_state, render_rows
from app.web.urls import safe_next

bp = Blueprint("edits", __name__)

OPERATIONS = (
    "status",
    "note",
    "merge_next",
    "merge_previous",
    "split",
    "shift_up",
    "shift_down",
    "detach",
)


@bp.post("/alignments/<int:alignment_id>/operations")
def operation(alignment_id: int) -> Response:
    _keep_way_out(alignment_id)
    authorise_alignment(alignment_id, "reviewer")
    form = request.form
    # A button can send only one value: "shift_up target", "detach source first".
    name, *words = form.get("op", "").split() or [""]
    side = words[0] if words else form.get("side", "target").strip()
    end = words[1] if len(words) > 1 else form.get("end", "last").strip()
    if name not in OPERATIONS:
        raise InvalidRequest(f"there is no operation '{name}'")
    position = _required_int(form.get("position", ""), "position")
    version = _required_int(form.get("version", ""), "version")
    op = Operation(
        name=name,
        position=position,
        side=side,
        end=end,
        status=form.get("status", "").strip(),
        note=form.get("note", ""),
        src_cut=_optional_int(form.get("src_cut", ""), "src_cut"),
        tgt_cut=_optional_int(form.get("tgt_cut", ""), "tgt_cut"),
    )
    # The page's script shows the change first and asks for the new pairs' scores next.
    deferred = form.get("defer_scores") == "1" and wants_json()
    with transaction(_sessions()) as session:
        outcome = review_service.apply_operation(
            session, alignment_id, version, op, actor=actor_name(), score=not deferred
        )
    return _answer(alignment_id, outcome)


@bp.post("/alignments/<int:alignment_id>/scores")
def scores(alignment_id: int) -> Response:
    """Score the pairs the latest change made (the second step of a deferred operation)."""
    authorise_alignment(alignment_id, "reviewer")
    with transaction(_sessions()) as session:
        outcome = review_service.score_latest(session, alignment_id)
    if outcome is None:
        return jsonify(scored=False)
    session = db()
    alignment = session.get(models.Alignment, alignment_id)
    back = _back(alignment_id)
    return jsonify(
        scored=True,
        start=outcome.start,
        removed=outcome.removed,
        added=outcome.added,
        version=outcome.version,
        position=outcome.position,
        rows=render_rows(session, alignment, outcome.start, outcome.added, back, _search(back)),
        state=page_state(session, alignment),
    )


@bp.post("/alignments/<int:alignment_id>/segments/<side>/<int:segment>")
def segment_text(alignment_id: int, side: str, segment: int) -> Response:
    """Correct a segment's text: only for roles that may edit text."""
    _admit_text_edit(alignment_id)
    text = request.form.get("text")
    if text is None:
        raise InvalidRequest("the form did not send a text")
    return _text_edit(alignment_id, text_review.edit_segment_text, side, segment, text)


@bp.post("/alignments/<int:alignment_id>/segments/<side>/<int:segment>/split")
def segment_split(alignment_id: int, side: str, segment: int) -> Response:
    """Split a segment's text in two at a character offset: only for roles that may edit text."""
    _admit_text_edit(alignment_id)
    offset = _required_int(request.form.get("offset", ""), "offset")
    return _text_edit(alignment_id, text_review.split_segment_text, side, segment, offset)


@bp.post("/alignments/<int:alignment_id>/segments/<side>/<int:segment>/join")
def segment_join(alignment_id: int, side: str, segment: int) -> Response:
    """Join a segment with the next one of its document: only for roles that may edit text."""
    _admit_text_edit(alignment_id)
    return _text_edit(alignment_id, text_review.join_segment_text, side, segment)


def _admit_text_edit(alignment_id: int) -> None:
    _keep_way_out(alignment_id)
    authorise_alignment(alignment_id, "editor")


def _text_edit(alignment_id: int, change, *arguments) -> Response:
    """Apply the text correction ``change`` to the version the form was made from."""
    version = _required_int(request.form.get("version", ""), "version")
    with transaction(_sessions()) as session:
        outcome = change(session, alignment_id, version, *arguments, actor=actor_name())
    return _answer(alignment_id, outcome)


@bp.post("/alignments/<int:alignment_id>/undo")
def undo(alignment_id: int) -> Response:
    return _whole_alignment(alignment_id, review_service.undo)


@bp.post("/alignments/<int:alignment_id>/redo")
def redo(alignment_id: int) -> Response:
    return _whole_alignment(alignment_id, review_service.redo)


@bp.post("/alignments/<int:alignment_id>/realign")
def realign(alignment_id: int) -> Response:
    """Re-align the unconfirmed pairs as a background job; answers with the job's page."""
    from app.web.jobs import queue_realign

    _keep_way_out(alignment_id)
    authorise_alignment(alignment_id, "reviewer")
    version = _required_int(request.form.get("version", ""), "version")
    location = queue_realign(alignment_id, version, actor_name())
    if wants_json():
        return jsonify(location=location, summary="re-aligning in the background")
    return redirect(location, code=303)


@bp.post("/beads/<int:bead_id>/status")
def bead_status(bead_id: int) -> Response:
    place = _reviewable_bead(bead_id)
    status = parse_status(request.form.get("status", ""))
    if status is None:
        raise InvalidRequest("the form did not say which status to give the pair")
    return _bead_change(bead_id, place, "status", status=status.value)


@bp.post("/beads/<int:bead_id>/note")
def bead_note(bead_id: int) -> Response:
    place = _reviewable_bead(bead_id)
    note = request.form.get("note")
    if note is None:
        raise InvalidRequest("the form did not send a note")
    return _bead_change(bead_id, place, "note", note=note)


def _reviewable_bead(bead_id: int) -> BeadPlace:
    """Where the bead is, once the asker is known to be allowed to review it."""
    place = locate_bead(db(), bead_id)
    # Checked before anything names the bead's alignment: a non-member learns nothing.
    authorise_alignment(place.alignment_id, "reviewer", missing=f"there is no pair {bead_id}")
    _keep_way_out(place.alignment_id, place.position)
    return place


def _bead_change(bead_id: int, place: BeadPlace, name: str, **arguments: str) -> Response:
    version = _required_int(request.form.get("version", ""), "version")
    with transaction(_sessions()) as session:
        outcome = review_service.apply_to_bead(
            session, bead_id, version, name, actor=actor_name(), **arguments
        )
    return _answer(place.alignment_id, outcome)


def _whole_alignment(alignment_id: int, use_case) -> Response:
    _keep_way_out(alignment_id)
    authorise_alignment(alignment_id, "reviewer")
    version = _required_int(request.form.get("version", ""), "version")
    with transaction(_sessions()) as session:
        outcome = use_case(session, alignment_id, version, actor=actor_name())
    return _answer(alignment_id, outcome)


@bp.post("/alignments/<int:alignment_id>/confirm")
def confirm_many(alignment_id: int) -> Response:
    """Confirm every unreviewed pair above a similarity, or up to a pair, as one event."""
    _keep_way_out(alignment_id)
    authorise_alignment(alignment_id, "reviewer")
    version = _required_int(request.form.get("version", ""), "version")
    through = _optional_int(request.form.get("through", ""), "through")
    threshold = parse_threshold(request.form.get("min_similarity", ""), "min_similarity")
    with transaction(_sessions()) as session:
        outcome = review_service.confirm_many(
            session,
            alignment_id,
            version,
            min_similarity=threshold,
            through=through,
            actor=actor_name(),
        )
    return _answer(alignment_id, outcome, in_place=False)


def _answer(alignment_id: int, outcome: Outcome, in_place: bool = True) -> Response:
    """Where to go next; for the page's script, also the changed rows' new HTML (when the
    change was to a few beads) so that it can update the page in place."""
    location = _location(alignment_id, outcome.position)
    if not wants_json():
        # Without the script, the page says what was done (undo: what it undid) on arrival.
        flash(sentence(outcome.summary))
        return redirect(location, code=303)
    body: dict = {
        "location": location,
        "version": outcome.version,
        "summary": outcome.summary,
        "position": outcome.position,
    }
    session = db()
    alignment = session.get(models.Alignment, alignment_id)
    if alignment is not None:
        body["state"] = page_state(session, alignment)
        body["scores_url"] = url_for("edits.scores", alignment_id=alignment_id)
        if in_place and outcome.start is not None:
            back = _back(alignment_id)
            body.update(
                start=outcome.start,
                removed=outcome.removed,
                added=outcome.added,
                rows=render_rows(
                    session, alignment, outcome.start, outcome.added, back, _search(back)
                ),
            )
    return jsonify(body)


def _back(alignment_id: int) -> str:
    return safe_next(request.form.get("next")) or url_for(
        "review.alignment", alignment_id=alignment_id
    )


def _search(back: str) -> str:
    """The text the page the form came from searches for, to highlight it in new rows."""
    return dict(parse_qsl(urlsplit(back).query)).get("q", "").strip()[:200]


def _location(alignment_id: int, position: int) -> str:
    """The page the form came from (filter and order kept), at the page showing ``position``."""
    back = _back(alignment_id)
    args = {k: v for k, v in parse_qsl(urlsplit(back).query) if k not in ("page", "notice")}
    try:
        bead_filter = BeadSelection.from_args(args)
    except InvalidRequest:
        bead_filter = BeadSelection()
    session = db()
    alignment = session.get(models.Alignment, alignment_id)
    if alignment is None:
        return url_for("review.index")
    bead_filter = resolve_text(session, alignment, bead_filter)
    page = page_of_position(session, alignment, bead_filter, position)
    extra = {"page": page} if page > 1 else {}
    url = url_for("review.alignment", alignment_id=alignment_id, **bead_filter.as_args(), **extra)
    return f"{url}#bead-{position}"


def _keep_way_out(alignment_id: int, position: int | None = None) -> None:
    """The error pages' way out: the page the form came from, before anything can fail."""
    page = safe_next(request.form.get("next")) or url_for(
        "review.alignment", alignment_id=alignment_id
    )
    g.way_out = (page if position is None else f"{page}#bead-{position}", "Reload the page")


def _sessions() -> sessionmaker[Session]:
    return current_app.extensions["alinea.sessions"]


def _required_int(value: str, name: str) -> int:
    number = _optional_int(value, name)
    if number is None:
        raise InvalidRequest(f"{name} must be a whole number, not ''")
    return number


def _optional_int(value: str, name: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise InvalidRequest(f"{name} must be a whole number, not '{value}'")
    return int(value)
