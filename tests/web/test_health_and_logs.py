"""The health endpoint and the structured request logs."""

from __future__ import annotations

import io
import json
import logging

import pytest

from app.store import db as store_db
from app.web.logs import REQUEST_LOGGER, JsonFormatter, configure_logging

from .conftest import login


def test_healthz_says_ok_with_the_schema_revision(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.json["status"] == "ok"
    assert response.json["database"] == "ok"
    assert response.json["schema"] == store_db.head_revision()


def test_healthz_answers_without_a_login(client, team):
    assert client.get("/").status_code == 302  # the rest asks for a login
    assert client.get("/healthz").status_code == 200


def test_healthz_is_503_when_the_database_is_down(app):
    healthy = app.extensions["alinea.engine"]
    # Nothing listens on port 1: the connection is refused at once.
    app.extensions["alinea.engine"] = store_db.make_engine(
        "postgresql+psycopg://alinea@127.0.0.1:1/alinea?connect_timeout=2"
    )
    try:
        response = app.test_client().get("/healthz")
    finally:
        app.extensions["alinea.engine"].dispose()
        app.extensions["alinea.engine"] = healthy

    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["database"] == "unreachable"
    assert "password" not in json.dumps(response.json)


@pytest.fixture
def request_log():
    """The request log lines, as the JSON formatter writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(REQUEST_LOGGER)
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def test_every_request_is_one_json_line_with_method_path_status_duration_user(
    client, demo_alignment, request_log
):
    client.get(f"/alignments/{demo_alignment}?q=secret+search")
    client.get("/nowhere")

    first, second = request_log()
    assert first["method"] == "GET"
    assert first["path"] == f"/alignments/{demo_alignment}"  # the query stays out of the logs
    assert first["status"] == 200
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] > 0
    assert first["user"] == "local"
    assert first["level"] == "INFO" and first["logger"] == REQUEST_LOGGER
    assert "time" in first and "secret" not in json.dumps(first)
    assert (second["path"], second["status"]) == ("/nowhere", 404)


def test_the_request_log_names_the_logged_in_user(client, team, request_log):
    login(client, "rita")
    client.get(f"/alignments/{team.news_alignment}")

    lines = request_log()
    assert [(line["path"], line["user"]) for line in lines][-1] == (
        f"/alignments/{team.news_alignment}",
        "rita",
    )
    login_line = next(line for line in lines if line["method"] == "POST")
    assert (login_line["path"], login_line["status"]) == ("/login", 303)


def test_configure_logging_writes_json_lines_with_errors_and_their_traceback():
    stream = io.StringIO()
    handler = configure_logging("INFO", stream)
    try:
        logger = logging.getLogger("app.something")
        logger.info("hello", extra={"user": "ada"})
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logger.exception("failed")
    finally:
        root = logging.getLogger("app")
        root.removeHandler(handler)
        root.propagate = True
        root.setLevel(logging.NOTSET)

    hello, failed = (json.loads(line) for line in stream.getvalue().splitlines())
    assert (hello["message"], hello["user"], hello["level"]) == ("hello", "ada", "INFO")
    assert failed["level"] == "ERROR" and "RuntimeError: boom" in failed["exception"]
