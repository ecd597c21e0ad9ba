"""Response headers that keep the review pages from being sniffed, framed, injected into or
cached."""

from __future__ import annotations

from flask import Flask, abort, current_app, request
from werkzeug.wrappers import Response

# Everything the pages use comes from this site, and they use no inline script or style:
# any injected markup that slipped through escaping would have nothing to run.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "same-origin",
}


# Pages, exports and JSON show a project's text, or need a login, or both: no browser or proxy
# cache may keep them (a shared computer's cache would show them after the logout). Only
# the static files, the same for everyone, may be cached.
NO_STORE = "no-store"
CACHEABLE_ENDPOINTS = frozenset({"static"})


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        response.headers["Cache-Control"] = NO_STORE
    return response


def refuse_oversized_body() -> None:
    """Refuse a body over the cap before any view runs, even one that never reads its form
    (logout, undo): the cap then holds for every route, not only those that read uploads."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)


def register(app: Flask) -> None:
    app.before_request(refuse_oversized_body)
    app.after_request(add_security_headers)
