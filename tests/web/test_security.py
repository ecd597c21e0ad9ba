"""Attacks on the review server: forged forms, injected SQL, paths out of the site, huge bodies.

Routes are enumerated from ``app.url_map``, so a route added later is covered without a change
here: every write route must refuse a form without the CSRF token, every page must carry the
security headers.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from app.store import models
from app.web import create_app

from .conftest import stored_beads, two_sided

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def protected_app(settings):
    """The app as in production: CSRF protection on."""
    app = create_app(settings, TESTING=True)
    yield app
    app.extensions["alinea.engine"].dispose()


def url_for_rule(rule, alignment_id: int, bead_id: int, given: dict | None = None) -> str:
    """A concrete address for ``rule``, pointing at real rows where it takes ids (``given``
    values are used as they are)."""
    given = given or {}
    values = dict(given)
    for argument in rule.arguments:
        if argument in given:
            continue
        if argument == "alignment_id":
            values[argument] = alignment_id
        elif argument == "bead_id":
            values[argument] = bead_id
        elif argument == "side":
            values[argument] = "source"
        elif argument == "filename":
            values[argument] = "alinea.css"
        elif isinstance(rule._converters[argument], IntegerConverter):
            values[argument] = 0
        else:
            values[argument] = "x"
    return rule.build(values, append_unknown=False)[1]


def routes(app, methods: set[str]):
    return [rule for rule in app.url_map.iter_rules() if rule.methods & methods]


def snapshot(sessions) -> dict[str, object]:
    """Everything a write could change."""
    with sessions() as session:
        return {
            "beads": sorted(
                session.execute(
                    select(
                        models.Bead.id,
                        models.Bead.status,
                        models.Bead.note,
                        models.Bead.version,
                        models.Bead.src_start,
                        models.Bead.src_end,
                    )
                ).all()
            ),
            "segments": sorted(
                session.execute(select(models.Segment.id, models.Segment.text)).all()
            ),
            "events": session.scalar(select(func.count()).select_from(models.ReviewEvent)),
            "alignments": sorted(
                session.execute(select(models.Alignment.id, models.Alignment.version)).all()
            ),
        }


FORM = {
    "status": "confirmed",
    "note": "forged",
    "op": "merge_next",
    "position": "0",
    "version": "1",
    "text": "forged text",
}


def test_every_write_route_refuses_a_form_without_the_token(protected_app, demo_alignment):
    sessions = protected_app.extensions["alinea.sessions"]
    bead = two_sided(stored_beads(sessions, demo_alignment))[0]
    client = protected_app.test_client()
    before = snapshot(sessions)
    writes = routes(protected_app, WRITE_METHODS)
    assert len(writes) >= 7  # the edits blueprint alone has seven

    for rule in writes:
        address = url_for_rule(rule, demo_alignment, bead.id)
        for method in sorted(rule.methods & WRITE_METHODS):
            response = client.open(address, method=method, data=FORM)
            assert response.status_code == 400, (method, address)
            assert "The form has expired" in response.get_data(as_text=True), address

    assert snapshot(sessions) == before


def test_a_token_from_another_session_is_refused_too(protected_app, demo_alignment):
    sessions = protected_app.extensions["alinea.sessions"]
    bead = two_sided(stored_beads(sessions, demo_alignment))[0]
    victim, attacker = protected_app.test_client(), protected_app.test_client()
    page = attacker.get(f"/alignments/{demo_alignment}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    response = victim.post(
        f"/beads/{bead.id}/status",
        data={"csrf_token": token, "status": "confirmed", "version": bead.version},
    )

    assert response.status_code == 400
    assert stored_beads(sessions, demo_alignment)[bead.position].status == "automatic"


def header_problems(response) -> list[str]:
    problems = []
    policy = response.headers.get("Content-Security-Policy", "")
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    scripts = directives.get("script-src", directives.get("default-src", ""))
    if not scripts or "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts or "*" in scripts:
        problems.append(f"scripts not limited to this site: {policy!r}")
    if directives.get("frame-ancestors") != "'none'":
        problems.append(f"the page may be framed: {policy!r}")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    return problems


def test_every_page_and_error_carries_the_security_headers(protected_app, demo_alignment):
    sessions = protected_app.extensions["alinea.sessions"]
    bead = two_sided(stored_beads(sessions, demo_alignment))[0]
    client = protected_app.test_client()
    pages = [url_for_rule(rule, demo_alignment, bead.id) for rule in routes(protected_app, {"GET"})]
    pages += ["/nowhere", f"/alignments/{demo_alignment}?status=bogus", "/alignments/999999"]

    for address in pages:
        response = client.get(address)
        assert response.status_code < 500, address
        assert header_problems(response) == [], address
        response.close()
    forged = client.post(f"/beads/{bead.id}/status", data=FORM)
    assert header_problems(forged) == []


def test_the_session_cookie_is_http_only_and_same_site(protected_app, demo_alignment):
    client = protected_app.test_client()

    # The page puts the CSRF token in the session, so the server sets the cookie.
    response = client.get(f"/alignments/{demo_alignment}")

    cookies = response.headers.getlist("Set-Cookie")
    name = protected_app.config["SESSION_COOKIE_NAME"]
    session_cookie = [cookie for cookie in cookies if cookie.startswith(name + "=")]
    assert len(session_cookie) == 1
    attributes = [part.strip().lower() for part in session_cookie[0].split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


INJECTIONS = [
    "' OR '1'='1",
    "'; DROP TABLE beads; --",
    '" OR ""="',
    "1; DELETE FROM segments",
    "%' UNION SELECT id, text FROM segments --",
    "\\'; SELECT pg_sleep(5); --",
    "%",
    "_",
    "\x00",
]
FILTER_PARAMETERS = ["q", "status", "sort", "min_similarity", "max_similarity", "page", "at",
                     "one_sided", "flagged"]  # fmt: skip


def table_counts(sessions) -> dict[str, int]:
    with sessions() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (models.Document, models.Segment, models.Alignment, models.Bead)
        }


@pytest.mark.parametrize("payload", INJECTIONS)
def test_sql_injection_in_search_and_filters_is_harmless(client, sessions, demo_alignment, payload):
    before = table_counts(sessions)

    for parameter in FILTER_PARAMETERS:
        for path in (f"/alignments/{demo_alignment}", f"/alignments/{demo_alignment}/next"):
            response = client.get(path, query_string={parameter: payload})
            assert response.status_code in (200, 302, 303, 400, 404), (parameter, payload)
    export = client.get(
        f"/alignments/{demo_alignment}/export",
        query_string={"format": payload, "selection": payload, "min_similarity": payload},
    )
    assert export.status_code == 400

    assert table_counts(sessions) == before


@pytest.mark.parametrize("payload", ["' OR '1'='1", "%", "_", "%' OR 1=1 --"])
def test_an_injected_search_matches_only_its_literal_text(client, demo_alignment, payload):
    html = client.get(f"/alignments/{demo_alignment}", query_string={"q": payload}).get_data(
        as_text=True
    )

    # No segment of the corpus holds these strings: no pair is shown, not all of them.
    assert "<article" not in html
    assert "No pairs match this filter." in html


@pytest.mark.parametrize(
    "query",
    [
        {"format": "../../../etc/passwd"},
        {"format": "tmx", "filename": "../../etc/passwd", "name": "..\\..\\boot.ini"},
        {"format": "tmx/../../x"},
    ],
)
def test_an_export_name_cannot_be_chosen_by_the_request(client, demo_alignment, query):
    response = client.get(f"/alignments/{demo_alignment}/export", query_string=query)

    if query["format"] == "tmx":
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="alinea-{demo_alignment}.tmx"'
        )
    else:
        assert response.status_code == 400
        assert "Content-Disposition" not in response.headers
    response.close()


@pytest.mark.parametrize(
    "path",
    ["/static/../app/__init__.py", "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/..%2fconfig.py",
     "/static//etc/passwd", "/static/%2fetc%2fpasswd"],
)  # fmt: skip
def test_static_files_cannot_reach_outside_their_folder(client, path):
    response = client.get(path, follow_redirects=True)

    assert response.status_code == 404
    assert b"import" not in response.data and b"root:" not in response.data


def test_uploads_are_capped_at_25_mb_by_default(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 25 * 1024 * 1024


def test_every_write_route_refuses_an_oversized_body_with_a_413_page(app, sessions, demo_alignment):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    bead = two_sided(stored_beads(sessions, demo_alignment))[0]
    client = app.test_client()
    before = snapshot(sessions)

    for rule in routes(app, WRITE_METHODS):
        address = url_for_rule(rule, demo_alignment, bead.id)
        response = client.post(
            address, data={**FORM, "upload": (__import__("io").BytesIO(b"x" * 8192), "big.txt")}
        )
        assert response.status_code == 413, address
        assert "larger than the server accepts" in response.get_data(as_text=True)

    assert snapshot(sessions) == before


# Caching -----------------------------------------------------------------------------------


def test_every_page_export_and_error_forbids_caching_but_static_files_do_not(
    protected_app, demo_alignment
):
    sessions = protected_app.extensions["alinea.sessions"]
    bead = two_sided(stored_beads(sessions, demo_alignment))[0]
    client = protected_app.test_client()
    pages = [url_for_rule(rule, demo_alignment, bead.id) for rule in routes(protected_app, {"GET"})]
    pages += [
        f"/alignments/{demo_alignment}/export?format=tmx",
        f"/alignments/{demo_alignment}/export?format=csv",
        "/nowhere",
        "/alignments/999999",
    ]

    for address in pages:
        response = client.get(address)
        if address.startswith("/static/"):
            assert "no-store" not in response.headers.get("Cache-Control", ""), address
        else:
            assert response.headers.get("Cache-Control") == "no-store", address
        response.close()
    forged = client.post(f"/beads/{bead.id}/status", data=FORM)
    assert forged.headers.get("Cache-Control") == "no-store"


def test_pages_behind_the_login_forbid_caching(client, sessions, team, as_user):
    reviewer = as_user("rita")
    for address in (
        "/",
        f"/alignments/{team.news_alignment}",
        f"/alignments/{team.news_alignment}/history",
        f"/alignments/{team.news_alignment}/export?format=tsv",
        f"/alignments/{team.news_alignment}/export?format=xliff",
    ):
        response = reviewer.get(address)
        assert response.status_code == 200, address
        assert response.headers["Cache-Control"] == "no-store", address
        response.close()
    # The login page and the redirect to it too: neither is worth keeping.
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/login").headers["Cache-Control"] == "no-store"


# Ids the database cannot hold -------------------------------------------------------------

HUGE_IDS = ["99999999999999999999", str(2**31), str(2**63), str(2**64)]


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_an_id_too_large_for_the_database_is_a_404_on_every_route(client, demo_alignment, huge):
    sessions = client.application.extensions["alinea.sessions"]
    bead = two_sided(stored_beads(sessions, demo_alignment))[0]
    checked = []
    for rule in client.application.url_map.iter_rules():
        for name, converter in rule._converters.items():
            if not isinstance(converter, IntegerConverter):
                continue
            # The other ids are real, this one is past what the database holds.
            address = url_for_rule(rule, demo_alignment, bead.id, {name: int(huge)})
            method = "GET" if "GET" in rule.methods else sorted(rule.methods & WRITE_METHODS)[0]
            response = client.open(address, method=method, data=None if method == "GET" else FORM)
            assert response.status_code == 404, (address, response.status_code)
            assert "Traceback" not in response.get_data(as_text=True)
            checked.append(address)
    # Alignments and their pages, exports and edits, beads, jobs, users.
    assert len(checked) >= 22, checked


@pytest.mark.parametrize("field", ["source_document", "project"])
def test_an_id_too_large_for_the_database_in_a_form_is_refused_plainly(
    client, demo_alignment, field
):
    form = {"source_document": "1", "target_document": "2", "project": ""}
    form[field] = HUGE_IDS[0]

    response = client.post("/alignments/new", data=form)

    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_project_that_does_not_exist_in_the_new_alignment_form_is_refused_plainly(
    client, demo_alignment
):
    response = client.post(
        "/alignments/new", data={"source_document": "1", "target_document": "2", "project": "4242"}
    )

    assert 400 <= response.status_code < 500
