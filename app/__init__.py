"""Alinea: align an original with its translation, review the pairs, export them."""

from __future__ import annotations

from typing import Any

from flask import Flask

__version__ = "0.1.0"


def create_app(settings=None, **config: Any) -> Flask:
    """Build the web application.

    ``settings`` (app.config.Settings) default to the environment; keyword arguments
    override Flask configuration values, e.g. ``TESTING=True``.
    """
    from app.config import Settings, secret_key
    from app.store.db import check_schema, make_engine, make_session_factory
    from app.web import register

    settings = settings or Settings.from_env()
    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.config.from_mapping(
        SECRET_KEY=secret_key(settings.instance_path),
        ALINEA_SETTINGS=settings,
        # Uploads larger than this are refused by Werkzeug before they are read.
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.config.update(config)

    # The schema belongs to the migrations: refuse to serve an outdated database
    # rather than fail on the first query.
    engine = make_engine(settings.database_url)
    check_schema(engine)
    app.extensions["alinea.engine"] = engine
    app.extensions["alinea.sessions"] = make_session_factory(engine)

    register(app)
    return app
