"""The review UI: Flask blueprints, templates, CSRF protection and error pages."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from app.web.database import close_db

csrf = CSRFProtect()


def register(app: Flask) -> None:
    from app.web import edits, errors, exports, jobs, review

    csrf.init_app(app)
    app.teardown_appcontext(close_db)
    app.register_blueprint(review.bp)
    app.register_blueprint(edits.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(jobs.bp)
    errors.register(app)
