"""The comparison pages over HTTP: escaping, bad parameters, access."""

from __future__ import annotations

import io
from dataclasses import replace

from app.ingest import load_text
from app.services import comparisons
from app.store import db as store_db
from app.web import create_app
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


def comparison_and_job_counts(sessions) -> tuple[int, int]:
    from sqlalchemy import func, select

    from app.store.comparisons import Comparison
    from app.store.jobs import Job

    with sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Comparison)),
            session.scalar(select(func.count()).select_from(Job)),
        )


def test_the_form_keeps_the_import_limits_of_the_server(settings, sessions):
    # The same limits as an import or the new alignment form: ALINEA_MAX_IMPORT_MB and
    # ALINEA_MAX_SEGMENTS, here 2 KB and 30 paragraphs.
    limited = replace(settings, max_import_bytes=2048, max_segments=30)
    client = create_app(limited, TESTING=True, WTF_CSRF_ENABLED=False).test_client()
    original = (CORPUS / "es.txt").read_bytes()
    cases = [
        ((io.BytesIO(b"Uno.\n\n" * 1000), "long.txt"), "A version (long.txt) is larger than 2 KB."),
        ((io.BytesIO(b" \n\n "), "blank.txt"), "A version (blank.txt) is empty."),
        ((io.BytesIO(b"Uno.\n\n" * 40), "many.txt"), "more than the 30 one document may have"),
    ]
    for version, message in cases:
        response = client.post(
            "/comparisons/new",
            data={
                "original_file": (io.BytesIO(original[:2000]), "es.txt"),
                "version_files": [version],
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    response = client.post(
        "/comparisons/new",
        data={
            "original_file": (io.BytesIO(original), "es.txt"),
            "version_files": [(io.BytesIO(b"One.\n\nTwo."), "en.txt")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "The original (es.txt) is larger than 2 KB." in response.get_data(as_text=True)
    assert comparison_and_job_counts(sessions) == (0, 0)
