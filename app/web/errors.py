"""Error pages: every failure the reviewer can meet gets a page that says what to do next.

Never a traceback: unexpected errors are logged by Flask and shown as a plain 500 page.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    Flask,
    Response,
    current_app,
    g,
    has_request_context,
    jsonify,
    render_template,
    request,
)
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from app import errors as alinea_errors
from app.web import security
from app.web.urls import safe_next


@dataclass(frozen=True)
class ErrorPage:
    title: str
    message: str


# What the reviewer reads for each HTTP error Werkzeug raises with its stock description.
PAGES: dict[int, ErrorPage] = {
    400: ErrorPage("Bad request", "The request could not be understood."),
    401: ErrorPage(
        "Please log in",
        "You are not logged in, or your session has ended. Log in, then try again.",
    ),
    403: ErrorPage("Not allowed for your role", "Your role does not allow this change."),
    404: ErrorPage("Page not found", "There is nothing at this address."),
    405: ErrorPage(
        "Not allowed",
        "This address cannot be used that way; use the links and buttons on the pages.",
    ),
    409: ErrorPage(
        "Changed by someone else",
        "This pair was changed by someone else since the page was loaded. "
        "Reload the page to see the current state, then make your change again.",
    ),
    413: ErrorPage("Too large", "The upload is larger than the server accepts."),
    503: ErrorPage(
        "Not available now",
        "A service Alinea needs cannot be reached at the moment; try again later.",
    ),
    500: ErrorPage(
        "Something went wrong",
        "An unexpected error occurred and has been logged. "
        "If you were saving a change, it was not saved; try again.",
    ),
}

# The exceptions of the use cases, by the HTTP status that reports them.
DOMAIN_ERRORS: dict[type[alinea_errors.AlineaError], int] = {
    alinea_errors.InvalidRequest: 400,
    alinea_errors.NotFound: 404,
    alinea_errors.Conflict: 409,
    alinea_errors.Unavailable: 503,
}


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(InternalServerError, internal_error)
    app.register_error_handler(CSRFError, csrf_error)
    for error_class in DOMAIN_ERRORS:
        app.register_error_handler(error_class, domain_error)
    app.register_error_handler(alinea_errors.AlineaError, domain_error)
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(InterfaceError, database_unavailable)
    app.register_error_handler(DBAPIError, database_error)
    security.register(app)


def render_error(code: int, title: str, message: str) -> tuple[str | Response, int]:
    """The error page, or for the page's script (which asks for JSON) the message alone."""
    if wants_json():
        return jsonify(error=sentence(message), title=title), code
    way_out = _way_out(code)
    page = render_template(
        "error.html",
        code=code,
        title=title,
        message=sentence(message),
        way_out_url=way_out[0] if way_out else None,
        way_out_label=way_out[1] if way_out else None,
    )
    return page, code


def http_error(error: HTTPException) -> tuple[str | Response, int, dict[str, str]]:
    code = error.code or 500
    page = PAGES.get(code, ErrorPage(error.name, error.description or ""))
    # A description given when the error was raised says more than the stock one.
    custom = error.description and error.description != type(error).description
    message = error.description if custom else page.message
    if code == 413:
        message = _too_large_message()
    body, code = render_error(code, page.title, message or page.message)
    headers = {}
    if code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return body, code, headers


def internal_error(_error: InternalServerError) -> tuple[str | Response, int]:
    # Flask has already logged the original exception; its text stays out of the page.
    page = PAGES[500]
    return render_error(500, page.title, page.message)


DATABASE_DOWN = ErrorPage(
    "The database cannot be reached",
    "Alinea cannot reach its database just now, so nothing was shown or changed. "
    "Try again in a moment; if it lasts, the database server needs attention.",
)


def database_unavailable(error: DBAPIError) -> tuple[str | Response, int]:
    """The database server is down, unreachable, or its database gone: a 503, never a trace."""
    current_app.logger.error("database unavailable: %s", error)
    return render_error(503, DATABASE_DOWN.title, DATABASE_DOWN.message)


def database_error(error: DBAPIError) -> tuple[str | Response, int]:
    """Other database errors: a lost connection is a 503, anything else an ordinary 500."""
    if error.connection_invalidated:
        return database_unavailable(error)
    current_app.logger.exception("database error", exc_info=error)
    page = PAGES[500]
    return render_error(500, page.title, page.message)


def csrf_error(_error: CSRFError) -> tuple[str | Response, int]:
    return render_error(
        400,
        "The form has expired",
        "The form was sent without a valid security token, usually because it was loaded "
        "too long ago. Reload the page and try again; nothing was changed.",
    )


def domain_error(error: alinea_errors.AlineaError) -> tuple[str | Response, int]:
    code = next((code for cls, code in DOMAIN_ERRORS.items() if isinstance(error, cls)), 400)
    # The use cases' messages are written for the user (and the 409 one says to reload).
    return render_error(code, PAGES[code].title, str(error) or PAGES[code].message)


def wants_json() -> bool:
    if not has_request_context():
        return False
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _way_out(code: int) -> tuple[str, str] | None:
    """A link (address, label) that gets the reviewer going again, besides the home page.

    Views that know a better page than home set ``g.way_out`` before they can fail.
    """
    way_out = g.get("way_out")
    if way_out:
        return way_out
    # A form that failed before its view could say where it came from (e.g. a CSRF
    # error); reading the form of a request refused as too large would raise again.
    if request.method == "POST" and code != 413:
        try:
            back = safe_next(request.form.get("next"))
        except HTTPException:  # a form Werkzeug refuses to parse
            back = None
        if back:
            return back, "Reload the page"
    return None


def _too_large_message() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if not limit:
        return "The upload is larger than the server accepts."
    # Werkzeug also refuses oversized form fields, under a lower limit of their own.
    return (
        "The upload is larger than the server accepts: files may be up to "
        f"{limit / (1024 * 1024):g} MB, notes a few thousand characters."
    )


def sentence(message: str) -> str:
    """Return ``message`` as a sentence of its own.

    The use cases' messages start in lower case and end without a full stop, so that they
    read well after a prefix on the command line.
    """
    message = message.strip()
    if message and message[-1] not in ".!?":
        message += "."
    return message[:1].upper() + message[1:]
