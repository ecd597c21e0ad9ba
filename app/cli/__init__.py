"""The ``alinea`` command: import, align, export, serve, and the demo.

Commands are thin: they parse arguments, call ``app.services`` and report. Every problem
with the user's input ends in a one-line error on stderr, a non-zero exit, and nothing
written.

Each module of this package holds one group of commands and adds them to the root group
with its ``register(group)``; the modules share ``app.cli.common`` and never import this
one.
"""

from __future__ import annotations

import os

import click

from app import __version__
from app.cli import (
    accounts,
    align,
    batch,
    compare,
    database,
    demo,
    documents,
    evaluation,
    export,
    jobs,
    qa,
    serve,
)
from app.cli.common import Context
from app.config import Settings, SettingsError
from app.errors import AlineaError


@click.group()
@click.version_option(__version__, prog_name="alinea")
@click.option(
    "--database-url",
    envvar="DATABASE_URL",
    help="SQLAlchemy URL of the database (default: a SQLite file under ./instance).",
)
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """Align an original text with its translation, review the pairs, export them."""
    environ = {**os.environ, "DATABASE_URL": database_url} if database_url else None
    try:
        settings = Settings.from_env(environ)
    except (SettingsError, AlineaError) as error:
        raise click.ClickException(str(error)) from error
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    ctx.obj = Context(settings)
    ctx.call_on_close(ctx.obj.close)


# Each module adds its own commands (click lists them by name in --help).
for module in (
    accounts,
    align,
    batch,
    compare,
    database,
    demo,
    documents,
    evaluation,
    export,
    jobs,
    qa,
    serve,
):
    module.register(main)
