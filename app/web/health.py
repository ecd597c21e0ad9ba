"""The health endpoint for load balancers and monitors: is the database answering?"""

from __future__ import annotations

import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from werkzeug.wrappers import Response

import app as alinea

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """200 with {"status": "ok"} when the database answers, 503 with the reason when not.

    Public (no login) and cheap: one ``SELECT 1`` and the schema revision, on a connection of
    its own so a broken request session cannot hide a healthy database or the reverse.
    """
    engine = current_app.extensions["alinea.engine"]
    started = time.perf_counter()
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
        current_app.logger.warning("health check failed: %s", type(error).__name__)
        body = {
            "status": "unavailable",
            "database": "unreachable",
            "error": type(error).__name__,
            "version": alinea.__version__,
        }
        return jsonify(body), 503
    body = {
        "status": "ok",
        "database": "ok",
        "schema": revision,
        "database_ms": round((time.perf_counter() - started) * 1000, 1),
        "version": alinea.__version__,
    }
    return jsonify(body), 200
