"""Hostile input: the fuzz harnesses on the path, Hypothesis profiles and a hard time cap.

``HYPOTHESIS_PROFILE=long pytest tests/hostile`` tries many more inputs per property than the
profile the suite uses (``hostile``).
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# No per-example deadline: the machine is shared, so timing is noisy. A hang is caught by
# ``time_cap`` instead, which fails the example outright after many seconds.
settings.register_profile(
    "hostile",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "hostile"))

TIME_CAP_SECONDS = 30


class Hang(Exception):
    """An importer took longer than the cap on one input."""


@contextmanager
def time_cap(seconds: float = TIME_CAP_SECONDS):
    """Fail with Hang when the block runs longer than ``seconds`` (main thread only)."""

    def expire(_signum, _frame):
        raise Hang(f"no answer after {seconds} seconds")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
