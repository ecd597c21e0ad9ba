"""The "New alignment" form and the job pages, without a worker: what is queued, what is
refused, and what the pages say when the queue cannot be reached."""

from __future__ import annotations

import contextlib
import re
from dataclasses import replace
from io import BytesIO
from pathlib import Path

from redis import Redis
from rq import Queue
from sqlalchemy import func, select

from app.jobs import run
from app.services import add_document
from app.services import jobs as job_service
from app.store import models
from app.store.db import transaction
from app.store.jobs import Job, JobFile
from app.web import create_app

from .conftest import CORPUS, REDIS_URL


def counts(sessions) -> tuple[int, int]:
    with sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(models.Document)),
            session.scalar(select(func.count()).select_from(Job)),
        )


def test_the_form_offers_uploads_and_imported_documents(client, sessions, corpus_pair):
    with transaction(sessions) as session:
        add_document(session, corpus_pair[0])
    response = client.get("/alignments/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'type="file" id="source_file"' in html
    assert corpus_pair[0].title in html
    assert "queue-unavailable" not in html


def test_picking_two_imported_documents_queues_one_job(client, sessions, corpus_pair, settings):
    with transaction(sessions) as session:
        es, en = (add_document(session, document).id for document in corpus_pair)
    response = client.post(
        "/alignments/new", data={"source_document": str(es), "target_document": str(en)}
    )
    assert response.status_code == 303
    job_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job.state == "queued"
        assert job.parameters["source"]["document"] == es
        rq_id = job.rq_id
    with Redis.from_url(REDIS_URL) as redis:
        queue = Queue(settings.jobs.queue, connection=redis)
        assert rq_id in queue.job_ids
        queue.remove(rq_id)


def test_a_form_without_the_translation_is_refused_and_nothing_is_written(client, sessions):
    with (CORPUS / "es.txt").open("rb") as es:
        response = client.post(
            "/alignments/new",
            data={"source_file": (es, "es.txt")},
            content_type="multipart/form-data",
        )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Upload the translation or pick it from the documents." in html
    assert counts(sessions) == (0, 0)


def test_a_binary_upload_fails_its_job_with_the_importers_message(
    client, sessions, settings, tmp_path
):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    with (CORPUS / "es.txt").open("rb") as es, binary.open("rb") as scan:
        response = client.post(
            "/alignments/new",
            data={"source_file": (es, "es.txt"), "target_file": (scan, "scan.txt")},
            content_type="multipart/form-data",
        )
    # The request only keeps the bytes and queues: reading them is the job's work.
    assert response.status_code == 303
    job_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    assert counts(sessions) == (0, 1) and file_count(sessions) == 2
    drop_from_redis(settings, sessions)

    assert run.execute(settings, job_id, "test") == "failed"
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job.error == "scan.txt: this looks like a binary file, not text"
    assert counts(sessions) == (0, 1) and file_count(sessions) == 0


def test_an_upload_larger_than_the_limit_is_refused_in_the_request(client, sessions, tmp_path):
    from app.ingest import MAX_BYTES

    large = tmp_path / "large.txt"
    large.write_bytes(b"a" * (MAX_BYTES + 1))
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart

    with (CORPUS / "es.txt").open("rb") as es, large.open("rb") as big:
        # Encoded here, in memory: the test client would spool a large body to a file.
        boundary, body = encode_multipart(
            MultiDict(
                {
                    "source_file": FileStorage(es, "es.txt"),
                    "target_file": FileStorage(big, "large.txt"),
                }
            )
        )
    response = client.post(
        "/alignments/new",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert "is larger than 20 MB" in response.get_data(as_text=True)
    assert counts(sessions) == (0, 0) and file_count(sessions) == 0


def status_of(sessions, job_id: int) -> str:
    with sessions() as session:
        return session.get(Job, job_id).state


def file_count(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(JobFile))


def drop_from_redis(settings, sessions) -> None:
    """Take this test's jobs off the queue: it runs them itself."""
    with sessions() as session:
        rq_ids = list(session.scalars(select(Job.rq_id)))
    with Redis.from_url(REDIS_URL) as redis:
        queue = Queue(settings.jobs.queue, connection=redis)
        for rq_id in rq_ids:
            if rq_id:
                queue.remove(rq_id)


def test_without_a_reachable_queue_the_form_says_so_and_queues_nothing(settings, sessions):
    # Nothing listens on port 1.
    unreachable = replace(settings, jobs=replace(settings.jobs, redis_url="redis://127.0.0.1:1/0"))
    app = create_app(unreachable, TESTING=True, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    page = client.get("/alignments/new").get_data(as_text=True)
    assert "cannot reach Redis at redis://127.0.0.1:1/0" in page
    assert re.search(r"<button[^>]*disabled", page)

    with (CORPUS / "es.txt").open("rb") as es, (CORPUS / "en.txt").open("rb") as en:
        response = client.post(
            "/alignments/new",
            data={"source_file": (es, "es.txt"), "target_file": (en, "en.txt")},
            content_type="multipart/form-data",
        )
    assert response.status_code == 503
    assert "background jobs are unavailable" in response.get_data(as_text=True)
    assert counts(sessions) == (0, 0)
    app.extensions["alinea.engine"].dispose()


def test_the_job_page_follows_its_job_with_a_script_of_its_own(client, sessions):
    with transaction(sessions) as session:
        job = job_service.create_job(
            session, job_service.ALIGN, {"title": "a pair"}, queue="q", max_attempts=2
        )
        job_id = job.id
    response = client.get(f"/jobs/{job_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'data-status-url="/jobs/{job_id}.json"' in html
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/static/' in attributes for attributes in scripts)
    script = client.get("/static/jobs.js")
    assert script.status_code == 200
    script.close()


def test_an_unknown_job_is_a_404_in_json_too(client):
    response = client.get("/jobs/999999.json", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"] == "There is no job 999999."


def test_an_upload_s_name_is_only_a_title_never_a_path(client, sessions, settings, tmp_path):
    # The names a hostile client may send for its files: upward paths, absolute paths.
    names = ("../../../../tmp/alinea-planted.txt", "/etc/cron.d/alinea.txt")
    with (CORPUS / "es.txt").open("rb") as es, (CORPUS / "en.txt").open("rb") as en:
        response = client.post(
            "/alignments/new",
            data={"source_file": (es, names[0]), "target_file": (en, names[1])},
            content_type="multipart/form-data",
        )
    assert response.status_code == 303
    job_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    drop_from_redis(settings, sessions)
    assert run.execute(settings, job_id, "test") == "done"
    with sessions() as session:
        titles = set(session.scalars(select(models.Document.title)))
    # Each document is named by its own heading; the upload's name reached no file system.
    assert all("/" not in title and ".." not in title for title in titles) and len(titles) == 2
    assert not any(Path(name).exists() for name in names)
    assert file_count(sessions) == 0


def test_an_upload_whose_language_is_doubtful_runs_with_a_notice_on_the_job_page(
    client, sessions, settings
):
    texts = Path(__file__).resolve().parents[1] / "ingest" / "data" / "languages"
    note = b"Jeg har ikke tid i dag.\n"
    with (texts / "is-en.txt").open("rb") as english:
        response = client.post(
            "/alignments/new",
            data={"source_file": (BytesIO(note), "besked.txt"), "target_file": (english, "en.txt")},
            content_type="multipart/form-data",
        )
    assert response.status_code == 303
    job_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    drop_from_redis(settings, sessions)
    # However the alignment ends (an unexpected error is stored on the job, then raised for
    # the worker's log), the notice was written when the files were read.
    with contextlib.suppress(Exception):
        run.execute(settings, job_id, "test")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert status_of(sessions, job_id) in ("done", "failed")
    assert (
        "besked.txt: the language was detected with low confidence (da 0.70, then nb 0.30)" in page
    )


def test_an_upload_whose_language_cannot_be_told_fails_its_job_asking_for_it(
    client, sessions, settings
):
    greeting = "Hola, ¿qué tal?\n".encode()
    with (CORPUS / "en.txt").open("rb") as english:
        response = client.post(
            "/alignments/new",
            data={
                "source_file": (BytesIO(greeting), "hola.txt"),
                "target_file": (english, "en.txt"),
            },
            content_type="multipart/form-data",
        )
    assert response.status_code == 303
    job_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    drop_from_redis(settings, sessions)
    assert run.execute(settings, job_id, "test") == "failed"
    with sessions() as session:
        assert (
            "cannot tell the language of the text with confidence" in session.get(Job, job_id).error
        )
    assert counts(sessions) == (0, 1) and file_count(sessions) == 0
