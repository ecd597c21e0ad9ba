""" "Re-align unconfirmed" runs as a background job: the aligner works outside any
transaction, other reviewers keep working meanwhile, and the result is one short write."""

from __future__ import annotations

import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import select

from app.align.levels import align_segments
from app.errors import Conflict
from app.jobs import run
from app.jobs.realign import CHANGED, realign_job, realign_parameters
from app.services import review
from app.services.review import Operation
from app.store import db as store_db
from app.store import models
from app.store.jobs import Job

from .conftest import REDIS_URL


def alignment_version(sessions, alignment_id: int) -> int:
    with sessions() as session:
        return session.get(models.Alignment, alignment_id).version


def events(sessions, alignment_id: int) -> list[str]:
    with sessions() as session:
        return list(
            session.scalars(
                select(models.ReviewEvent.action)
                .where(models.ReviewEvent.alignment_id == alignment_id)
                .order_by(models.ReviewEvent.id)
            )
        )


def test_re_align_from_the_page_queues_a_job_that_reports_what_it_changed(
    client, sessions, settings, demo_alignment
):
    version = alignment_version(sessions, demo_alignment)
    apply = review.apply_operation
    with store_db.transaction(sessions) as session:
        apply(session, demo_alignment, version, Operation("merge_next", 0))
    version = alignment_version(sessions, demo_alignment)

    response = client.post(
        f"/alignments/{demo_alignment}/realign",
        data={"version": str(version)},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    location = response.get_json()["location"]
    assert location.startswith("/jobs/")
    job_id = int(location.rsplit("/", 1)[-1])
    assert alignment_version(sessions, demo_alignment) == version  # nothing done in the request
    with sessions() as session:
        rq_id = session.get(Job, job_id).rq_id
    with Redis.from_url(REDIS_URL) as redis:
        assert rq_id in Queue(settings.jobs.queue, connection=redis).job_ids
        Queue(settings.jobs.queue, connection=redis).remove(rq_id)

    assert run.execute(settings, job_id, "test") == "done"
    view = client.get(f"/jobs/{job_id}.json").get_json()
    assert view["result"]["summary"].startswith("re-aligned")
    assert view["alignment_url"] == f"/alignments/{demo_alignment}?job={job_id}"
    # The alignment, opened from the job, says what the job did.
    opened = client.get(view["alignment_url"]).get_data(as_text=True)
    assert "Re-aligned" in opened.split('id="notice"', 1)[1].split("</p>", 1)[0]
    assert alignment_version(sessions, demo_alignment) == view["result"]["version"] > version
    assert events(sessions, demo_alignment)[-1] == "realign"
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert view["result"]["summary"] in page


def test_other_reviewers_keep_working_while_it_realigns_and_it_then_changes_nothing(
    sessions, settings, demo_alignment
):
    from app.services import jobs as job_service

    version = alignment_version(sessions, demo_alignment)
    with store_db.transaction(sessions) as session:
        job_id = job_service.create_job(
            session,
            job_service.REALIGN,
            realign_parameters(demo_alignment, version, "ana", "the pair", None),
            queue="q",
            max_attempts=1,
        ).id
    attempt = run.claim(sessions, job_id, "test")
    confirmed = []

    def aligner_while_someone_reviews(*arguments):
        # Another reviewer confirms a pair while the aligner works: no lock is held, so
        # the write goes through at once, on SQLite as on PostgreSQL.
        if not confirmed:
            with store_db.transaction(sessions) as session:
                current = session.get(models.Alignment, demo_alignment).version
                review.apply_operation(
                    session, demo_alignment, current, Operation("status", 3, status="confirmed")
                )
            confirmed.append(True)
        return align_segments(*arguments, level="paragraph")

    with pytest.raises(Conflict):
        realign_job(
            sessions,
            job_id,
            attempt,
            realign_parameters(demo_alignment, version, "ana", "the pair", None),
            lambda *_: None,
            aligner=aligner_while_someone_reviews,
        )
    assert confirmed
    assert events(sessions, demo_alignment) == ["status"]  # the re-alignment wrote nothing
    with sessions() as session:
        statuses = list(
            session.scalars(
                select(models.Bead.status)
                .where(models.Bead.alignment_id == demo_alignment)
                .order_by(models.Bead.sort_key)
            )
        )
    assert statuses[3] == "confirmed"


def test_a_realign_asked_on_an_old_version_fails_with_a_message(sessions, settings, demo_alignment):
    from app.services import jobs as job_service

    version = alignment_version(sessions, demo_alignment)
    with store_db.transaction(sessions) as session:
        review.apply_operation(
            session, demo_alignment, version, Operation("status", 0, status="confirmed")
        )
        job_id = job_service.create_job(
            session,
            job_service.REALIGN,
            realign_parameters(demo_alignment, version, "ana", "the pair", None),
            queue="q",
            max_attempts=1,
        ).id
    assert run.execute(settings, job_id, "test") == "failed"
    with sessions() as session:
        error = session.get(Job, job_id).error
    assert error == CHANGED.replace("while it was being", "before it could be")
