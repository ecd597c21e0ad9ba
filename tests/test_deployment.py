"""The deployment path: gunicorn serves ``app.wsgi``, and every setting is documented."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_environment_variable_read_by_the_settings_is_documented():
    source = (ROOT / "app" / "config.py").read_text()
    guide = (ROOT / "docs" / "deployment.md").read_text()

    variables = set(re.findall(r'"((?:ALINEA|DATABASE|REDIS)_[A-Z_]+)"', source))

    assert {"DATABASE_URL", "ALINEA_AUTH", "ALINEA_SECRET_KEY"} <= variables
    undocumented = sorted(name for name in variables if f"| `{name}` |" not in guide)
    assert undocumented == []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(database_url, tmp_path):
    """gunicorn serving ``app.wsgi:app`` on the test database; yields (base URL, log path)."""
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ALINEA_INSTANCE": str(tmp_path / "instance"),
        "ALINEA_AUTH": "login",
    }
    command = [sys.executable, "-m", "gunicorn", "app.wsgi:app", "--bind", f"127.0.0.1:{port}"]
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if server.poll() is not None:
                pytest.fail(f"gunicorn stopped: {log.read_text()}")
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        yield base, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gunicorn_serves_the_health_check_and_logs_each_request_as_json(gunicorn):
    base, log = gunicorn

    with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
        health = json.load(response)
    with urllib.request.urlopen(f"{base}/", timeout=5) as response:
        landed = response.geturl()  # the redirect to the login page was followed

    assert health["status"] == "ok" and health["database"] == "ok"
    assert landed == f"{base}/login?next=/"
    requests = [
        json.loads(line)
        for line in log.read_text().splitlines()
        if line.startswith("{") and '"app.requests"' in line
    ]
    assert [(r["method"], r["path"], r["status"]) for r in requests][-3:] == [
        ("GET", "/healthz", 200),
        ("GET", "/", 302),
        ("GET", "/login", 200),
    ]
