"""Who is asking: login and logout, sessions, and single-user mode.

The rule (``ALINEA_AUTH``):

- ``auto`` (the default): as long as no account exists, nobody logs in and the one local user
  has the role ``ALINEA_LOCAL_ROLE`` (reviewer unless set) on everything, as on a laptop.
  As soon as one account exists (``alinea user add``), every page asks for a login.
- ``login``: every page asks for a login, accounts or not.

Sessions are Flask's signed cookie (HttpOnly, SameSite=Lax, Secure with ALINEA_HTTPS=1),
managed by Flask-Login. The user id in the session carries the account's session token,
which changes with the password, when the account is disabled and when the user logs out:
that ends every session of the account, in every browser ("log out" is "log out
everywhere"; a cookie copied before the logout opens nothing after it). The session also
carries the time of the login, and ends ``ALINEA_SESSION_HOURS`` after it however often
it is used: the cookie's refresh on each request never extends it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.services import logins
from app.services.history import LOCAL_ACTOR
from app.store import accounts
from app.web.database import db
from app.web.errors import wants_json
from app.web.urls import safe_next

bp = Blueprint("auth", __name__)
login_manager = LoginManager()

# Endpoints anyone may reach without logging in.
PUBLIC_ENDPOINTS = frozenset({"static", "auth.login", "health.healthz"})

# The actor recorded in the history when nobody logs in.

WRONG_LOGIN = "The name or password is wrong."
TOO_MANY_LOGINS = "Too many failed logins: try again in {minutes} minute{s}."


class SessionUser(UserMixin):
    """The logged-in account as Flask-Login sees it: its id joined with its session token."""

    def __init__(self, user: accounts.User) -> None:
        self.user = user

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_token}"


# The session key holding the time of the login (seconds since the epoch).
LOGIN_TIME_KEY = "login_at"


@login_manager.user_loader
def load_user(session_id: str) -> SessionUser | None:
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token or not _within_lifetime():
        return None
    user = db().get(accounts.User, int(user_id))
    if user is None or not user.active or user.session_token != token:
        return None
    return SessionUser(user)


def _within_lifetime() -> bool:
    """Whether the session's login is less than ALINEA_SESSION_HOURS old.

    A session without a login time (made before the time was recorded) has ended too.
    """
    logged_in_at = session.get(LOGIN_TIME_KEY)
    if not isinstance(logged_in_at, (int, float)):
        return False
    hours = current_app.config["ALINEA_SETTINGS"].session_hours
    return 0 <= time.time() - logged_in_at < hours * 3600


@dataclass
class Principal:
    """Who is asking, and the role they have in each project.

    ``user`` is None in single-user mode: then ``local_role`` holds everywhere.
    """

    name: str
    user: accounts.User | None = None
    roles: dict[int, str] = field(default_factory=dict)
    local_role: str = "reviewer"
    default_project_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.user is not None and self.user.is_admin

    @property
    def single_user(self) -> bool:
        return self.user is None

    @property
    def sees_everything(self) -> bool:
        return self.user is None or self.user.is_admin

    def role_in(self, project_id: int | None) -> str | None:
        """The role in the project (None: the default project), or None for a non-member."""
        if self.user is None:
            return self.local_role
        if self.user.is_admin:
            return "editor"
        if project_id is None:
            project_id = self.default_project_id
        return self.roles.get(project_id) if project_id is not None else None


def principal() -> Principal:
    """Who is asking in this request (computed once)."""
    if "principal" not in g:
        g.principal = _principal()
    return g.principal


def _principal() -> Principal:
    settings = current_app.config["ALINEA_SETTINGS"]
    if not login_required():
        return Principal(name=LOCAL_ACTOR, local_role=settings.local_role)
    if not current_user.is_authenticated:
        # Only public pages get here; they need no role.
        return Principal(name="", user=None, local_role="")
    user = current_user.user
    return Principal(
        name=user.name,
        user=user,
        roles=accounts.roles_of(db(), user),
        default_project_id=default_project_id(),
    )


def default_project_id() -> int | None:
    """The default project's id, looked up once per process (it never changes)."""
    cached = current_app.extensions.get("alinea.default_project")
    if cached is None:
        cached = db().scalar(
            select(accounts.Project.id).where(accounts.Project.name == accounts.DEFAULT_PROJECT)
        )
        if cached is None:
            return None
        current_app.extensions["alinea.default_project"] = cached
    return cached


