"""Password guessing against the login limits: bursts of simultaneous attempts, and the
owner of a name held up by someone else's failures. Both databases."""

from __future__ import annotations

import threading
import urllib.parse
import urllib.request
from dataclasses import replace

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from app.store import accounts
from app.web import create_app

from .conftest import PASSWORD, login

LIMIT = 3


@pytest.fixture
def limited_app(settings):
    """Login asked for, at most three failures per name (fifteen per address)."""
    limited = create_app(replace(settings, login_limit=LIMIT), TESTING=True, WTF_CSRF_ENABLED=False)
    yield limited
    limited.extensions["alinea.engine"].dispose()


@pytest.fixture
def live_server(limited_app):
    """The app served by a threaded HTTP server on a loopback port; yields its address."""
    server = make_server("127.0.0.1", 0, limited_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def client_from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def post_login(base: str, name: str, password: str) -> int:
    body = urllib.parse.urlencode({"name": name, "password": password}).encode()
    request = urllib.request.Request(f"{base}/login", data=body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("name", ["rita", "nobody"])
def test_twenty_simultaneous_wrong_passwords_get_at_most_the_limit_of_checks(
    live_server, sessions, team, name
):
    start = threading.Barrier(20)
    answers: list[int] = []

    def guess(k: int) -> None:
        start.wait()
        answers.append(post_login(live_server, name, f"wrong password {k}"))

    threads = [threading.Thread(target=guess, args=(k,)) for k in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # 200 is "The name or password is wrong.": a password was checked. 429 refused unchecked.
    assert set(answers) <= {200, 429}
    assert len(answers) == 20
    checked = answers.count(200)
    assert checked <= LIMIT
    # Attempts one after another use up exactly what the burst left of the limit ...
    for _ in range(LIMIT - checked):
        assert post_login(live_server, name, "another wrong password") == 200
    # ... and then even the right password waits.
    assert post_login(live_server, name, PASSWORD) == 429


def test_the_owner_logs_in_from_a_known_address_while_the_name_is_held_up(limited_app, team):
    office = client_from(limited_app, "10.0.0.1")
    assert login(office, "rita").status_code == 303
    office.post("/logout")
    for k in range(LIMIT):
        attacker = client_from(limited_app, f"203.0.113.{k}")
        assert login(attacker, "rita", "wrong password").status_code == 200

    # From anywhere else, even the right password waits ...
    assert login(client_from(limited_app, "198.51.100.7"), "rita").status_code == 429
    # ... but from the office it passes.
    assert login(office, "rita").status_code == 303


def test_a_known_address_has_its_own_limit_on_the_name(limited_app, sessions, team):
    office = client_from(limited_app, "10.0.0.1")
    assert login(office, "rita").status_code == 303
    office.post("/logout")
    for _ in range(LIMIT):
        assert login(office, "rita", "wrong password").status_code == 200

    # Someone else at the office address cannot go on guessing rita's password.
    assert login(office, "rita").status_code == 429
    # Other accounts from that address still log in (its own limit is five times larger).
    assert login(client_from(limited_app, "10.0.0.1"), "eddie").status_code == 303


def test_the_address_limit_comes_first_even_for_a_known_address(limited_app, team):
    office = client_from(limited_app, "10.0.0.1")
    assert login(office, "rita").status_code == 303
    office.post("/logout")
    for k in range(LIMIT * 5):
        assert login(office, f"guess{k}", "wrong password").status_code == 200

    assert login(office, "rita").status_code == 429


def test_a_successful_login_makes_its_address_known(limited_app, sessions, team):
    login(client_from(limited_app, "10.0.0.1"), "rita")
    login(client_from(limited_app, "10.0.0.1"), "rita")

    with sessions() as session:
        known = session.execute(
            select(accounts.User.name, accounts.KnownAddress.address).join(
                accounts.User, accounts.User.id == accounts.KnownAddress.user_id
            )
        ).all()
    assert known == [("rita", "10.0.0.1")]


def test_a_refused_attempt_does_not_push_the_wait_further(limited_app, sessions, team):
    client = client_from(limited_app, "203.0.113.9")
    for _ in range(LIMIT):
        login(client, "rita", "wrong password")
    with sessions() as session:
        before = len(list(session.scalars(select(accounts.LoginFailure))))

    for _ in range(5):
        assert login(client, "rita", "wrong password").status_code == 429

    with sessions() as session:
        assert len(list(session.scalars(select(accounts.LoginFailure)))) == before
