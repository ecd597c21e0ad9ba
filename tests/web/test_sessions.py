"""Sessions end when they should: at the logout (every copy of the cookie), and a fixed
time after the login however busy the session is. Both databases."""

from __future__ import annotations

import time

from app.store import accounts
from app.web.auth import LOGIN_TIME_KEY

COOKIE = "alinea_session"


def copy_of_cookie(app, client):
    """A second browser holding the same session cookie as ``client`` (a stolen copy)."""
    other = app.test_client()
    other.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return other


def test_a_cookie_copied_before_the_logout_opens_nothing_after_it(app, team, as_user):
    client = as_user("rita")
    stolen = copy_of_cookie(app, client)
    page = f"/alignments/{team.news_alignment}"
    assert stolen.get(page).status_code == 200  # the copy works while the session lasts

    assert client.post("/logout").status_code == 303

    refused = stolen.get(page)
    assert refused.status_code == 302
    assert refused.headers["Location"].startswith("/login")
    assert stolen.get(f"{page}/export?format=tmx").status_code == 302
    assert stolen.get(f"{page}/map", headers={"Accept": "application/json"}).status_code == 401


def test_logging_out_logs_the_user_out_everywhere_but_not_other_users(app, team, as_user):
    laptop, desktop, colleague = as_user("rita"), as_user("rita"), as_user("rudi")

    laptop.post("/logout")

    assert desktop.get("/").status_code == 302
    assert colleague.get("/").status_code == 200
    assert as_user("rita").get("/").status_code == 200  # a new login works at once


def test_logout_changes_the_account_s_session_token_in_the_store(sessions, team, as_user):
    with sessions() as session:
        before = accounts.get_user(session, "rita").session_token
    as_user("rita").post("/logout")

    with sessions() as session:
        assert accounts.get_user(session, "rita").session_token != before


def test_a_session_ends_the_set_number_of_hours_after_the_login(app, team, as_user):
    client = as_user("rita")
    hours = app.config["ALINEA_SETTINGS"].session_hours
    with client.session_transaction() as session:
        session[LOGIN_TIME_KEY] = int(time.time()) - hours * 3600 - 1

    response = client.get("/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_using_a_session_never_extends_it_past_its_end(app, team, as_user):
    client = as_user("rita")
    with client.session_transaction() as session:
        logged_in_at = session[LOGIN_TIME_KEY]
        # Ten minutes before the end.
        hours = app.config["ALINEA_SETTINGS"].session_hours
        session[LOGIN_TIME_KEY] = logged_in_at - hours * 3600 + 600

    for _ in range(3):
        assert client.get(f"/alignments/{team.news_alignment}").status_code == 200
    with client.session_transaction() as session:
        # The refreshed cookie still carries the login's time, not the last request's.
        assert session[LOGIN_TIME_KEY] == logged_in_at - hours * 3600 + 600
        session[LOGIN_TIME_KEY] -= 601  # the end has come

    assert client.get("/").status_code == 302


def test_a_session_without_a_login_time_is_refused(app, team, as_user):
    client = as_user("rita")
    with client.session_transaction() as session:
        del session[LOGIN_TIME_KEY]

    assert client.get("/").status_code == 302
