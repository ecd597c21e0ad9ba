"""The job queue on Redis (RQ): connecting, checking, enqueueing."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from app.config import JobSettings
from app.errors import Unavailable

# The function a worker runs for every Alinea job, by name so that a worker imports it.
RUN_JOB = "app.jobs.run.run_job"


def display_url(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def connect(settings: JobSettings) -> Redis:
    """A client for the queue's Redis; raises Unavailable when none is configured."""
    if settings.redis_url is None:
        raise Unavailable(
            "background jobs are off: no job queue is configured (REDIS_URL is empty); "
            "set REDIS_URL to a Redis server and start `alinea worker`"
        )
    return Redis.from_url(settings.redis_url, socket_connect_timeout=3, socket_timeout=30)


def check(settings: JobSettings) -> Redis:
    """A client for the queue's Redis, after checking that it answers; raises Unavailable."""
    redis = connect(settings)
    try:
        redis.ping()
    except RedisError as error:
        raise Unavailable(
            f"background jobs are unavailable: cannot reach Redis at "
            f"{display_url(settings.redis_url or '')} ({error}); start Redis, or set "
            f"REDIS_URL to a reachable server"
        ) from error
    return redis


def unavailable_reason(settings: JobSettings) -> str | None:
    """Why jobs cannot be queued now, or None when the queue answers."""
    try:
        check(settings).close()
    except Unavailable as error:
        return str(error)
    return None


def enqueue(settings: JobSettings, job_id: int, redis: Redis | None = None) -> str:
    """Put job ``job_id`` on the queue; returns RQ's id for it. Raises Unavailable."""
    own = redis is None
    redis = redis or connect(settings)
    try:
        rq_job = Queue(settings.queue, connection=redis).enqueue(
            RUN_JOB,
            job_id,
            job_timeout=settings.timeout,
            # The row in the database keeps the outcome; RQ's copy is only for operators.
            result_ttl=24 * 3600,
            failure_ttl=7 * 24 * 3600,
            description=f"alinea job {job_id}",
        )
    except RedisError as error:
        raise Unavailable(
            f"could not queue job {job_id}: Redis at "
            f"{display_url(settings.redis_url or '')} did not answer ({error})"
        ) from error
    finally:
        if own:
            redis.close()
    return rq_job.id


def enqueuer(settings: JobSettings):
    """``enqueue`` on ``settings``' Redis, for ``app.services.jobs.reap``: called with a job's
    id and the name of its queue. None when no queue is configured."""
    if settings.redis_url is None:
        return None
    return lambda job_id, queue: enqueue(replace(settings, queue=queue), job_id)
