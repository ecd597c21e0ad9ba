"""Settings, read from the environment with defaults for a single user on a laptop.

Every variable is listed in docs/deployment.md.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.ingest.document import MAX_SEGMENTS
from app.ingest.errors import IngestError
from app.ingest.language import DEFAULT_LANGUAGES, validate_language
from app.ingest.text import MAX_BYTES
from app.ingest.url import DEADLINE_SECONDS

# ALINEA_AUTH: "auto" (the default) asks for a login as soon as one account exists, and
# serves the single local user without one until then; "login" always asks for one.
AUTH_MODES = ("auto", "login")
LOCAL_ROLES = ("viewer", "reviewer", "editor")


class SettingsError(ValueError):
    """An environment variable holds a value Alinea cannot use."""


DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class JobSettings:
    """Background jobs: the Redis queue and how a job's worker is watched."""

    # None: no queue configured (REDIS_URL set to an empty string or "none").
    redis_url: str | None = DEFAULT_REDIS_URL
    queue: str = "alinea"
    # A job is tried this many times in all when its worker dies under it.
    attempts: int = 3
    # The running job's process stamps its row this often (seconds) ...
    heartbeat: float = 5.0
    # ... and a row not stamped for this long belongs to a dead worker.
    stale_after: float = 60.0
    # RQ stops a job that runs longer than this (seconds).
    timeout: int = 6 * 3600
    # Run jobs inside the web request when no queue is reachable (single user, small texts).
    run_inline: bool = False

    @classmethod
    def from_env(cls, env) -> JobSettings:
        redis_url = env.get("REDIS_URL", DEFAULT_REDIS_URL).strip()
        return cls(
            redis_url=None if redis_url.lower() in ("", "none") else redis_url,
            queue=env.get("ALINEA_QUEUE", "alinea"),
            attempts=_number(env, "ALINEA_JOB_ATTEMPTS", 3, minimum=1),
            heartbeat=_seconds(env, "ALINEA_JOB_HEARTBEAT", 5.0),
            stale_after=_seconds(env, "ALINEA_JOB_STALE_AFTER", 60.0),
            timeout=_number(env, "ALINEA_JOB_TIMEOUT", 6 * 3600, minimum=1),
            run_inline=_flag(env, "ALINEA_JOBS_INLINE"),
        )


@dataclass(frozen=True)
class Settings:
    database_url: str
    instance_path: Path
    languages: tuple[str, ...]
    auth: str = "auto"
    # The role of the single local user when nobody logs in (ALINEA_LOCAL_ROLE).
    local_role: str = "reviewer"
    # Served over HTTPS (directly or behind a proxy): cookies are sent only over HTTPS.
    https: bool = False
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host.
    trusted_proxies: int = 0
    session_hours: int = 12
    # Failed logins a name may have in 15 minutes before it must wait (0: no limit).
    login_limit: int = 10
    log_level: str = "INFO"
    jobs: JobSettings = JobSettings()
    # Largest document file ``alinea import`` reads (ALINEA_MAX_IMPORT_MB); checked with stat()
    # before a byte is read.
    max_import_bytes: int = MAX_BYTES
    # Most paragraphs and headings one imported document may have (ALINEA_MAX_SEGMENTS).
    max_segments: int = MAX_SEGMENTS
    # URL imports may reach this machine and private networks (ALINEA_URL_ALLOW_PRIVATE=1);
    # off, only public servers are contacted.
    url_allow_private: bool = False
    # Seconds a whole URL import may take, redirects included (ALINEA_URL_DEADLINE).
    url_deadline: float = DEADLINE_SECONDS
    # CSV and TSV exports put an apostrophe before cells a spreadsheet would run as formulas
    # (ALINEA_CSV_FORMULA_GUARD; on unless set to 0).
    csv_formula_guard: bool = True

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        instance = Path(env.get("ALINEA_INSTANCE", "instance")).resolve()
        url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'alinea.db'}"
        return cls(
            database_url=normalise_url(url),
            instance_path=instance,
            languages=_languages(env),
            auth=_choice(env, "ALINEA_AUTH", "auto", AUTH_MODES),
            local_role=_choice(env, "ALINEA_LOCAL_ROLE", "reviewer", LOCAL_ROLES),
            https=_flag(env, "ALINEA_HTTPS"),
            trusted_proxies=_number(env, "ALINEA_TRUSTED_PROXIES", 0),
            session_hours=_number(env, "ALINEA_SESSION_HOURS", 12, minimum=1),
            login_limit=_number(env, "ALINEA_LOGIN_LIMIT", 10),
            log_level=_choice(
                env, "ALINEA_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"), upper=True
            ),
            jobs=JobSettings.from_env(env),
            max_import_bytes=_megabytes(env, "ALINEA_MAX_IMPORT_MB", MAX_BYTES),
            max_segments=_number(env, "ALINEA_MAX_SEGMENTS", MAX_SEGMENTS, minimum=1),
            url_allow_private=_flag(env, "ALINEA_URL_ALLOW_PRIVATE"),
            url_deadline=_seconds(env, "ALINEA_URL_DEADLINE", DEADLINE_SECONDS),
            csv_formula_guard=_flag(env, "ALINEA_CSV_FORMULA_GUARD", default=True),
        )


def _choice(env, name: str, default: str, choices: tuple[str, ...], upper: bool = False) -> str:
    value = env.get(name, "").strip() or default
    value = value.upper() if upper else value.lower()
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, not '{value}'")
    return value


def _languages(env) -> tuple[str, ...]:
    """ALINEA_LANGUAGES: the languages detection chooses among; "all" (the default) means
    every language the detector knows."""
    value = env.get("ALINEA_LANGUAGES", "").strip()
    if value.lower() in ("", "all"):
        return DEFAULT_LANGUAGES
    codes = tuple(dict.fromkeys(code.strip().lower() for code in value.split(",") if code.strip()))
    if not codes:
        raise SettingsError("ALINEA_LANGUAGES must be 'all' or ISO 639-1 codes such as en,es,de")
    try:
        return tuple(validate_language(code) for code in codes)
    except IngestError as error:
        raise SettingsError(f"ALINEA_LANGUAGES: {error}") from None


def _flag(env, name: str, default: bool = False) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name} must be 1 or 0, not '{value}'")


def _number(env, name: str, default: int, minimum: int = 0) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < minimum:
        raise SettingsError(f"{name} must be a whole number of at least {minimum}, not '{value}'")
    return int(value)


def _positive(env, name: str, unit: str) -> float | None:
    """A number above 0 (``unit`` names it in the error), or None when unset."""
    value = env.get(name, "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not number > 0:
        raise SettingsError(f"{name} must be a number of {unit}, not '{value}'")
    return number


def _seconds(env, name: str, default: float) -> float:
    seconds = _positive(env, name, "seconds above 0")
    return default if seconds is None else seconds


def _megabytes(env, name: str, default: int) -> int:
    """A size given in (possibly fractional) megabytes, in bytes; the default when unset."""
    megabytes = _positive(env, name, "megabytes")
    return default if megabytes is None else int(megabytes * 1024 * 1024)


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
    # Several server processes may start at once: the key is written beside, then linked into
    # place, which fails if another process got there first; everyone then reads that one.
    descriptor, temporary = tempfile.mkstemp(dir=instance, prefix=".secret_key.")
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        os.chmod(temporary, 0o600)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return path.read_text().strip()
