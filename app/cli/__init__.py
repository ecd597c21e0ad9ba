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
from importlib import import_module

import click

from app import __version__
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


# The modules of commands, each adding its own to the root group (click lists them by name).
COMMAND_MODULES = ("accounts", "align", "batch", "compare", "database", "demo", "documents")
COMMAND_MODULES += ("evaluation", "export", "jobs", "qa", "serve")
for name in COMMAND_MODULES:
    import_module(f"{__name__}.{name}").register(main)
