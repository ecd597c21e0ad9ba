"""Accounts: users, projects and who may do what in each project.

A project groups documents and alignments. A user sees a project's work only as a member of
it, with one role:

- ``viewer``: reads the alignments and exports them;
- ``reviewer``: also edits the alignments (confirm, reject, notes, merge, split, undo...);
- ``editor``: a reviewer who may also correct the documents' text.

A site-wide administrator (``User.is_admin``) manages users and projects and has the
editor's rights in every project.

Documents and alignments whose ``project_id`` is NULL belong to the default project (named
``default``, created by the migration): everything imported before accounts existed, and
whatever is imported without naming a project.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection

from sqlalchemy import (
    Boolean,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    false,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.errors import InvalidRequest, NotFound
from app.store.base import Base, created, intpk

DEFAULT_PROJECT = "default"

# Project roles, weakest first: each may do everything the ones before it may.
ROLES = ("viewer", "reviewer", "editor")
# What ``alinea user add --role`` accepts: a project role, or the site-wide administrator.
ADMIN = "admin"

MIN_PASSWORD_LENGTH = 8
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")

# werkzeug's default (scrypt, n=2^15): about 0.1 s and 32 MB per hash, which is the point.
# Tests lower it to keep hundreds of accounts cheap.
PASSWORD_METHOD = "scrypt"


def role_rank(role: str) -> int:
    return ROLES.index(role)


def at_least(role: str | None, needed: str) -> bool:
    """Whether ``role`` allows what ``needed`` allows; None (no role) allows nothing."""
    return role is not None and role_rank(role) >= role_rank(needed)


class User(Base):
    __tablename__ = "users"

    id: Mapped[intpk]
    # Lower case, unique: the name people log in with and the one the history shows.
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the session's user id: replaced when the password changes, the account is
    # disabled or the user logs out, which ends every session opened before.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(16))
    created_at: Mapped[created]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        check_password(password)
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
        self.session_token = secrets.token_hex(16)

    def verify_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[created]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )

    @property
    def is_default(self) -> bool:
        return self.name == DEFAULT_PROJECT

    @property
    def label(self) -> str:
        return self.title or self.name


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[created]

    project: Mapped[Project] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")


# Checks ----------------------------------------------------------------------------------


def check_name(name: str, what: str = "user") -> str:
    """The name in its stored form (lower case), or InvalidRequest saying what is allowed."""
    normalised = name.strip().lower()
    if not NAME_PATTERN.fullmatch(normalised):
        raise InvalidRequest(
            f"'{name}' is not a valid {what} name: use 1 to 64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return normalised


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidRequest(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def check_role(role: str, allowed: Collection[str] = ROLES) -> str:
    role = role.strip().lower()
    if role not in allowed:
        raise InvalidRequest(f"role must be one of {', '.join(allowed)}, not '{role}'")
    return role


# Use cases -------------------------------------------------------------------------------


def any_user(session: Session) -> bool:
    return session.scalar(select(User.id).limit(1)) is not None


def user_exists(session: Session, name: str) -> bool:
    return session.scalar(select(User.id).where(User.name == name.strip().lower())) is not None


def get_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name.strip().lower()))
    if user is None:
        raise NotFound(f"there is no user '{name}'")
    return user


def get_project(session: Session, name: str) -> Project:
    project = session.scalar(select(Project).where(Project.name == name.strip().lower()))
    if project is None:
        raise NotFound(f"there is no project '{name}'; create it with `alinea project add {name}`")
    return project


def default_project(session: Session) -> Project:
    return get_project(session, DEFAULT_PROJECT)


def create_user(session: Session, name: str, password: str, is_admin: bool = False) -> User:
    name = check_name(name)
    if user_exists(session, name):
        raise InvalidRequest(f"there is already a user '{name}'")
    user = User(name=name, is_admin=is_admin, active=True)
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def create_project(session: Session, name: str, title: str = "") -> Project:
    name = check_name(name, "project")
    if session.scalar(select(Project.id).where(Project.name == name)) is not None:
        raise InvalidRequest(f"there is already a project '{name}'")
    project = Project(name=name, title=title.strip()[:200])
    session.add(project)
    session.flush()
    return project


def set_membership(session: Session, project: Project, user: User, role: str) -> Membership:
    """Make ``user`` a member of ``project`` with ``role``, or change the role they have."""
    role = check_role(role)
    membership = session.scalar(
        select(Membership).where(Membership.project_id == project.id, Membership.user_id == user.id)
    )
    if membership is None:
        membership = Membership(project_id=project.id, user_id=user.id, role=role)
        session.add(membership)
    else:
        membership.role = role
    session.flush()
    return membership


def remove_membership(session: Session, project: Project, user: User) -> None:
    membership = session.scalar(
        select(Membership).where(Membership.project_id == project.id, Membership.user_id == user.id)
    )
    if membership is None:
        raise NotFound(f"'{user.name}' is not a member of project '{project.name}'")
    session.delete(membership)
    session.flush()


def set_active(user: User, active: bool) -> None:
    user.active = active
    # A disabled account's open sessions end at once.
    end_sessions(user)


def end_sessions(user: User) -> None:
    """End every session the user has open, in every browser: their cookies name the old token."""
    user.session_token = secrets.token_hex(16)


# A hash to check a password against when the name is unknown, so that a wrong name takes
# as long as a wrong password and the answer's timing does not tell which it was.
_DUMMY_HASH: dict[str, str] = {}


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, or None, in the same time either way."""
    user = session.scalar(select(User).where(User.name == name.strip().lower()))
    if user is None or not user.active:
        if PASSWORD_METHOD not in _DUMMY_HASH:
            _DUMMY_HASH[PASSWORD_METHOD] = generate_password_hash(
                secrets.token_hex(8), method=PASSWORD_METHOD
            )
        check_password_hash(_DUMMY_HASH[PASSWORD_METHOD], password)
        return None
    return user if user.verify_password(password) else None


def roles_of(session: Session, user: User) -> dict[int, str]:
    """The user's role in each project they are a member of, by project id."""
    rows = session.execute(
        select(Membership.project_id, Membership.role).where(Membership.user_id == user.id)
    )
    return {project_id: role for project_id, role in rows}


def project_condition(
    column, project_ids: Collection[int], default_id: int | None
) -> ColumnElement[bool]:
    """SQL: the row's project (``column``, NULL meaning the default project) is one of these."""
    conditions: list[ColumnElement[bool]] = []
    if project_ids:
        conditions.append(column.in_(sorted(project_ids)))
    if default_id is not None and default_id in project_ids:
        conditions.append(column.is_(None))
    return or_(*conditions) if conditions else false()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def list_projects(session: Session) -> list[Project]:
    return list(session.scalars(select(Project).order_by(Project.name)))


def members(session: Session, project: Project) -> list[tuple[User, str]]:
    rows = session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.project_id == project.id)
        .order_by(User.name)
    )
    return [(user, role) for user, role in rows]


class LoginFailure(Base):
    """One failed login, counted against the name tried and against the address it came
    from (``key`` is "name:<name>" or "address:<address>"), so that guessing passwords
    is slowed down across every server process sharing the database."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[created]


class KnownAddress(Base):
    """An address a user has logged in from: a right password from it passes even while the
    user's name is held up by failures from elsewhere (see app.services.logins)."""

    __tablename__ = "known_addresses"
    __table_args__ = (UniqueConstraint("user_id", "address"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(150))
    last_login_at: Mapped[created]
