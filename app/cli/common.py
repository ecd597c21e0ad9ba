"""What every command module shares: the context object, turning user errors into one line,
the --project option.

Command modules import these from here, never from ``app.cli``, which imports them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import click
from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.errors import AlineaError
from app.ingest import IngestError
from app.ingest.errors import one_line
from app.store import db as store_db


@dataclass
class Context:
    """What every command shares: the settings and, once needed, one database engine."""

    settings: Settings
    _engine: Engine | None = None
    _sessions: sessionmaker[Session] | None = None

    def sessions(self) -> sessionmaker[Session]:
        """Sessions on a database whose schema is up to date."""
        if self._sessions is None:
            engine = store_db.make_engine(self.settings.database_url)
            try:
                store_db.check_schema(engine)
            except BaseException:
                engine.dispose()
                raise
            self._engine, self._sessions = engine, store_db.make_session_factory(engine)
        return self._sessions

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = self._sessions = None


def user_errors(command):
    """Turn the errors a user can fix into one line on stderr and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (AlineaError, IngestError, store_db.SchemaOutdated) as error:
            raise click.ClickException(one_line(error, 1000)) from error
        except (OperationalError, InterfaceError) as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise click.ClickException(f"cannot use the database: {one_line(reason)}") from error
        except ArgumentError as error:
            # An unknown kind of database or a malformed DATABASE_URL.
            raise click.ClickException(f"cannot use the database: {one_line(error)}") from error
        except OSError as error:
            # A file that cannot be written: a full disk, a read-only folder, no permission.
            where = f"{error.filename}: " if error.filename else ""
            reason = error.strerror or one_line(error)
            message = f"{where}cannot read or write the file ({reason})"
            raise click.ClickException(message) from error

    return wrapper


PROJECT_OPTION = click.option(
    "--project",
    help="The project the documents and alignments go into (default: the default project).",
)


def project_id(obj: Context, name: str | None) -> int | None:
    """The id of the project named ``name`` (None for the default project); NotFound if none."""
    from app.store import accounts

    if name is None:
        return None
    with obj.sessions()() as session:
        project = accounts.get_project(session, name)
        return None if project.is_default else project.id
