"""Accounts over HTTP: logging in and out, what each role may see and do, administration."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from app.store import accounts, models
from app.web import create_app

from .conftest import PASSWORD, add_account, login, stored_bead, stored_beads, two_sided
from .pages import hidden_value

JSON = {"Accept": "application/json"}


def events(sessions, alignment_id: int) -> list[models.ReviewEvent]:
    with sessions() as session:
        return list(
            session.scalars(
                select(models.ReviewEvent)
                .where(models.ReviewEvent.alignment_id == alignment_id)
                .order_by(models.ReviewEvent.id)
            )
        )


def version_of(sessions, alignment_id: int) -> int:
    with sessions() as session:
        return session.get(models.Alignment, alignment_id).version


# Single-user mode and when a login is asked for -----------------------------------------


def test_without_accounts_nobody_logs_in_and_changes_are_the_local_user_s(
    client, sessions, demo_alignment
):
    bead = two_sided(stored_beads(sessions, demo_alignment))[0]

    assert client.get("/").status_code == 200
    assert client.get("/login").status_code == 302  # nothing to log in to
    response = client.post(
        f"/beads/{bead.id}/status", data={"status": "confirmed", "version": bead.version}
    )

    assert response.status_code == 303
    assert [event.actor for event in events(sessions, demo_alignment)] == ["local"]
    assert "Log out" not in client.get("/").get_data(as_text=True)


def test_once_an_account_exists_every_page_asks_for_a_login(client, sessions, team):
    page = client.get(f"/alignments/{team.news_alignment}?sort=similarity")

    assert page.status_code == 302
    assert page.headers["Location"] == (
        f"/login?next=/alignments/{team.news_alignment}?sort%3Dsimilarity"
    )
    assert client.get("/").headers["Location"].startswith("/login")
    # The page's script and forms get a 401 rather than a login page.
    script = client.get(f"/alignments/{team.news_alignment}/map", headers=JSON)
    assert script.status_code == 401
    assert "log in" in script.json["error"].lower()
    bead = two_sided(stored_beads(sessions, team.news_alignment))[0]
    form = client.post(f"/beads/{bead.id}/status", data={"status": "confirmed", "version": 1})
    assert form.status_code == 401
    assert "Please log in" in form.get_data(as_text=True)
    assert stored_bead(sessions, bead.id).status == "automatic"


def test_alinea_auth_login_asks_for_a_login_even_without_accounts(settings):
    app = create_app(replace(settings, auth="login"), TESTING=True, WTF_CSRF_ENABLED=False)
    client = app.test_client()

    assert client.get("/").headers["Location"] == "/login?next=/"
    assert "Log in" in client.get("/login").get_data(as_text=True)
    app.extensions["alinea.engine"].dispose()


def test_logging_in_leads_to_the_page_asked_for(client, team):
    target = f"/alignments/{team.news_alignment}?sort=similarity"

    response = login(client, "RITA", next_page=target)  # names are not case-sensitive

    assert response.status_code == 303
    assert response.headers["Location"] == target
    page = client.get(target).get_data(as_text=True)
    assert "rita" in page and "Log out" in page


@pytest.mark.parametrize(
    ("name", "password"),
    [("rita", "wrong password"), ("nobody", PASSWORD), ("rita", ""), ("", PASSWORD)],
)
def test_a_wrong_login_fails_without_saying_which_part_was_wrong(client, team, name, password):
    response = login(client, name, password)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The name or password is wrong." in html
    for telltale in ("no user", "unknown", "does not exist", "incorrect password"):
        assert telltale not in html.lower()
    assert client.get("/").status_code == 302  # still not logged in


def test_a_disabled_account_cannot_log_in_and_its_sessions_end(app, sessions, team, as_user):
    client = as_user("rita")
    with sessions() as session, session.begin():
        accounts.set_active(accounts.get_user(session, "rita"), False)

    assert client.get("/").status_code == 302
    response = login(app.test_client(), "rita")
    assert "The name or password is wrong." in response.get_data(as_text=True)


def test_a_new_password_ends_the_sessions_opened_with_the_old_one(sessions, team, as_user):
    client = as_user("rita")
    with sessions() as session, session.begin():
        accounts.get_user(session, "rita").set_password("another good password")

    assert client.get("/").headers["Location"].startswith("/login")


def test_logging_out_ends_the_session(team, as_user):
    client = as_user("rita")
    page = client.get("/").get_data(as_text=True)
    assert 'action="/logout"' in page

    response = client.post("/logout")

    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_login_never_sends_the_browser_off_the_site(client, team, target):
    response = login(client, "rita", next_page=target)

    assert response.headers["Location"] == "/"


def test_the_session_cookie_is_httponly_and_samesite_lax(client, team):
    response = login(client, "rita")

    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("alinea_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP on 127.0.0.1 by default


def test_with_alinea_https_the_session_cookie_is_secure(settings, team):
    app = create_app(replace(settings, https=True), TESTING=True, WTF_CSRF_ENABLED=False)
    client = app.test_client()

    response = login(client, "rita")

    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    app.extensions["alinea.engine"].dispose()


# Roles --------------------------------------------------------------------------------------


def test_a_viewer_reads_and_exports_but_sees_no_edit_controls(team, as_user):
    client = as_user("vera")
    alignment = team.news_alignment

    page = client.get(f"/alignments/{alignment}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Read only" in html
    assert 'class="status-form' not in html and "Save note" not in html
    assert 'id="undo-button"' not in html
    for path in ("map", "history", "export?format=tsv", "export?format=tmx", "next"):
        response = client.get(f"/alignments/{alignment}/{path}")
        assert response.status_code in (200, 302), path
        response.close()
    export = client.get(f"/alignments/{alignment}/export?format=tsv").get_data(as_text=True)
    assert "Párrafo con" in export


def test_a_viewer_gets_403_on_every_write_and_nothing_changes(sessions, team, as_user):
    client = as_user("vera")
    alignment = team.news_alignment
    bead = stored_beads(sessions, alignment)[1]
    version = version_of(sessions, alignment)
    writes = [
        (f"/beads/{bead.id}/status", {"status": "confirmed", "version": bead.version}),
        (f"/beads/{bead.id}/status", {"status": "nonsense"}),  # refused before it is read
        (f"/beads/{bead.id}/note", {"note": "mine", "version": bead.version}),
        (f"/alignments/{alignment}/operations", {"op": "merge_next", "position": 0}),
        (f"/alignments/{alignment}/undo", {"version": version}),
        (f"/alignments/{alignment}/redo", {"version": version}),
        (f"/alignments/{alignment}/realign", {"version": version}),
        (f"/alignments/{alignment}/segments/target/1", {"text": "x", "version": version}),
    ]

    for path, data in writes:
        response = client.post(path, data=data)
        assert response.status_code == 403, path
        assert "viewer" in response.get_data(as_text=True)
    as_json = client.post(writes[0][0], data=writes[0][1], headers=JSON)
    assert as_json.status_code == 403
    assert "read and export" in as_json.json["error"]
    assert stored_beads(sessions, alignment)[1].status == "automatic"
    assert version_of(sessions, alignment) == version
    assert events(sessions, alignment) == []


def test_a_non_member_cannot_tell_a_project_s_alignment_from_a_missing_one(sessions, team, as_user):
    client = as_user("nora")  # a reviewer, but of the archive only
    alignment = team.news_alignment
    bead = stored_beads(sessions, alignment)[0]

    for path in ("", "/map", "/history", "/export?format=tsv", "/next"):
        response = client.get(f"/alignments/{alignment}{path}")
        missing = client.get(f"/alignments/987654{path}")
        assert response.status_code == 404, path
        assert response.get_data(as_text=True) == missing.get_data(as_text=True).replace(
            "987654", str(alignment)
        )
    posts = [
        (f"/beads/{bead.id}/status", {"status": "confirmed", "version": bead.version}),
        (f"/beads/{bead.id}/note", {"note": "x", "version": bead.version}),
        (f"/alignments/{alignment}/operations", {"op": "merge_next", "position": 0}),
        (f"/alignments/{alignment}/undo", {"version": 1}),
    ]
    for path, data in posts:
        assert client.post(path, data=data).status_code == 404, path
    # A pair of the project is answered as a pair that does not exist, with no way to it.
    hidden = client.post(posts[0][0], data=posts[0][1]).get_data(as_text=True)
    missing = client.post("/beads/987654/status", data=posts[0][1]).get_data(as_text=True)
    assert hidden == missing.replace("987654", str(bead.id))
    assert client.get("/projects/news").status_code == 404
    index = client.get("/").get_data(as_text=True)
    assert "Título" not in index and "Newsroom" not in index
    assert "Long es" in index  # the archive's own alignment
    assert events(sessions, alignment) == []


def test_a_reviewer_edits_and_the_history_names_them(sessions, team, as_user):
    client = as_user("rita")
    alignment = team.news_alignment
    bead = stored_beads(sessions, alignment)[1]

    confirmed = client.post(
        f"/beads/{bead.id}/status", data={"status": "confirmed", "version": bead.version}
    )
    merged = client.post(
        f"/alignments/{alignment}/operations",
        data={"op": "merge_next", "position": 0, "version": version_of(sessions, alignment)},
        headers=JSON,
    )

    assert confirmed.status_code == 303
    assert merged.status_code == 200
    assert [(e.actor, e.action) for e in events(sessions, alignment)] == [
        ("rita", "status"),
        ("rita", "merge_next"),
    ]
    history = client.get(f"/alignments/{alignment}/history").get_data(as_text=True)
    assert "<td>rita</td>" in history


def test_only_an_editor_changes_the_documents_text(sessions, team, as_user):
    alignment = team.news_alignment
    path = f"/alignments/{alignment}/segments/target/1"

    reviewer = as_user("rita")
    refused = reviewer.post(
        path, data={"text": "Changed.", "version": version_of(sessions, alignment)}, headers=JSON
    )
    assert refused.status_code == 403
    assert "may review pairs but not change" in refused.json["error"]
    assert "Edit text" not in reviewer.get(f"/alignments/{alignment}").get_data(as_text=True)

    editor = as_user("eddie")
    assert "Edit text" in editor.get(f"/alignments/{alignment}").get_data(as_text=True)
    accepted = editor.post(
        path, data={"text": "Changed.", "version": version_of(sessions, alignment)}, headers=JSON
    )
    assert accepted.status_code == 200
    assert [(e.actor, e.action) for e in events(sessions, alignment)] == [("eddie", "text")]


def test_members_see_their_projects_and_an_administrator_sees_all(team, as_user):
    member = as_user("rita").get("/").get_data(as_text=True)
    assert "Newsroom" in member and "Archive" not in member
    assert "Título" in member and "Long es" not in member

    admin = as_user("ada")
    everything = admin.get("/").get_data(as_text=True)
    assert "Newsroom" in everything and "Archive" in everything
    assert "Título" in everything and "Long es" in everything
    project = admin.get("/projects/archive").get_data(as_text=True)
    assert "Long es" in project and "Título" not in project


def test_the_default_project_holds_what_was_there_before_accounts(
    sessions, demo_alignment, team, as_user
):
    # demo_alignment has no project: it is in the default project.
    add_account(sessions, "dora", "viewer", project="default")

    dora = as_user("dora")
    assert dora.get(f"/alignments/{demo_alignment}").status_code == 200
    assert dora.get(f"/alignments/{team.news_alignment}").status_code == 404
    listing = dora.get("/projects/default").get_data(as_text=True)
    assert f'href="/alignments/{demo_alignment}"' in listing
    assert as_user("rita").get(f"/alignments/{demo_alignment}").status_code == 404


# Administration -----------------------------------------------------------------------------


def test_an_administrator_creates_users_projects_and_memberships(sessions, team, as_user):
    admin = as_user("ada")

    created = admin.post(
        "/admin/users",
        data={"name": "Tom", "password": "a long password", "role": "reviewer", "project": "news"},
    )
    project = admin.post("/admin/projects", data={"name": "books", "title": "Books"})
    member = admin.post("/admin/projects/books/members", data={"user": "tom", "role": "viewer"})

    assert [r.status_code for r in (created, project, member)] == [303, 303, 303]
    assert "Created the user tom." in admin.get("/admin/users").get_data(as_text=True)
    with sessions() as session:
        tom = accounts.get_user(session, "tom")
        assert sorted((m.project.name, m.role) for m in tom.memberships) == [
            ("books", "viewer"),
            ("news", "reviewer"),
        ]
    assert login(admin.application.test_client(), "tom", "a long password").status_code == 303


def test_the_administration_pages_refuse_bad_input_with_the_reason(team, as_user):
    admin = as_user("ada")

    taken = admin.post(
        "/admin/users",
        data={"name": "rita", "password": "a long password", "role": "viewer", "project": "news"},
    )
    short = admin.post("/admin/users", data={"name": "sam", "password": "short", "role": "viewer"})
    self_demotion = admin.post(
        f"/admin/users/{_user_id(admin, 'ada')}", data={"action": "admin", "value": "0"}
    )

    assert taken.status_code == 400
    assert "There is already a user &#39;rita&#39;." in taken.get_data(as_text=True)
    assert short.status_code == 400
    assert "at least 8 characters" in short.get_data(as_text=True)
    assert self_demotion.status_code == 400
    assert "your own administrator rights" in self_demotion.get_data(as_text=True)


def _user_id(client, name: str) -> int:
    with client.application.extensions["alinea.sessions"]() as session:
        return accounts.get_user(session, name).id


def test_an_administrator_disables_an_account_and_resets_a_password(sessions, team, as_user):
    admin = as_user("ada")
    rita = as_user("rita")
    rita_id = _user_id(admin, "rita")

    admin.post(f"/admin/users/{rita_id}", data={"action": "active", "value": "0"})
    assert rita.get("/").status_code == 302
    admin.post(f"/admin/users/{rita_id}", data={"action": "active", "value": "1"})
    admin.post(f"/admin/users/{rita_id}", data={"action": "password", "password": "new password!"})

    assert login(admin.application.test_client(), "rita", PASSWORD).status_code == 200
    assert login(admin.application.test_client(), "rita", "new password!").status_code == 303


def test_only_administrators_reach_the_administration_pages(client, team, as_user):
    reviewer = as_user("rita")

    for path in ("/admin/users", "/admin/projects", "/admin/projects/news"):
        response = reviewer.get(path)
        assert response.status_code == 403
        assert "Only administrators" in response.get_data(as_text=True)
    refused = reviewer.post(
        "/admin/users", data={"name": "mallory", "password": "a long password", "role": "admin"}
    )
    assert refused.status_code == 403
    assert login(client, "mallory", "a long password").status_code == 200  # not created


def test_without_accounts_the_administration_pages_say_how_to_make_the_first_one(client):
    response = client.get("/admin/users")

    assert response.status_code == 403
    assert "alinea user add NAME --role admin" in response.get_data(as_text=True)


# CSRF with accounts ---------------------------------------------------------------------------


@pytest.fixture
def protected_app(settings):
    protected = create_app(settings, TESTING=True)
    yield protected
    protected.extensions["alinea.engine"].dispose()


def test_a_write_without_the_form_token_is_refused_with_a_clear_page(protected_app, sessions, team):
    client = protected_app.test_client()
    assert login(client, "rita").status_code == 303
    bead = stored_beads(sessions, team.news_alignment)[0]

    response = client.post(
        f"/beads/{bead.id}/status", data={"status": "confirmed", "version": bead.version}
    )
    as_json = client.post(
        f"/beads/{bead.id}/status",
        data={"status": "confirmed", "version": bead.version},
        headers=JSON,
    )

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The form has expired" in html and "nothing was changed" in html
    assert as_json.status_code == 400 and "security token" in as_json.json["error"]
    assert stored_bead(sessions, bead.id).status == "automatic"
    # With the page's token the same form goes through.
    page = client.get(f"/alignments/{team.news_alignment}").get_data(as_text=True)
    accepted = client.post(
        f"/beads/{bead.id}/status",
        data={
            "status": "confirmed",
            "version": bead.version,
            "csrf_token": hidden_value(page, "csrf_token"),
        },
    )
    assert accepted.status_code == 303


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/login", {"name": "rita", "password": PASSWORD}),
        ("/logout", {}),
        ("/admin/users", {"name": "newcomer", "password": "a long password", "role": "admin"}),
        ("/admin/projects", {"name": "p1"}),
    ],
)
def test_login_logout_and_administration_forms_need_the_token(protected_app, team, path, data):
    client = protected_app.test_client()
    assert login(client, "ada").status_code == 303

    response = client.post(path, data=data)

    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)
    assert client.get("/admin/users").status_code == 200  # still logged in
    assert "newcomer" not in client.get("/admin/users").get_data(as_text=True)


def test_every_route_that_accepts_a_post_refuses_one_without_the_token(protected_app, team):
    client = protected_app.test_client()
    assert login(client, "ada").status_code == 303
    rules = [rule for rule in protected_app.url_map.iter_rules() if "POST" in rule.methods]

    assert len(rules) >= 14  # the review edits, login, logout, the administration forms
    for rule in rules:
        # Ids and positions are numbers; the other parts name a side or a project.
        texts = {"side": "target", "name": "news"}
        values = {name: texts.get(name, 1) for name in rule.arguments}
        with protected_app.test_request_context():
            path = url_for(rule.endpoint, **values)
        response = client.post(path, data={"version": "1", "status": "confirmed"})
        assert response.status_code == 400, rule.rule
        assert "The form has expired" in response.get_data(as_text=True), rule.rule


# Password guessing ------------------------------------------------------------------------


@pytest.fixture
def limited_app(settings):
    """Login asked for, at most three failures per name (fifteen per address)."""
    limited = create_app(replace(settings, login_limit=3), TESTING=True, WTF_CSRF_ENABLED=False)
    yield limited
    limited.extensions["alinea.engine"].dispose()


def failures(sessions) -> list[accounts.LoginFailure]:
    with sessions() as session:
        return list(session.scalars(select(accounts.LoginFailure)))


@pytest.mark.parametrize("name", ["rita", "nobody"])
def test_repeated_failed_logins_make_the_name_wait_even_with_the_right_password(
    limited_app, sessions, team, name
):
    client = limited_app.test_client()
    for _ in range(3):
        assert login(client, name, "wrong password").status_code == 200

    refused = login(client, name, PASSWORD)

    # The same answer whether the account exists or not.
    assert refused.status_code == 429
    assert "Too many failed logins: try again in 15 minutes." in refused.get_data(as_text=True)
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert client.get("/").status_code == 302  # not logged in
    # Other names are not held up.
    assert login(client, "eddie").status_code == 303


def test_the_wait_ends_when_the_failures_leave_the_window(limited_app, sessions, team):
    client = limited_app.test_client()
    for _ in range(3):
        login(client, "rita", "wrong password")
    assert login(client, "rita").status_code == 429
    with sessions() as session:
        for failure in session.scalars(select(accounts.LoginFailure)):
            failure.at = failure.at - timedelta(minutes=16)
        session.commit()

    assert login(client, "rita").status_code == 303


def test_a_successful_login_clears_the_name_s_failures(limited_app, sessions, team):
    client = limited_app.test_client()
    for _ in range(2):
        login(client, "rita", "wrong password")
    assert login(client, "rita").status_code == 303
    assert [f.key for f in failures(sessions)] == ["address:127.0.0.1"] * 2

    client.post("/logout", data={})
    for _ in range(2):
        assert login(client, "rita", "wrong password").status_code == 200
    assert login(client, "rita").status_code == 303  # two new failures, not four


def test_one_address_guessing_many_names_is_held_up_too(limited_app, sessions, team):
    client = limited_app.test_client()
    for k in range(15):
        assert login(client, f"guess{k}", "wrong password").status_code == 200

    assert login(client, "rita").status_code == 429
