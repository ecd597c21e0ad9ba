"""What every command module shares: turning user errors into one line, reading a
document given as a file or an id, writing a file atomically.

Command modules besides ``app.cli`` import these from here, never from ``app.cli``.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

import click
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError

from app.config import Settings
from app.errors import AlineaError, InvalidRequest, NotFound
from app.ingest import IngestError, LoadedDocument, load_document
from app.ingest.errors import one_line
from app.store import db as store_db


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


def resolve_document(
    sessions, reference: str, lang: str | None, settings: Settings
) -> LoadedDocument:
    """A document id already in the store, or a file to import."""
    from app import services

    path = Path(reference)
    if reference.isdigit() and not path.exists():
        with sessions() as session:
            return services.loaded_from_store(services.get_document(session, int(reference)))
    if not path.exists():
        raise NotFound(f"{reference}: no such file, and not a document id")
    return load_document(
        path,
        lang=lang,
        languages=settings.languages,
        max_bytes=settings.max_import_bytes,
        max_segments=settings.max_segments,
    )


def write_atomically(path: Path, write) -> None:
    """Write to a temporary file beside ``path`` and rename it into place when complete."""
    directory = path.resolve().parent
    if not directory.is_dir():
        raise NotFound(f"{path}: the folder {directory} does not exist")
    try:
        descriptor, temporary = temporary_file(directory, path.name)
    except OSError as error:
        raise not_written(path, error) from error
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as handle:
            write(handle)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise not_written(path, error) from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def temporary_file(directory: Path, name: str) -> tuple[int, str]:
    """Create a hidden temporary file for ``name`` in ``directory``; returns (descriptor, path).

    mkstemp makes the file readable by its owner only; a file written through it is given
    the permissions a plain new file gets (0666 less the umask), so that colleagues or a
    CAT server reading a shared folder can open the result.
    """
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.")
    try:
        os.fchmod(descriptor, 0o666 & ~_umask())
    except BaseException:
        os.close(descriptor)
        Path(temporary).unlink(missing_ok=True)
        raise
    return descriptor, temporary


def _umask() -> int:
    """Return the process's umask (it can only be read by setting it, so it is set back)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


def not_written(path: Path, error: OSError) -> InvalidRequest:
    """The error for a file that could not be written (disk full, no permission...)."""
    reason = error.strerror or one_line(error)
    return InvalidRequest(f"{path}: cannot write the file ({reason}); nothing was written")


def project_id(obj, name: str | None) -> int | None:
    """The id of the project named ``name`` (None for the default project); NotFound if none."""
    from app.store import accounts

    if name is None:
        return None
    with obj.sessions()() as session:
        project = accounts.get_project(session, name)
        return None if project.is_default else project.id
