"""The comparison pages over HTTP: escaping, bad parameters, access."""

from __future__ import annotations

import io

from app.ingest import load_text
from app.services import comparisons
from app.store import db as store_db
from tests.conftest import CORPUS


def test_document_text_and_titles_are_escaped(client, sessions, corpus_versions):
    original = load_text(b"<script>alert(1)</script> Uno.\n\nDos & tres.", "o.txt", lang="es")
    version = load_text(b"<script>alert(1)</script> One.\n\nTwo & three.", "v.txt", lang="en")
    (item, pair), *_ = comparisons.compute_all(
        sessions, original, [comparisons.VersionInput(version, "<b>label</b>")], use_mt=False
    )
    with store_db.transaction(sessions) as session:
        comparison_id = comparisons.store_all(session, original, [(item, pair)], "<i>title</i>").id
    for url in (
        f"/comparisons/{comparison_id}",
        f"/comparisons/{comparison_id}/rows/0",
        f"/comparisons/{comparison_id}/summary",
        "/comparisons",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<i>title" not in page and "<b>label" not in page
    page = client.get(f"/comparisons/{comparison_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_bad_parameters_are_clear_errors(client, stored_comparison):
    base = f"/comparisons/{stored_comparison}"
    assert client.get(f"{base}?sort=random").status_code == 400
    assert client.get(f"{base}?pair=1-7").status_code == 400
    assert client.get(f"{base}?min_divergence=2").status_code == 400
    assert client.get(f"{base}?level=word").status_code == 400
    assert client.get(f"{base}?page=x").status_code == 400
    assert client.get(f"{base}/rows/99999").status_code == 404
    assert client.get(f"{base}/export?format=docx").status_code == 400
    assert client.get("/comparisons/99999").status_code == 404


def test_a_page_far_past_the_end_shows_the_last_page(client, stored_comparison):
    page = client.get(f"/comparisons/{stored_comparison}?page=999")
    assert page.status_code == 200 and 'id="row-0"' in page.get_data(as_text=True)


def test_the_form_refuses_a_version_that_is_the_original(client):
    text = (CORPUS / "es.txt").read_bytes()
    response = client.post(
        "/comparisons/new",
        data={
            "original_file": (io.BytesIO(text), "es.txt"),
            "version_files": [(io.BytesIO(text), "copy.txt")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "already in the comparison" in response.get_data(as_text=True)
