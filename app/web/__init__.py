"""The review UI: Flask blueprints, templates, accounts, CSRF protection and error pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from app.web.database import close_db
from app.web.urls import BoundedIntegerConverter

csrf = CSRFProtect()


def register(app: Flask) -> None:
    from app.web import admin, auth, compare, edits, errors, exports, health, jobs, logs, review

    # Before any route is added: every <int:...> id is bounded by what the database holds.
    app.url_map.converters["int"] = BoundedIntegerConverter
    logs.register(app)
    # Every POST, PUT, PATCH and DELETE needs the form's token, the login form included.
    csrf.init_app(app)
    auth.register(app)
    app.teardown_appcontext(close_db)
    app.register_blueprint(review.bp)
    app.register_blueprint(edits.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(jobs.bp)
    app.register_blueprint(compare.bp)
    errors.register(app)


def create_app(settings=None, **config: Any) -> Flask:
    """Build the web application.

    ``settings`` (app.config.Settings) default to the environment; keyword arguments
    override Flask configuration values, e.g. ``TESTING=True``.
    """
    from app.config import Settings, secret_key
    from app.store.db import check_schema, make_engine, make_session_factory

    settings = settings or Settings.from_env()
    # Named after the package, so templates/ and static/ are found beside it.
    app = Flask("app", instance_path=str(settings.instance_path))
    app.config.from_mapping(
        SECRET_KEY=secret_key(settings.instance_path),
        ALINEA_SETTINGS=settings,
        # Uploads larger than this are refused by Werkzeug before they are read.
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
        # The session cookie: never readable by scripts, not sent with cross-site posts,
        # only over HTTPS when the server is reached over HTTPS (ALINEA_HTTPS=1).
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
        SESSION_COOKIE_NAME="alinea_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
        PREFERRED_URL_SCHEME="https" if settings.https else "http",
        # Flask-Login's "remember me" cookie is not used; should it be, the same flags.
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.https,
    )
    app.config.update(config)
    if settings.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # X-Forwarded-For/-Proto/-Host from that many proxies are believed, no more.
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    # The schema belongs to the migrations: refuse to serve an outdated database
    # rather than fail on the first query.
    engine = make_engine(settings.database_url)
    check_schema(engine)
    app.extensions["alinea.engine"] = engine
    app.extensions["alinea.sessions"] = make_session_factory(engine)

    register(app)
    return app
