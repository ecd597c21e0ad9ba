"""Downloading an alignment's pairs in any export format, streamed as it is written.

The export form on the review page offers what ``alinea export`` offers: every format of
the format registry and the same filters (review status, level, QA flags and checks from
the check registry, similarity, one-sided pairs).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    request,
    stream_with_context,
    url_for,
)
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.datastructures import MultiDict

import app as alinea
from app import services
from app.errors import InvalidRequest
from app.formats import EXPORT_FORMATS, ExportMeta, FileFormat, check_format_name
from app.qa import check_descriptions, validate_check_names
from app.segments import BeadStatus
from app.services.exchange import EXPORTED, LEVELS, export_selection, iter_export_pairs
from app.store import models
from app.store.queries import sentence_level
from app.store.selection import BeadSelection, parse_threshold
from app.web.access import authorise_project
from app.web.database import db

bp = Blueprint("exports", __name__)

# The plain "Pairs" choice of earlier forms, still accepted in links people kept.
SELECTIONS: dict[str, frozenset[BeadStatus]] = {
    "all": EXPORTED,
    "confirmed": frozenset({BeadStatus.CONFIRMED}),
}
FLAGGED = {"": None, "yes": True, "no": False}
# Zip files of several-file formats are built on disk past this size, not in memory.
SPOOL_BYTES = 8 * 1024 * 1024


@bp.get("/alignments/<int:alignment_id>/export")
def export(alignment_id: int) -> Response:
    session = db()
    # Looked up before streaming starts, so a missing alignment is still a 404 page.
    alignment = services.get_alignment(session, alignment_id)
    authorise_project(alignment.project_id, "viewer", f"there is no alignment {alignment_id}")
    g.way_out = (url_for("review.alignment", alignment_id=alignment.id), "Back to the alignment")
    entry = _format(request.args.get("format", "tmx"))
    selection = parse_selection(request.args, alignment.level)
    meta = services.export_meta(alignment, alinea.__version__, datetime.now(UTC))
    if entry.write_zip is not None:
        # Written as several files: the download is the zip the registry entry writes.
        body: Any = _zip(_sessions(), alignment.id, selection, meta, entry)
    else:
        options = (
            {"one_sided": True} if selection.takes_one_sided and entry.supports_one_sided else {}
        )
        options["formula_guard"] = current_app.config["ALINEA_SETTINGS"].csv_formula_guard
        chunks = stream_export(
            _sessions(), alignment.id, selection, entry.new_exporter(**options), meta
        )
        body = stream_with_context(chunks)
    response = Response(body, content_type=entry.content_type)
    filename = f"alinea-{alignment.id}{entry.download}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def parse_selection(args: MultiDict, alignment_level: str) -> BeadSelection:
    """The export filter the form (or a link) asks for; InvalidRequest for a bad value."""
    return export_selection(
        statuses=_statuses(args),
        min_similarity=parse_threshold(args.get("min_similarity", ""), "min_similarity"),
        level=_level(args.get("level", ""), alignment_level),
        flagged=_flagged(args.get("flagged", "")),
        checks=_checks(args.getlist("check")),
        one_sided=args.get("one_sided", "") in ("1", "on", "yes"),
    )


def _statuses(args: MultiDict) -> frozenset[BeadStatus]:
    chosen = [value.strip() for value in args.getlist("status") if value.strip()]
    if chosen:
        try:
            return frozenset(BeadStatus(value) for value in chosen)
        except ValueError:
            names = ", ".join(status.value for status in BeadStatus)
            raise InvalidRequest(f"status must be among {names}") from None
    name = args.get("selection", "all").strip()
    if name not in SELECTIONS:
        choices = ", ".join(SELECTIONS)
        raise InvalidRequest(f"selection must be one of {choices}, not '{name}'")
    return SELECTIONS[name]


def _level(value: str, alignment_level: str) -> str:
    value = value.strip() or alignment_level
    if value not in LEVELS:
        raise InvalidRequest(f"level must be one of {', '.join(LEVELS)}, not '{value}'")
    return value


def _flagged(value: str) -> bool | None:
    try:
        return FLAGGED[value.strip()]
    except KeyError:
        raise InvalidRequest("flagged must be yes, no or empty") from None


def _checks(values: list[str]) -> frozenset[str]:
    try:
        return frozenset(validate_check_names([value.strip() for value in values if value]))
    except ValueError as error:
        raise InvalidRequest(str(error)) from None


def _format(name: str) -> FileFormat:
    try:
        return check_format_name(name.strip())
    except ValueError as error:
        raise InvalidRequest(str(error)) from None


def stream_export(
    sessions: sessionmaker[Session],
    alignment_id: int,
    selection: BeadSelection,
    exporter,
    meta: ExportMeta,
) -> Iterator[str]:
    """Yield the export file's chunks, reading the pairs with a session of its own.

    The request's session is closed when the view returns, before the first chunk is
    sent; this one lives exactly as long as the stream, and is closed even when the
    client goes away halfway (the server then closes the generator).
    """
    with sessions() as session:
        alignment = services.get_alignment(session, alignment_id)
        # The level-aware reader: segment texts are taken at the level asked for.
        pairs = iter_export_pairs(session, alignment, selection)
        yield from exporter.iter_chunks(pairs, meta)


def _zip(
    sessions: sessionmaker[Session],
    alignment_id: int,
    selection: BeadSelection,
    meta: ExportMeta,
    entry: FileFormat,
) -> Iterator[bytes]:
    """The zip of a format written as several files (Moses), built first (a zip is written
    whole), then sent."""
    # Closed by the generator below once sent, or here if writing fails.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        with sessions() as session:
            alignment = services.get_alignment(session, alignment_id)
            pairs = iter_export_pairs(session, alignment, selection)
            entry.write_zip(pairs, meta, spool, f"alinea-{alignment_id}")
        spool.seek(0)
    except BaseException:
        spool.close()
        raise

    def chunks() -> Iterator[bytes]:
        with spool:
            while block := spool.read(64 * 1024):
                yield block

    return chunks()


def _sessions() -> sessionmaker[Session]:
    return current_app.extensions["alinea.sessions"]


@bp.app_context_processor
def export_form() -> dict[str, Any]:
    """What the export form offers, taken from the registries."""
    return {
        "export_formats": sorted(EXPORT_FORMATS.values(), key=lambda entry: entry.title),
        "export_checks": check_descriptions(),
        "export_statuses": [status.value for status in BeadStatus],
        "export_default_statuses": {status.value for status in EXPORTED},
        "export_levels": _levels,
    }


def _levels(alignment: models.Alignment) -> list[str]:
    """The levels an alignment can be exported at: its own and the other one it has."""
    if alignment.parent_id is not None:
        return list(LEVELS)
    child = sentence_level(db(), alignment.id)
    return list(LEVELS) if child is not None else [alignment.level]
