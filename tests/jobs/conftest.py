"""Fixtures for background jobs: a private queue on the real Redis, workers as processes.

Redis tests skip when no Redis answers at 127.0.0.1:6379 (or $ALINEA_TEST_REDIS), unless
ALINEA_REQUIRE_REDIS=1 (set by .ci/run), which turns the skip into a failure. Each test
session works on a queue of its own, removed afterwards, so runs never see each other's
jobs. Workers run as `alinea worker` processes against the same database file or server.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import RedisError

from app.config import JobSettings, Settings
from app.ingest import DEFAULT_LANGUAGES

REDIS_URL = os.environ.get("ALINEA_TEST_REDIS", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpora" / "dw-2025-02-17-mexico-border"
# The `alinea` command, run by this interpreter whatever the PATH.
ALINEA = [sys.executable, "-c", "from app.cli import main; main()"]

# Short enough that a killed worker is noticed within seconds in the tests.
HEARTBEAT = 0.5
STALE_AFTER = 4.0


@pytest.fixture(scope="session")
def redis_queue():
    """The name of a queue of this test session's own on the real Redis."""
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except RedisError as error:
        reason = f"Redis not reachable at {REDIS_URL}: {error}"
        if os.environ.get("ALINEA_REQUIRE_REDIS") == "1":
            pytest.fail(reason + " (ALINEA_REQUIRE_REDIS=1)")
        pytest.skip(reason)
    name = f"alinea-test-{uuid.uuid4().hex[:10]}"
    yield name
    _remove_queue(client, name)
    client.close()


def _remove_queue(client: Redis, name: str) -> None:
    """Delete the queue, its registries, its jobs and the records of its workers."""
    for key in client.scan_iter(match=f"rq:*{name}*"):
        client.delete(key)
    for key in client.scan_iter(match="rq:job:*"):
        if client.type(key) == b"hash" and client.hget(key, "origin") == name.encode():
            client.delete(key)
            client.delete(f"{key.decode()}:dependents")
    for key in client.scan_iter(match="rq:worker:*"):
        if client.type(key) == b"hash" and client.hget(key, "queues") == name.encode():
            client.delete(key)
            client.srem("rq:workers", key)
    for key in client.scan_iter(match="rq:results:*"):
        if not client.exists(f"rq:job:{key.decode().rsplit(':', 1)[-1]}"):
            client.delete(key)


def job_settings(queue: str, attempts: int = 2) -> JobSettings:
    return JobSettings(
        redis_url=REDIS_URL,
        queue=queue,
        attempts=attempts,
        heartbeat=HEARTBEAT,
        stale_after=STALE_AFTER,
        timeout=600,
    )


@pytest.fixture
def attempts() -> int:
    """How many times a job is tried when its worker dies; tests override it."""
    return 2


@pytest.fixture
def settings(database_url, tmp_path, redis_queue, attempts) -> Settings:
    return Settings(
        database_url=database_url,
        instance_path=tmp_path / "instance",
        languages=DEFAULT_LANGUAGES,
        jobs=job_settings(redis_queue, attempts),
    )


@pytest.fixture
def worker_env(settings) -> dict[str, str]:
    """The environment of an `alinea worker` process for this test."""
    jobs = settings.jobs
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "ALINEA_INSTANCE": str(settings.instance_path),
        "REDIS_URL": jobs.redis_url or "",
        "ALINEA_QUEUE": jobs.queue,
        "ALINEA_JOB_ATTEMPTS": str(jobs.attempts),
        "ALINEA_JOB_HEARTBEAT": str(jobs.heartbeat),
        "ALINEA_JOB_STALE_AFTER": str(jobs.stale_after),
    }


class Workers:
    """`alinea worker` processes started by a test, stopped at its end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs, self.processes, self._files = env, logs, [], []

    def start(self, *args: str) -> subprocess.Popen:
        log = (self.logs / f"worker-{len(self.processes)}.log").open("w")
        self._files.append(log)
        process = subprocess.Popen(
            [*ALINEA, "worker", *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        self.processes.append(process)
        return process

    def output(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.logs.glob("worker-*.log")))

    def exit_code(self, process: subprocess.Popen, timeout: float) -> int:
        """Wait for a burst worker to end; a worker still running after ``timeout`` seconds
        fails the test with the workers' logs and what its processes are waiting on."""
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            waiting = {pid: _wait_channel(pid) for pid in [process.pid, *children(process.pid)]}
            raise AssertionError(
                f"the worker still runs after {timeout} s; its processes wait in {waiting}\n"
                + self.output()
            ) from None

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                for child in children(process.pid):
                    kill(child)
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=30)
        for log in self._files:
            log.close()


@pytest.fixture
def workers(worker_env, tmp_path):
    started = Workers(worker_env, tmp_path)
    yield started
    started.stop_all()


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (a worker's work-horses)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _wait_channel(pid: int) -> str:
    """Where the kernel says process ``pid`` sleeps (its state and wait channel)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return f"{state} {Path(f'/proc/{pid}/wchan').read_text()}"
    except OSError:
        return "gone"


def kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def wait_for(condition, timeout: float = 240.0, interval: float = 0.1, what: str = "condition"):
    """Poll ``condition()`` until it returns something true; returns that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
