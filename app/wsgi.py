"""The WSGI entry point for a production server: ``gunicorn 'app.wsgi:app'``.

Settings come from the environment (see docs/deployment.md); logs go to stderr as JSON lines.
"""

from __future__ import annotations

from app.config import Settings
from app.web import create_app
from app.web.logs import configure_logging

settings = Settings.from_env()
configure_logging(settings.log_level)
app = create_app(settings)
