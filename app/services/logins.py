"""Slowing down password guessing: failed logins counted per name and per address.

After ``limit`` failures for one name within ``WINDOW``, that name cannot log in until
the oldest of them leaves the window, whatever the password; an address gets
``ADDRESS_FACTOR`` times as many tries, since many people may share one behind a proxy.
The answer is the same for names that exist and names that do not, so the limit tells
nobody which accounts exist. A successful login clears its name's count. The counts live
in the database, so every server process and machine shares them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.store.accounts import LoginFailure
from app.store.models import aware, utcnow

WINDOW = timedelta(minutes=15)
ADDRESS_FACTOR = 5


def _keys(name: str, address: str | None) -> tuple[str, str | None]:
    name_key = f"name:{name.strip().lower()[:150]}"
    return name_key, (f"address:{address[:150]}" if address else None)


def wait(
    session: Session, name: str, address: str | None, limit: int, now: datetime | None = None
) -> timedelta | None:
    """How long this name (or address) must wait before trying again; None: go ahead."""
    if limit <= 0:
        return None
    now = now or utcnow()
    name_key, address_key = _keys(name, address)
    longest = None
    for key, allowed in ((name_key, limit), (address_key, limit * ADDRESS_FACTOR)):
        if key is None:
            continue
        # The newest ``allowed`` failures inside the window: all of them means wait
        # until the oldest of those leaves it.
        times = list(
            session.scalars(
                select(LoginFailure.at)
                .where(LoginFailure.key == key, LoginFailure.at > now - WINDOW)
                .order_by(LoginFailure.at.desc())
                .limit(allowed)
            )
        )
        if len(times) < allowed:
            continue
        free_at = aware(times[-1]) + WINDOW
        longest = max(longest or timedelta(0), free_at - now)
    return longest


def record_failure(session: Session, name: str, address: str | None) -> None:
    """Count a failed login, and forget failures that have left the window."""
    now = utcnow()
    for key in filter(None, _keys(name, address)):
        session.add(LoginFailure(key=key, at=now))
        session.execute(
            delete(LoginFailure).where(LoginFailure.key == key, LoginFailure.at <= now - WINDOW)
        )
    session.commit()


def clear(session: Session, name: str) -> None:
    """A successful login: the name's failures no longer count."""
    session.execute(delete(LoginFailure).where(LoginFailure.key == _keys(name, None)[0]))
    session.commit()
