"""Settings, read from the environment with defaults for a single user on a laptop."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from app.ingest.language import DEFAULT_LANGUAGES

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
            attempts=max(1, int(env.get("ALINEA_JOB_ATTEMPTS", "3"))),
            heartbeat=float(env.get("ALINEA_JOB_HEARTBEAT", "5")),
            stale_after=float(env.get("ALINEA_JOB_STALE_AFTER", "60")),
            timeout=int(env.get("ALINEA_JOB_TIMEOUT", str(6 * 3600))),
            run_inline=env.get("ALINEA_JOBS_INLINE", "") == "1",
        )


@dataclass(frozen=True)
class Settings:
    database_url: str
    instance_path: Path
    languages: tuple[str, ...]
    jobs: JobSettings = JobSettings()

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
            jobs=JobSettings.from_env(env),
        )


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
