"""With CSRF protection on (as in production), forms only work with the page's token."""

from __future__ import annotations

import pytest

from app.web import create_app

from .conftest import stored_bead, stored_beads, two_sided
from .pages import hidden_value


@pytest.fixture
def protected_client(settings):
    protected = create_app(settings, TESTING=True)
    assert protected.config.get("WTF_CSRF_ENABLED", True)
    yield protected.test_client()
    protected.extensions["alinea.engine"].dispose()


def test_a_form_without_the_token_is_refused_and_changes_nothing(
    protected_client, sessions, demo_alignment
):
    bead = two_sided(stored_beads(sessions, demo_alignment))[0]

    response = protected_client.post(
        f"/beads/{bead.id}/status",
        data={"status": "confirmed", "version": bead.version, "next": "/alignments/1"},
    )

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The form has expired" in html
    assert "Reload the page" in html
    assert stored_bead(sessions, bead.id).status == "automatic"


def test_a_form_with_the_token_from_the_page_is_accepted(
    protected_client, sessions, demo_alignment
):
    bead = two_sided(stored_beads(sessions, demo_alignment))[0]
    html = protected_client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)

    response = protected_client.post(
        f"/beads/{bead.id}/status",
        data={
            "csrf_token": hidden_value(html, "csrf_token"),
            "status": "confirmed",
            "version": bead.version,
        },
    )

    assert response.status_code == 303
    assert stored_bead(sessions, bead.id).status == "confirmed"
