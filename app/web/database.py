"""One database session per request, closed when the request ends."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session


def db() -> Session:
    if "db" not in g:
        g.db = current_app.extensions["alinea.sessions"]()
    return g.db


def close_db(_exception: BaseException | None = None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()