def login_required() -> bool:
    """Whether this server asks for a login (see the module's rule)."""
    if "login_required" in g:
        return g.login_required
    settings = current_app.config["ALINEA_SETTINGS"]
    required = settings.auth == "login" or current_app.extensions.get("alinea.accounts")
    if not required:
        # Checked on every request until the first account appears, then never again:
        # a server that has had accounts keeps asking for a login.
        required = accounts.any_user(db())
        if required:
            current_app.extensions["alinea.accounts"] = True
    g.login_required = bool(required)
    return g.login_required


def actor_name() -> str:
    """The name the history records for changes made in this request."""
    return principal().name or LOCAL_ACTOR


def require_login() -> Response | None:
    """Before every request: send a visitor who has not logged in to the login page."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not login_required() or current_user.is_authenticated:
        return None
    if request.method == "GET" and not wants_json():
        return redirect(url_for("auth.login", next=_here()))
    abort(401)


def _here() -> str:
    query = request.query_string.decode("utf-8", "replace")
    return request.path + (f"?{query}" if query else "")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    next_page = safe_next(request.values.get("next")) or url_for("review.index")
    if not login_required():
        return redirect(next_page)
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(next_page)
        return render_template("login.html", next_page=next_page, name="", error=None)
    name = request.form.get("name", "")
    password = request.form.get("password", "")
    limit = current_app.config["ALINEA_SETTINGS"].login_limit
    # Recorded before the password is checked, so that a burst of attempts cannot slip
    # past the limit between the count and the record.
    attempt = logins.start(db(), name, request.remote_addr, limit)
    if attempt.wait is not None:
        # Refused before the password is even checked, for names that exist or not.
        seconds = math.ceil(attempt.wait.total_seconds())
        minutes = max(1, math.ceil(seconds / 60))
        error = TOO_MANY_LOGINS.format(minutes=minutes, s="" if minutes == 1 else "s")
        page = render_template("login.html", next_page=next_page, name=name, error=error)
        return page, 429, {"Retry-After": str(seconds)}
    user = accounts.authenticate(db(), name, password) if name and password else None
    if user is None:
        current_app.logger.info("failed login", extra={"user": name.strip().lower()[:64]})
        logins.failed(db(), attempt)
        # One answer for an unknown name, a disabled account and a wrong password.
        page = render_template("login.html", next_page=next_page, name=name, error=WRONG_LOGIN)
        return page, 200
    logins.succeeded(db(), attempt, user)
    # A fresh session: nothing from before the login (a planted session id, an old CSRF
    # token) carries over into the logged-in one.
    session.clear()
    login_user(SessionUser(user))
    session[LOGIN_TIME_KEY] = int(time.time())
    session.permanent = True
    return redirect(next_page, code=303)


@bp.post("/logout")
def logout() -> Response:
    if login_required() and current_user.is_authenticated:
        # A new token ends this session and every copy of its cookie, wherever it is.
        accounts.end_sessions(current_user.user)
        db().commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login") if login_required() else url_for("review.index"), 303)


def register(app: Flask) -> None:
    login_manager.init_app(app)
    # Unauthenticated requests are answered by require_login; Flask-Login's own
    # redirection is not used.
    login_manager.session_protection = "basic"
    app.before_request(require_login)
    app.register_blueprint(bp)

    @app.context_processor
    def _accounts_context() -> dict[str, object]:
        # Templates show the account bar only when someone is logged in. An error page
        # rendered because the database is down must still render.
        try:
            if login_required() and current_user.is_authenticated:
                return {"account": current_user.user}
        except Exception:  # noqa: BLE001
            current_app.logger.warning("no account bar: the database did not answer")
        return {"account": None}
