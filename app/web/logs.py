"""Structured logs: one JSON object per line, and one line per request.

The request line (logger ``app.requests``) carries the method, the path (without the query,
which may hold searched text), the status, the duration in milliseconds and the user
("local" in single-user mode, "" before logging in). Logging is set up by the process that
serves (``alinea serve``, ``app.wsgi`` under gunicorn) with ``configure_logging``; the
application only emits records, so tests and embedding programs keep their own handlers.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime

from flask import Flask, g, request
from werkzeug.wrappers import Response

REQUEST_LOGGER = "app.requests"

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time, level, logger, message, then the extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", stream=None) -> logging.Handler:
    """Send the application's logs (loggers under ``app``) to stderr as JSON lines."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("app")
    for old in [h for h in logger.handlers if getattr(h, "_alinea", False)]:
        logger.removeHandler(old)
    handler._alinea = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)
    # Flask's own handler would print the same records a second time, as plain text.
    logger.propagate = False
    return handler


def _start() -> None:
    g.request_started = time.perf_counter()


def _log(response: Response) -> Response:
    started = g.pop("request_started", None)
    if started is None:
        return response
    duration = (time.perf_counter() - started) * 1000
    logging.getLogger(REQUEST_LOGGER).info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(duration, 1),
            "user": _user(),
            "remote_addr": request.remote_addr,
        },
    )
    return response


def _user() -> str:
    """Who made the request, from what the request already looked up (no query of its own)."""
    asker = g.get("principal")
    if asker is not None:
        return asker.name
    logged_in = g.get("_login_user")  # Flask-Login's user, once loaded
    if logged_in is not None and getattr(logged_in, "is_authenticated", False):
        return logged_in.user.name
    if g.get("login_required") is False:
        return "local"
    return ""


def register(app: Flask) -> None:
    # First before every other hook, so the duration covers login and CSRF checks too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_log)
