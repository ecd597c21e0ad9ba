"""Settings, read from the environment with defaults for a single user on a laptop."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from app.errors import InvalidRequest
from app.ingest.language import DEFAULT_LANGUAGES
from app.ingest.text import MAX_BYTES


@dataclass(frozen=True)
class Settings:
    database_url: str
    instance_path: Path
    languages: tuple[str, ...]
    # Largest document file ``alinea import`` reads (ALINEA_MAX_IMPORT_MB); checked with stat()
    # before a byte is read.
    max_import_bytes: int = MAX_BYTES

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        instance = Path(env.get("ALINEA_INSTANCE", "instance")).resolve()
        url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'alinea.db'}"
        languages = tuple(
            code.strip().lower()
            for code in env.get("ALINEA_LANGUAGES", ",".join(DEFAULT_LANGUAGES)).split(",")
            if code.strip()
        )
        return cls(
            database_url=normalise_url(url),
            instance_path=instance,
            languages=languages,
            max_import_bytes=_megabytes(env.get("ALINEA_MAX_IMPORT_MB"), MAX_BYTES),
        )


def _megabytes(value: str | None, default: int) -> int:
    """A size given in (possibly fractional) megabytes, in bytes; the default when unset."""
    if not value or not value.strip():
        return default
    try:
        megabytes = float(value)
    except ValueError:
        raise InvalidRequest(
            f"ALINEA_MAX_IMPORT_MB must be a number of megabytes, not {value!r}"
        ) from None
    if not megabytes > 0:
        raise InvalidRequest(f"ALINEA_MAX_IMPORT_MB must be more than 0, not {value!r}")
    return int(megabytes * 1024 * 1024)


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key(instance: Path) -> str:
    """ALINEA_SECRET_KEY, or a random key kept in the instance folder across restarts."""
    if key := os.environ.get("ALINEA_SECRET_KEY"):
        return key
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
