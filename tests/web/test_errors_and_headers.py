"""Error pages never show internals, and every response carries the security headers."""

from __future__ import annotations

import re

import pytest

from app.web.security import CONTENT_SECURITY_POLICY

from .conftest import stored_beads, two_sided

EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "same-origin",
}


def test_the_policy_allows_nothing_but_this_site():
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )


@pytest.mark.parametrize(
    "path", ["/", "/alignments/{id}", "/alignments/{id}/export", "/static/alinea.css", "/nowhere"]
)
def test_responses_carry_the_security_headers(client, demo_alignment, path):
    response = client.get(path.format(id=demo_alignment))

    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name] == value
    response.close()


def test_pages_use_no_inline_script_or_style(client, demo_alignment):
    # The Content-Security-Policy would block them; scripts are files on this site.
    pages = ("/", f"/alignments/{demo_alignment}", f"/alignments/{demo_alignment}/map", "/nowhere")
    for path in (*pages, f"/alignments/{demo_alignment}/history"):
        html = client.get(path).get_data(as_text=True)
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.DOTALL)
        assert all(body.strip() == "" for body in scripts)
        assert re.findall(r"<script[^>]*>", html) == [
            tag for tag in re.findall(r"<script[^>]*>", html) if 'src="/static/' in tag
        ]
        assert "<style" not in html
        assert "style=" not in html
        assert re.search(r"<[^>]+\son[a-z]+=", html) is None  # no event handler attributes


def test_a_missing_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")

    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html
    assert 'href="/"' in html
    assert "Traceback" not in html


def test_a_missing_alignment_is_a_404_without_a_traceback(client):
    response = client.get("/alignments/31337")

    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "There is no alignment 31337" in html
    assert "Traceback" not in html and "File " not in html


def test_an_unexpected_error_is_a_500_page_without_details(app, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")

    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html
    assert "secret internal detail" not in html
    assert "Traceback" not in html
    assert "secret internal detail" in caplog.text  # but it is logged


def test_an_oversized_form_is_a_413_page(app, sessions, demo_alignment):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    bead = two_sided(stored_beads(sessions, demo_alignment))[0]

    response = app.test_client().post(
        f"/beads/{bead.id}/note", data={"note": "x" * 4096, "version": bead.version}
    )

    assert response.status_code == 413
    assert "larger than the server accepts" in response.get_data(as_text=True)
    assert stored_beads(sessions, demo_alignment)[bead.position].note is None
