"""Administration pages: users and projects, for site administrators only.

Every change is a POST form with the CSRF token, answered by a redirect to the page it came
from (303) with a notice, or by that page again with the reason and status 400.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response

from app.errors import AlineaError, InvalidRequest, NotFound
from app.store import accounts
from app.store.db import transaction
from app.web.auth import principal
from app.web.database import db
from app.web.errors import sentence

bp = Blueprint("admin", __name__, url_prefix="/admin")

ROLE_CHOICES = (*accounts.ROLES, accounts.ADMIN)


@bp.before_request
def _only_administrators() -> None:
    asker = principal()
    if asker.single_user:
        abort(
            403,
            description="There are no accounts yet, so there is nothing to administer here. "
            "Create the first administrator on the server with "
            "`alinea user add NAME --role admin`, then log in.",
        )
    if not asker.is_admin:
        abort(403, description="Only administrators manage users and projects.")
    g.way_out = (url_for("admin.users"), "Back to the users")


@bp.get("")
def home() -> Response:
    return redirect(url_for("admin.users"))


@bp.get("/users")
def users(error: str | None = None, status: int = 200) -> tuple[str, int]:
    session = db()
    listed = accounts.list_users(session)
    memberships = {user.id: [(m.project.name, m.role) for m in user.memberships] for user in listed}
    page = render_template(
        "admin_users.html",
        users=listed,
        memberships=memberships,
        projects=accounts.list_projects(session),
        roles=ROLE_CHOICES,
        error=error,
        form=request.form if error else {},
        me=principal().user,
    )
    return page, status


@bp.post("/users")
def add_user() -> Response | tuple[str, int]:
    form = request.form
    try:
        with transaction(_sessions()) as session:
            role = accounts.check_role(form.get("role", ""), ROLE_CHOICES)
            user = accounts.create_user(
                session, form.get("name", ""), form.get("password", ""), role == accounts.ADMIN
            )
            if role != accounts.ADMIN:
                project = accounts.get_project(session, form.get("project", "default"))
                accounts.set_membership(session, project, user, role)
            name = user.name
    except AlineaError as error:
        return users(error=_sentence(error), status=400)
    flash(f"Created the user {name}.")
    return redirect(url_for("admin.users"), code=303)


@bp.post("/users/<int:user_id>")
def change_user(user_id: int) -> Response | tuple[str, int]:
    """One change to an account: ``action`` is password, admin, active."""
    form = request.form
    action = form.get("action", "")
    me = principal().user
    try:
        with transaction(_sessions()) as session:
            user = session.get(accounts.User, user_id)
            if user is None:
                abort(404, description=f"There is no user {user_id}.")
            if action == "password":
                user.set_password(form.get("password", ""))
                message = f"Changed the password of {user.name}; their sessions have ended."
            elif action in ("admin", "active"):
                value = form.get("value") == "1"
                if me is not None and user.id == me.id and not value:
                    raise InvalidRequest(
                        "you cannot take away your own administrator rights or account; "
                        "another administrator can"
                    )
                if action == "admin":
                    user.is_admin = value
                    message = f"{user.name} is {'now' if value else 'no longer'} an administrator."
                else:
                    accounts.set_active(user, value)
                    message = f"{user.name}'s account is {'enabled' if value else 'disabled'}."
            else:
                raise InvalidRequest(f"there is no action '{action}'")
    except AlineaError as error:
        return users(error=_sentence(error), status=400)
    flash(message)
    return redirect(url_for("admin.users"), code=303)


@bp.get("/projects")
def projects(error: str | None = None, status: int = 200) -> tuple[str, int]:
    session = db()
    listed = [
        (project, len(accounts.members(session, project)))
        for project in accounts.list_projects(session)
    ]
    page = render_template(
        "admin_projects.html",
        projects=listed,
        error=error,
        form=request.form if error else {},
    )
    return page, status


@bp.post("/projects")
def add_project() -> Response | tuple[str, int]:
    try:
        with transaction(_sessions()) as session:
            project = accounts.create_project(
                session, request.form.get("name", ""), request.form.get("title", "")
            )
            name = project.name
    except AlineaError as error:
        return projects(error=_sentence(error), status=400)
    flash(f"Created the project {name}.")
    return redirect(url_for("admin.project", name=name), code=303)


@bp.get("/projects/<name>")
def project(name: str, error: str | None = None, status: int = 200) -> tuple[str, int]:
    session = db()
    chosen = accounts.get_project(session, name)
    g.way_out = (url_for("admin.project", name=chosen.name), "Back to the project")
    page = render_template(
        "admin_project.html",
        project=chosen,
        members=accounts.members(session, chosen),
        users=accounts.list_users(session),
        roles=accounts.ROLES,
        error=error,
    )
    return page, status


@bp.post("/projects/<name>/members")
def set_member(name: str) -> Response | tuple[str, int]:
    try:
        with transaction(_sessions()) as session:
            chosen = accounts.get_project(session, name)
            user = accounts.get_user(session, request.form.get("user", ""))
            role = accounts.set_membership(session, chosen, user, request.form.get("role", ""))
            message = f"{user.name} is a {role.role} of {chosen.name}."
    except AlineaError as error:
        return project(name, error=_sentence(error), status=400)
    flash(message)
    return redirect(url_for("admin.project", name=name), code=303)


@bp.post("/projects/<name>/members/<int:user_id>/remove")
def remove_member(name: str, user_id: int) -> Response | tuple[str, int]:
    try:
        with transaction(_sessions()) as session:
            chosen = accounts.get_project(session, name)
            user = session.get(accounts.User, user_id)
            if user is None:
                raise NotFound(f"there is no user {user_id}")
            accounts.remove_membership(session, chosen, user)
            message = f"{user.name} is no longer a member of {chosen.name}."
    except AlineaError as error:
        return project(name, error=_sentence(error), status=400)
    flash(message)
    return redirect(url_for("admin.project", name=name), code=303)


def _sessions():
    return current_app.extensions["alinea.sessions"]


def _sentence(error: AlineaError) -> str:
    return sentence(str(error))
