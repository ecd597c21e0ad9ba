"""What the person asking may do: read, review or edit the text of a project's alignments.

A project's work is invisible to a non-member: asking for it is answered exactly as if it
did not exist (404, with the same message). A member whose role does not allow a change gets
403 with a message naming what the role allows.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.store import accounts, models
from app.store.queries import alignment_for_page
from app.web.auth import principal
from app.web.database import db

# Each role's 403 message for a change it may not make.
REFUSALS = {
    "viewer": "Your role in this project is viewer: you may read and export its alignments, "
    "not change them.",
    "reviewer": "Your role may review pairs but not change the documents' text; "
    "an editor of the project can.",
}


def authorise_project(project_id: int | None, needed: str, missing: str) -> str:
    """Return the role in the project, or refuse: NotFound(``missing``) or 403."""
    role = principal().role_in(project_id)
    if role is None:
        raise NotFound(missing)
    if not accounts.at_least(role, needed):
        abort(403, description=REFUSALS.get(role, "Your role does not allow this change."))
    return role


def authorise_alignment(alignment_id: int, needed: str = "viewer", missing: str = "") -> str:
    """Check the role for the alignment's project; NotFound when absent or not visible."""
    missing = missing or f"there is no alignment {alignment_id}"
    row = (
        db()
        .execute(select(models.Alignment.project_id).where(models.Alignment.id == alignment_id))
        .first()
    )
    if row is None:
        raise NotFound(missing)
    return authorise_project(row[0], needed, missing)


def readable_alignment(session: Session, alignment_id: int) -> models.Alignment:
    """The alignment for a page (see ``alignment_for_page``), if the asker may read it."""
    alignment = alignment_for_page(session, alignment_id)
    authorise_project(alignment.project_id, "viewer", f"there is no alignment {alignment_id}")
    return alignment


def may(project_id: int | None, needed: str) -> bool:
    return accounts.at_least(principal().role_in(project_id), needed)


def visible_projects(session: Session) -> list[tuple[accounts.Project, str]]:
    """The projects the asker sees, with their role in each, by name."""
    asker = principal()
    projects = accounts.list_projects(session)
    seen = [(project, asker.role_in(project.id)) for project in projects]
    return [(project, role) for project, role in seen if role is not None]


def visible(column) -> ColumnElement[bool]:
    """SQL: rows (documents, alignments) of projects the asker sees, by their project column."""
    asker = principal()
    if asker.sees_everything:
        return true()
    return accounts.project_condition(column, set(asker.roles), asker.default_project_id)
