"""Downloading an alignment's pairs as a TMX or TSV file, streamed as it is written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

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

import app as alinea
from app import services
from app.errors import InvalidRequest
from app.formats import Exporter, ExportMeta, get_exporter
from app.segments import BeadStatus
from app.services.exchange import ExportFilter, iter_export_pairs
from app.web.access import authorise_project
from app.web.database import db
from app.web.queries import parse_threshold

bp = Blueprint("exports", __name__)

# The export form's choices; rejected pairs are never exported.
SELECTIONS: dict[str, ExportFilter] = {
    "all": ExportFilter(),
    "confirmed": ExportFilter(statuses=frozenset({BeadStatus.CONFIRMED})),
}


@bp.get("/alignments/<int:alignment_id>/export")
def export(alignment_id: int) -> Response:
    session = db()
    # Looked up before streaming starts, so a missing alignment is still a 404 page.
    alignment = services.get_alignment(session, alignment_id)
    authorise_project(alignment.project_id, "viewer", f"there is no alignment {alignment_id}")
    g.way_out = (url_for("review.alignment", alignment_id=alignment.id), "Back to the alignment")
    one_sided = request.args.get("one_sided", "") == "1"
    exporter = _exporter(request.args.get("format", "tmx"), one_sided)
    selection = replace(
        _selection(request.args.get("selection", "all"), request.args.get("min_similarity", "")),
        # The alignment's own level: a sentence view exports sentence pairs.
        level=alignment.level,
        one_sided=one_sided,
    )
    chunks = stream_export(
        _sessions(),
        alignment.id,
        selection,
        exporter,
        services.export_meta(alignment, alinea.__version__, datetime.now(UTC)),
    )
    response = Response(
        stream_with_context(chunks), content_type=f"{exporter.media_type}; charset=utf-8"
    )
    filename = f"alinea-{alignment.id}{exporter.extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def stream_export(
    sessions: sessionmaker[Session],
    alignment_id: int,
    selection: ExportFilter,
    exporter: Exporter,
    meta: ExportMeta,
) -> Iterator[str]:
    """Yield the export file's chunks, reading the pairs with a session of its own.

    The request's session is closed when the view returns, before the first chunk is
    sent; this one lives exactly as long as the stream, and is closed even when the
    client goes away halfway (the server then closes the generator).
    """
    with sessions() as session:
        alignment = services.get_alignment(session, alignment_id)
        # The level-aware reader: segment texts are taken at the alignment's own level.
        pairs = iter_export_pairs(session, alignment, selection)
        yield from exporter.iter_chunks(pairs, meta)


def _sessions() -> sessionmaker[Session]:
    return current_app.extensions["alinea.sessions"]


def _exporter(name: str, one_sided: bool = False) -> Exporter:
    settings = current_app.config["ALINEA_SETTINGS"]
    try:
        # Options a format does not take are left out by get_exporter.
        return get_exporter(
            name.strip(), one_sided=one_sided, formula_guard=settings.csv_formula_guard
        )
    except ValueError as error:
        raise InvalidRequest(str(error)) from None


def _selection(name: str, min_similarity: str) -> ExportFilter:
    try:
        selection = SELECTIONS[name.strip()]
    except KeyError:
        choices = ", ".join(SELECTIONS)
        raise InvalidRequest(f"selection must be one of {choices}, not '{name}'") from None
    return replace(selection, min_similarity=parse_threshold(min_similarity, "min_similarity"))
