"""The review UI: Flask blueprints, templates, accounts, CSRF protection and error pages."""

from __future__ import annotations

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
