"""``alinea db``: the database schema."""

from __future__ import annotations

import click

from app.cli.common import Context, user_errors
from app.store import db as store_db


@click.group("db")
def db_group() -> None:
    """Manage the database schema."""


@db_group.command("upgrade")
@click.pass_obj
@user_errors
def db_upgrade(obj: Context) -> None:
    """Create or update the schema by applying the migrations."""
    store_db.upgrade(obj.settings.database_url)
    click.echo(f"database at revision {store_db.head_revision()}", err=True)


def register(group: click.Group) -> None:
    group.add_command(db_group)
