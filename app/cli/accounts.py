"""``alinea user`` and ``alinea project``: accounts, projects and memberships from the shell.

The first administrator of a team server is made here (``alinea user add NAME --role
admin``); everything else can also be done in the administration pages.
"""

from __future__ import annotations

import sys

import click

from app.cli.common import Context, user_errors
from app.errors import InvalidRequest
from app.store import accounts
from app.store import db as store_db

ROLE_CHOICES = (*accounts.ROLES, accounts.ADMIN)


def _read_password(from_stdin: bool) -> str:
    """The new password: stdin's first line with --password-stdin, else asked twice."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise InvalidRequest("--password-stdin: standard input held no password")
    elif sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        raise InvalidRequest(
            "give the password on standard input with --password-stdin, or run in a terminal "
            "to be asked for it"
        )
    accounts.check_password(password)
    return password


PASSWORD_STDIN = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of asking for it.",
)


@click.group("user")
def user_group() -> None:
    """Manage user accounts. As soon as one exists, the web UI asks for a login."""


@user_group.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(ROLE_CHOICES),
    required=True,
    help="admin: manages users and projects, edits everything; otherwise the role in --project.",
)
@click.option(
    "--project",
    default=accounts.DEFAULT_PROJECT,
    show_default=True,
    help="The project a viewer, reviewer or editor is a member of.",
)
@PASSWORD_STDIN
@click.pass_obj
@user_errors
def user_add(obj: Context, name: str, role: str, project: str, password_stdin: bool) -> None:
    """Create the account NAME (lower case; letters, digits, '.', '_', '-')."""
    with store_db.transaction(obj.sessions()) as session:
        # Checked before asking for a password, so a typo costs nothing to type again.
        name = accounts.check_name(name)
        if accounts.user_exists(session, name):
            raise InvalidRequest(f"there is already a user '{name}'")
        chosen = None if role == accounts.ADMIN else accounts.get_project(session, project)
        user = accounts.create_user(
            session, name, _read_password(password_stdin), role == accounts.ADMIN
        )
        if chosen is not None:
            accounts.set_membership(session, chosen, user, role)
            click.echo(f"user {user.name}: {role} of project {chosen.name}", err=True)
        else:
            click.echo(f"user {user.name}: administrator", err=True)


@user_group.command("list")
@click.pass_obj
@user_errors
def user_list(obj: Context) -> None:
    """List the accounts with their projects and roles."""
    with obj.sessions()() as session:
        for user in accounts.list_users(session):
            roles = ", ".join(f"{m.project.name}:{m.role}" for m in user.memberships)
            flags = ["admin"] if user.is_admin else []
            flags += [] if user.active else ["disabled"]
            click.echo("\t".join([user.name, " ".join(flags) or "-", roles or "-"]))


@user_group.command("password")
@click.argument("name")
@PASSWORD_STDIN
@click.pass_obj
@user_errors
def user_password(obj: Context, name: str, password_stdin: bool) -> None:
    """Set NAME's password; their open sessions end."""
    with store_db.transaction(obj.sessions()) as session:
        user = accounts.get_user(session, name)
        user.set_password(_read_password(password_stdin))
    click.echo(f"user {user.name}: password changed", err=True)


@user_group.command("disable")
@click.argument("name")
@click.pass_obj
@user_errors
def user_disable(obj: Context, name: str) -> None:
    """Stop NAME from logging in (their sessions end); their history stays."""
    _set_active(obj, name, False)


@user_group.command("enable")
@click.argument("name")
@click.pass_obj
@user_errors
def user_enable(obj: Context, name: str) -> None:
    """Let a disabled NAME log in again."""
    _set_active(obj, name, True)


def _set_active(obj: Context, name: str, active: bool) -> None:
    with store_db.transaction(obj.sessions()) as session:
        user = accounts.get_user(session, name)
        accounts.set_active(user, active)
    click.echo(f"user {user.name}: {'enabled' if active else 'disabled'}", err=True)


@click.group("project")
def project_group() -> None:
    """Manage projects and who is a member of them."""


@project_group.command("add")
@click.argument("name")
@click.option("--title", default="", help="A longer name shown in the web UI.")
@click.pass_obj
@user_errors
def project_add(obj: Context, name: str, title: str) -> None:
    """Create the project NAME (lower case; letters, digits, '.', '_', '-')."""
    with store_db.transaction(obj.sessions()) as session:
        project = accounts.create_project(session, name, title)
    click.echo(f"project {project.name} created", err=True)


@project_group.command("list")
@click.pass_obj
@user_errors
def project_list(obj: Context) -> None:
    """List the projects and their members."""
    with obj.sessions()() as session:
        for project in accounts.list_projects(session):
            members = ", ".join(f"{u.name}:{r}" for u, r in accounts.members(session, project))
            click.echo("\t".join([project.name, project.title or "-", members or "-"]))


@project_group.group("member")
def member_group() -> None:
    """Add, change or remove a project's members."""


@member_group.command("add")
@click.argument("project")
@click.argument("user")
@click.argument("role", type=click.Choice(accounts.ROLES))
@click.pass_obj
@user_errors
def member_add(obj: Context, project: str, user: str, role: str) -> None:
    """Make USER a member of PROJECT with ROLE (or change the role they have)."""
    with store_db.transaction(obj.sessions()) as session:
        chosen = accounts.get_project(session, project)
        member = accounts.get_user(session, user)
        accounts.set_membership(session, chosen, member, role)
    click.echo(f"{member.name}: {role} of project {chosen.name}", err=True)


@member_group.command("remove")
@click.argument("project")
@click.argument("user")
@click.pass_obj
@user_errors
def member_remove(obj: Context, project: str, user: str) -> None:
    """Take USER out of PROJECT."""
    with store_db.transaction(obj.sessions()) as session:
        chosen = accounts.get_project(session, project)
        member = accounts.get_user(session, user)
        accounts.remove_membership(session, chosen, member)
    click.echo(f"{member.name}: no longer in project {chosen.name}", err=True)


def register(group: click.Group) -> None:
    group.add_command(user_group)
    group.add_command(project_group)
