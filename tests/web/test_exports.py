"""Downloading the reviewed pairs as a translation memory or a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest
from translate.misc.xml_helpers import getXMLlang
from translate.storage import tmx

from app.segments import BeadStatus

from .conftest import stored_beads, two_sided


def set_status(client, bead, status: str) -> None:
    response = client.post(
        f"/beads/{bead.id}/status", data={"status": status, "version": bead.version}
    )
    assert response.status_code == 303


def test_a_tmx_download_holds_the_pairs_that_were_not_rejected(client, sessions, demo_alignment):
    pairs = two_sided(stored_beads(sessions, demo_alignment))
    set_status(client, pairs[0], "rejected")

    response = client.get(f"/alignments/{demo_alignment}/export?format=tmx&selection=all")

    assert response.status_code == 200
    assert response.mimetype == "application/x-tmx+xml"
    assert response.mimetype_params == {"charset": "utf-8"}
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="alinea-{demo_alignment}.tmx"'
    )
    store = tmx.tmxfile(response.data)
    assert len(store.units) == len(pairs) - 1
    assert [unit.getid() for unit in store.units] == [str(b.position) for b in pairs[1:]]
    for unit in store.units:
        assert [getXMLlang(node) for node in unit.getlanguageNodes()] == ["es", "en"]
        assert unit.source and unit.target


def test_a_tsv_download_has_a_header_and_one_row_per_pair(client, sessions, demo_alignment):
    pairs = two_sided(stored_beads(sessions, demo_alignment))

    response = client.get(f"/alignments/{demo_alignment}/export?format=tsv")

    assert response.status_code == 200
    assert response.mimetype == "text/tab-separated-values"
    assert response.mimetype_params == {"charset": "utf-8"}
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="alinea-{demo_alignment}.tsv"'
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)), dialect="excel-tab"))
    assert rows[0] == ["source", "target", "similarity", "status", "note"]
    assert len(rows) == 1 + len(pairs)


def test_only_confirmed_pairs_are_exported_when_asked(client, sessions, demo_alignment):
    pairs = two_sided(stored_beads(sessions, demo_alignment))
    set_status(client, pairs[1], "confirmed")
    set_status(client, pairs[4], "confirmed")

    response = client.get(f"/alignments/{demo_alignment}/export?format=tmx&selection=confirmed")

    store = tmx.tmxfile(response.data)
    assert len(store.units) == 2
    assert [unit.getid() for unit in store.units] == [str(b.position) for b in (pairs[1], pairs[4])]


def test_a_similarity_floor_leaves_out_weaker_pairs(client, sessions, hostile_alignment):
    response = client.get(f"/alignments/{hostile_alignment}/export?format=tmx&min_similarity=0.8")

    store = tmx.tmxfile(response.data)
    assert [unit.getid() for unit in store.units] == ["0"]
    assert store.units[0].source == "Encabezado <script>alert(1)</script>"


def test_the_export_form_is_on_the_alignment_page(client, demo_alignment):
    html = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)

    assert f'action="/alignments/{demo_alignment}/export"' in html
    assert 'name="format"' in html and 'name="status"' in html


def test_the_export_form_offers_every_format_and_check_of_the_registries(client, demo_alignment):
    from app.formats import EXPORT_FORMATS
    from app.qa import CHECK_NAMES

    html = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)
    form = html[html.index('class="export"') :]
    form = form[: form.index("</form>")]
    for name, entry in EXPORT_FORMATS.items():
        assert f'<option value="{name}"' in form and entry.title in form
    for name in CHECK_NAMES:
        assert f'name="check" value="{name}"' in form
    for status in ("automatic", "confirmed", "rejected"):
        assert f'name="status" value="{status}"' in form
    assert 'name="level"' in form and 'name="flagged"' in form and 'name="one_sided"' in form


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("format=xlsx", "choose one of: csv, jsonl, moses, tmx, tsv, xliff, xliff12"),
        ("check=numbrs", "choose among: numbers, names, quotes"),
        ("status=done", "status must be among automatic, confirmed, rejected"),
        ("level=word", "level must be one of paragraph, sentence"),
        ("flagged=maybe", "flagged must be yes, no or empty"),
        ("format=tmx&selection=some", "selection must be one of all, confirmed"),
        ("format=tsv&min_similarity=high", "min_similarity must be a number between 0 and 1"),
        ("format=tsv&min_similarity=-0.1", "min_similarity must be a number between 0 and 1"),
    ],
)
def test_a_bad_export_request_is_a_400_page(client, demo_alignment, query, message):
    response = client.get(f"/alignments/{demo_alignment}/export?{query}")

    assert response.status_code == 400
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert message.capitalize() in html or message in html
    assert "Content-Disposition" not in response.headers


def test_exporting_a_missing_alignment_is_a_404_page(client):
    response = client.get("/alignments/424242/export?format=tmx")

    assert response.status_code == 404
    assert "There is no alignment 424242" in response.get_data(as_text=True)


def test_an_export_leaves_no_database_connection_behind(app, client, demo_alignment):
    pool = app.extensions["alinea.engine"].pool

    response = client.get(f"/alignments/{demo_alignment}/export?format=tsv")
    assert response.data.startswith(b"source\ttarget")
    assert pool.checkedout() == 0

    # A client that goes away after the first chunk: the server closes the stream.
    response = client.get(f"/alignments/{demo_alignment}/export?format=tmx", buffered=False)
    first = next(iter(response.response))
    assert first.startswith(b"<?xml")
    response.close()
    assert pool.checkedout() == 0


def test_the_export_form_filters_like_the_command_line(client, sessions, demo_alignment):
    """Flagged pairs only, by one check, one-sided kept: the JSONL file holds exactly those."""
    import json

    from app.services.exchange import export_selection, iter_export_pairs

    query = "format=jsonl&flagged=yes&check=omission&one_sided=1&status=automatic"
    response = client.get(f"/alignments/{demo_alignment}/export?{query}")
    assert response.status_code == 200
    rows = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    with sessions() as session:
        from app.services import get_alignment

        expected = list(
            iter_export_pairs(
                session,
                get_alignment(session, demo_alignment),
                export_selection(
                    statuses=frozenset({BeadStatus.AUTOMATIC}),
                    flagged=True,
                    checks=frozenset({"omission"}),
                    one_sided=True,
                ),
            )
        )
    assert rows and len(rows) == len(expected)
    assert all(any(flag["check"] == "omission" for flag in row["flags"]) for row in rows)


def test_moses_is_downloaded_as_a_zip_of_two_line_aligned_files(client, demo_alignment):
    import io
    import zipfile

    response = client.get(f"/alignments/{demo_alignment}/export?format=moses")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].endswith('.zip"')
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        names = sorted(archive.namelist())
        assert [name.rsplit(".", 1)[1] for name in names] == ["en", "es"]
        source, target = (archive.read(name).decode().splitlines() for name in names)
    assert len(source) == len(target) > 0


def test_one_sided_pairs_are_exported_when_asked(client, sessions, demo_alignment):
    beads = stored_beads(sessions, demo_alignment)

    response = client.get(f"/alignments/{demo_alignment}/export?format=tsv&one_sided=1")

    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)), dialect="excel-tab"))
    assert len(rows) == 1 + len(beads)
    assert any(row[0] == "" or row[1] == "" for row in rows[1:])
