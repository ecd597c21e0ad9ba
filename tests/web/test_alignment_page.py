"""The alignment page shows the pairs side by side, with their scores and review state."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import escape

from app.store import db as store_db
from app.store import models

from .conftest import HOSTILE, stored_beads
from .pages import bead_rows, progress_text


@dataclass(frozen=True)
class StoredAlignment:
    """What the page should show about an alignment, read straight from the store."""

    method: str
    scorers: list[str]
    source_title: str
    target_title: str
    source_lang: str
    target_lang: str
    source: list[tuple[str, str]]  # (kind, text) per segment
    target: list[tuple[str, str]]


def stored_alignment(sessions, alignment_id: int) -> StoredAlignment:
    with sessions() as session:
        alignment = session.get(models.Alignment, alignment_id)
        assert alignment is not None

        def segments(document: models.Document) -> list[tuple[str, str]]:
            return [(segment.kind, segment.text) for segment in document.segments]

        return StoredAlignment(
            method=alignment.method,
            scorers=list(alignment.parameters["scorers"]),
            source_title=alignment.source.title,
            target_title=alignment.target.title,
            source_lang=alignment.source.language,
            target_lang=alignment.target.language,
            source=segments(alignment.source),
            target=segments(alignment.target),
        )


def test_the_page_shows_every_bead_of_the_demo_once(client, sessions, demo_alignment):
    html = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)

    beads = stored_beads(sessions, demo_alignment)
    assert len(beads) == 28
    assert html.count('id="bead-') == len(beads)
    assert [row.position for row in bead_rows(html)] == [bead.position for bead in beads]


def test_both_texts_are_side_by_side_in_their_languages(client, sessions, demo_alignment):
    html = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)

    stored = stored_alignment(sessions, demo_alignment)
    assert (stored.source_lang, stored.target_lang) == ("es", "en")
    rows = {row.position: row for row in bead_rows(html)}
    for bead in stored_beads(sessions, demo_alignment):
        row = rows[bead.position]
        assert [text for _tag, text in row.source] == [
            text for _kind, text in stored.source[bead.src_start : bead.src_end]
        ]
        assert [text for _tag, text in row.target] == [
            text for _kind, text in stored.target[bead.tgt_start : bead.tgt_end]
        ]
        assert row.langs == {"source": "es", "target": "en"}


def test_the_header_names_the_documents_method_and_scorers(client, sessions, demo_alignment):
    html = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)

    stored = stored_alignment(sessions, demo_alignment)
    assert str(escape(stored.source_title)) in html
    assert str(escape(stored.target_title)) in html
    assert stored.method in html
    assert ", ".join(stored.scorers) in html
    assert progress_text(html) == "0/28"


def test_headings_are_rendered_as_headings(client, sessions, demo_alignment):
    html = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)

    stored = stored_alignment(sessions, demo_alignment)
    headings = {text for kind, text in stored.source + stored.target if kind == "heading"}
    assert len(headings) >= 10  # at least the title and four subheadings in each document
    shown = [(tag, text) for row in bead_rows(html) for tag, text in row.source + row.target]
    assert {text for tag, text in shown if tag == "h3"} == headings
    assert all(tag == "p" for tag, text in shown if text not in headings)


def test_similarities_are_shown_with_two_decimals_and_a_colour_band(
    client, sessions, demo_alignment
):
    html = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)

    rows = {row.position: row for row in bead_rows(html)}
    for bead in stored_beads(sessions, demo_alignment):
        row = rows[bead.position]
        if bead.similarity is None:
            assert row.similarity is None
            assert "band-none" in row.classes
            continue
        assert row.similarity == f"{bead.similarity:.2f}"
        expected = "high" if bead.similarity >= 0.8 else "mid" if bead.similarity >= 0.5 else "low"
        assert f"band-{expected}" in row.classes
        assert row.score_names == list(bead.scores)
        assert row.status == "automatic"


def test_one_sided_beads_are_marked_and_can_be_confirmed_as_omissions(
    client, sessions, demo_alignment
):
    html = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)

    rows = {row.position: row for row in bead_rows(html)}
    one_sided = [bead for bead in stored_beads(sessions, demo_alignment) if bead.one_sided]
    assert one_sided, "the corpus has omissions and additions"
    for bead in one_sided:
        row = rows[bead.position]
        assert "one-sided" in row.classes
        # A confirmed omission or addition is kept as it is by re-alignment.
        assert row.has_status_form
        if bead.src_start == bead.src_end:
            assert row.only_in == "only in the translation"
            assert row.source == [] and row.missing == {"source": "Not in the original"}
        else:
            assert row.only_in == "only in the original"
            assert row.target == [] and row.missing == {"target": "Not in the translation"}
    two_sided = [row for row in rows.values() if "one-sided" not in row.classes]
    assert all(row.has_status_form for row in two_sided)


def test_document_text_is_escaped(client, hostile_alignment):
    html = client.get(f"/alignments/{hostile_alignment}").get_data(as_text=True)

    assert HOSTILE not in html
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;negrita&lt;/b&gt; &amp; &#34;comillas&#34;." in html
    [heading, paragraph, lone] = bead_rows(html)
    assert heading.source == [("h3", f"Encabezado {HOSTILE}")]
    assert paragraph.target == [("p", f'Paragraph with {HOSTILE} and <b>bold</b> & "quotes".')]
    assert lone.only_in == "only in the original"


def test_titles_on_the_index_are_escaped_too(client, hostile_alignment):
    html = client.get("/").get_data(as_text=True)

    assert HOSTILE not in html
    assert "Título &lt;script&gt;" in html


def test_a_missing_alignment_is_a_404_page(client):
    response = client.get("/alignments/999999")

    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "There is no alignment 999999" in html
    assert "Traceback" not in html


def test_the_scores_panel_says_what_each_score_means_in_the_feature_registrys_words(
    client, sessions, demo_alignment
):
    from app.align import features

    html = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)

    names = {name for bead in stored_beads(sessions, demo_alignment) for name in bead.scores}
    assert {"semantic", "overhang", "length"} <= names
    for name in names:
        meaning = f"{features.label(name)}: {features.meaning(name)}"
        assert f'<dd class="score-meaning">{escape(meaning)}</dd>' in html


def test_an_upload_says_its_paragraph_figures_weigh_their_sentences(
    client, sessions, corpus_pair, corpus_result
):
    from app.align.sentence_evidence import CONFIDENCE_NOTE
    from app.services import pairs

    pair = pairs.compute(sessions, *corpus_pair)
    with store_db.transaction(sessions) as session:
        alignment_id = pairs.store(session, pair).id
    html = client.get(f"/alignments/{alignment_id}").get_data(as_text=True)

    legend = html.split('<p class="score-legend">', 1)[1].split("</p>", 1)[0]
    assert str(escape(CONFIDENCE_NOTE)) in legend
    stored = stored_beads(sessions, alignment_id)
    # The same pairs as the paragraph level alone, their figures read again.
    spans = [(b.src_start, b.src_end, b.tgt_start, b.tgt_end) for b in corpus_result.beads]
    assert [(b.src_start, b.src_end, b.tgt_start, b.tgt_end) for b in stored] == spans
    assert [b.similarity for b in stored] != [b.similarity for b in corpus_result.beads]
    assert all((b.similarity is None) == b.one_sided for b in stored)


def test_a_paragraph_alignment_without_sentences_has_no_such_note(client, demo_alignment):
    html = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)
    assert "sentences pair up" not in html
