"""Downloads from the review page follow the same rules as the command: level, formula guard."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from app.web import create_app

from .conftest import AWKWARD_PARAGRAPHS

FORMULA_SOURCE = AWKWARD_PARAGRAPHS[4][0][0]


def download(client, alignment_id: int, format_name: str) -> str:
    """The text of an export download, read whole (the response is a stream)."""
    response = client.get(f"/alignments/{alignment_id}/export?format={format_name}")
    try:
        assert response.status_code == 200
        return response.get_data(as_text=True)
    finally:
        response.close()


def test_a_sentence_view_downloads_a_sentence_level_tmx(client, awkward) -> None:
    assert 'segtype="paragraph"' in download(client, awkward.paragraph, "tmx")
    assert 'segtype="sentence"' in download(client, awkward.sentence, "tmx")


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_a_csv_download_is_guarded_unless_the_setting_says_not(client, settings, awkward) -> None:
    guarded = csv_rows(download(client, awkward.paragraph, "csv"))
    assert guarded[-1]["source"] == f"'{FORMULA_SOURCE}"
    unguarded_app = create_app(replace(settings, csv_formula_guard=False), TESTING=True)
    try:
        text = download(unguarded_app.test_client(), awkward.paragraph, "csv")
        assert csv_rows(text)[-1]["source"] == FORMULA_SOURCE
    finally:
        unguarded_app.extensions["alinea.engine"].dispose()
