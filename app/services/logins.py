"""Slowing down password guessing: login attempts counted per address and per name.

Every attempt is written to the database, and committed, before its password is checked;
only then are the attempts counted. Of any number of simultaneous attempts, the last to
count sees all the others that went ahead, so at most ``limit`` of them reach the password
check, however many arrive at once (counting first and recording after would let a burst
through between the two).

The limits, in the order they are checked:

1. **Per address**: ``ADDRESS_FACTOR * limit`` attempts in ``WINDOW`` from one address,
   whatever the names (many people may share an address behind a proxy). This one stops a
   guesser at its source without touching anybody's account.
2. **Per name**: ``limit`` failed attempts on one name in ``WINDOW``, from anywhere. This
   one stops guessing spread over many addresses, but anyone can trigger it. So a *known
   address* of the account (one it logged in from within ``KNOWN_FOR``) is held to its own
   ``limit`` of failures on that name instead: the owner, at their usual desk, still logs
   in while the name is held up by failures from elsewhere.

Names that do not exist are counted the same way, so the answer tells nobody which accounts
exist. A successful login clears its name's failures and makes its address known. The rows
live in the database, so every server process and machine shares them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.store.accounts import KnownAddress, LoginFailure, User
from app.store.base import aware, utcnow

WINDOW = timedelta(minutes=15)
ADDRESS_FACTOR = 5
# An address stays known this long after the last login from it.
KNOWN_FOR = timedelta(days=90)


def _name_key(name: str) -> str:
    return f"name:{_normal(name)}"


def _address_key(address: str) -> str:
    return f"address:{address[:150]}"


def _pair_key(name: str, address: str) -> str:
    return f"from:{address[:40]}:{_normal(name)}"[:200]


def _normal(name: str) -> str:
    return name.strip().lower()[:150]


@dataclass
class Attempt:
    """A login attempt, recorded: its rows, and how long to wait if it was refused."""

    name: str
    address: str | None
    row_ids: list[int] = field(default_factory=list)
    wait: timedelta | None = None


def start(session: Session, name: str, address: str | None, limit: int) -> Attempt:
    """Record an attempt, then decide whether its password may be checked.

    ``attempt.wait`` is None when it may; otherwise how long until the next one can go
    ahead (and the attempt is withdrawn, so a refused one does not push the wait further).
    """
    attempt = Attempt(name=name, address=address)
    if limit <= 0:
        return attempt
    now = utcnow()
    keys = [_name_key(name)]
    if address:
        keys += [_address_key(address), _pair_key(name, address)]
    rows = [LoginFailure(key=key, at=now) for key in keys]
    session.add_all(rows)
    session.commit()
    attempt.row_ids = [row.id for row in rows]
    attempt.wait = _wait(session, attempt, limit, now)
    if attempt.wait is not None:
        _withdraw(session, attempt)
    return attempt


def _wait(session: Session, attempt: Attempt, limit: int, now: datetime) -> timedelta | None:
    """How long until this attempt would be allowed; None: it is allowed now."""
    checks: list[tuple[str, int]] = []
    if attempt.address:
        checks.append((_address_key(attempt.address), limit * ADDRESS_FACTOR))
    if attempt.address and is_known(session, attempt.name, attempt.address, now):
        checks.append((_pair_key(attempt.name, attempt.address), limit))
    else:
        checks.append((_name_key(attempt.name), limit))
    for key, allowed in checks:
        # The newest ``allowed`` other attempts inside the window: all of them there means
        # waiting until the oldest of those leaves it.
        times = list(
            session.scalars(
                select(LoginFailure.at)
                .where(
                    LoginFailure.key == key,
                    LoginFailure.at > now - WINDOW,
                    LoginFailure.id.not_in(attempt.row_ids),
                )
                .order_by(LoginFailure.at.desc())
                .limit(allowed)
            )
        )
        if len(times) >= allowed:
            return max(aware(times[-1]) + WINDOW - now, timedelta(seconds=1))
    return None


def is_known(session: Session, name: str, address: str, now: datetime | None = None) -> bool:
    """Whether the account ``name`` logged in from ``address`` within ``KNOWN_FOR``."""
    now = now or utcnow()
    found = session.scalar(
        select(KnownAddress.id)
        .join(User, User.id == KnownAddress.user_id)
        .where(
            User.name == _normal(name),
            KnownAddress.address == address[:150],
            KnownAddress.last_login_at > now - KNOWN_FOR,
        )
    )
    return found is not None


def failed(session: Session, attempt: Attempt) -> None:
    """The password was wrong: the attempt's rows stay as failures; old ones are forgotten."""
    cutoff = utcnow() - WINDOW
    session.execute(delete(LoginFailure).where(LoginFailure.at <= cutoff))
    session.commit()


def succeeded(session: Session, attempt: Attempt, user: User) -> None:
    """The right password: the name's failures no longer count, and the address is known."""
    _withdraw(session, attempt, commit=False)
    cleared = [_name_key(attempt.name)]
    if attempt.address:
        cleared.append(_pair_key(attempt.name, attempt.address))
    session.execute(delete(LoginFailure).where(LoginFailure.key.in_(cleared)))
    session.commit()
    if attempt.address:
        remember_address(session, user, attempt.address)


def remember_address(session: Session, user: User, address: str) -> None:
    """Mark ``address`` as known for ``user`` (now), adding it on its first login."""
    address = address[:150]
    changed = session.execute(
        update(KnownAddress)
        .where(KnownAddress.user_id == user.id, KnownAddress.address == address)
        .values(last_login_at=utcnow())
    ).rowcount
    if not changed:
        session.add(KnownAddress(user_id=user.id, address=address))
    try:
        session.commit()
    except IntegrityError:
        # A simultaneous login from the same address added it first: known either way.
        session.rollback()


def _withdraw(session: Session, attempt: Attempt, commit: bool = True) -> None:
    if attempt.row_ids:
        session.execute(delete(LoginFailure).where(LoginFailure.id.in_(attempt.row_ids)))
        attempt.row_ids = []
    if commit:
        session.commit()
