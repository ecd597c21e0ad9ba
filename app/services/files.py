"""Writing the files a user asks for (exports, reports, glossaries) so that a file is either
complete or not there: each is written beside its place and renamed into it when done.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.errors import InvalidRequest, NotFound
from app.formats.registry import FileFormat
from app.ingest.errors import one_line


def write_atomically(path: Path, write) -> None:
    """Write to a temporary file beside ``path`` and rename it into place when complete."""
    directory = existing_folder(path)
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


def write_several(entry: FileFormat, pairs, meta, output: Path) -> tuple[int, str]:
    """Write the files of a format written as several (Moses: one per language), or a zip
    of them when ``output`` ends in .zip, atomically; returns the number of pairs written
    and what was written."""
    directory = existing_folder(output)
    try:
        if output.suffix == ".zip":
            descriptor, temporary = temporary_file(directory, output.name)
            try:
                with open(descriptor, "wb") as handle:
                    count = entry.write_zip(pairs, meta, handle, output.stem)
                os.replace(temporary, output)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            return count, str(output)
        with tempfile.TemporaryDirectory(dir=directory, prefix=f".{output.name}.") as folder:
            source, target, count = entry.write_files(pairs, meta, Path(folder), output.name)
            os.replace(source, directory / source.name)
            os.replace(target, directory / target.name)
    except OSError as error:
        raise not_written(output, error) from error
    return count, f"{directory / source.name} and {directory / target.name}"


def existing_folder(path: Path) -> Path:
    """The folder ``path`` goes in; NotFound when it does not exist."""
    directory = path.resolve().parent
    if not directory.is_dir():
        raise NotFound(f"{path}: the folder {directory} does not exist")
    return directory


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
