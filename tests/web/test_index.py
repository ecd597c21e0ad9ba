"""The home page lists what there is to review."""

from __future__ import annotations

from markupsafe import escape

from app.services import list_alignments, list_documents


def test_the_index_lists_the_demo_alignment_and_both_documents(client, sessions, demo_alignment):
    response = client.get("/")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'href="/alignments/{demo_alignment}"' in html
    with sessions() as session:
        [summary] = list_alignments(session)
        documents = list_documents(session)
        assert len(documents) == 2
        for document, segments in documents:
            assert str(escape(document.title)) in html
            assert f'<span class="lang">{document.language}</span>' in html
            assert f'<td class="num">{segments}</td>' in html
            assert str(escape(document.origin)) in html
    assert f'<td class="num">{summary.beads}</td>' in html
    assert f"{summary.mean_similarity:.2f}" in html


def test_an_empty_workbench_says_how_to_create_an_alignment(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "There are no alignments yet" in html
    assert "alinea align ORIGINAL TRANSLATION" in html
    assert "alinea demo" in html
