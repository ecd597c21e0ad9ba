"""A comparison of several versions is one background job that reports its progress."""

from __future__ import annotations

from app.config import JobSettings, Settings
from app.ingest import DEFAULT_LANGUAGES
from app.jobs import compare as compare_jobs
from app.jobs import run
from app.services import add_document, comparisons
from app.services import jobs as job_service
from app.store import db as store_db
from app.store.jobs import Job


def queue_compare_job(sessions, original, versions) -> int:
    with store_db.transaction(sessions) as session:
        original_id = add_document(session, original).id
        version_ids = [add_document(session, v).id for v in versions]
        job = job_service.create_job(
            session,
            compare_jobs.COMPARE,
            compare_jobs.compare_parameters(
                original_id,
                [{"document": i, "label": f"v{k}"} for k, i in enumerate(version_ids, start=1)],
                title="corpus versions",
            ),
            queue="local",
            max_attempts=1,
        )
        return job.id


def test_a_compare_job_aligns_every_version_and_stores_the_comparison(
    database_url, tmp_path, corpus_versions, monkeypatch
):
    settings = Settings(
        database_url, tmp_path / "instance", DEFAULT_LANGUAGES, jobs=JobSettings(redis_url=None)
    )
    engine = store_db.make_engine(database_url)
    sessions = store_db.make_session_factory(engine)
    original, versions = corpus_versions
    job_id = queue_compare_job(sessions, original, versions)
    stages = []
    real = compare_jobs.VersionProgress.__call__

    def watched(self, number, count, stage, done, total):
        stages.append((number, count, stage))
        return real(self, number, count, stage, done, total)

    monkeypatch.setattr(compare_jobs.VersionProgress, "__call__", watched)
    assert run.execute(settings, job_id, "test") == "done"
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job.state == "done" and job.percent == 100.0
        comparison = comparisons.get(session, job.result["comparison_id"])
        assert [v.label for v in comparison.versions] == ["v1", "v2"]
        assert job_service.describe(job)["title"] == "corpus versions"
    assert {(n, c) for n, c, _stage in stages} == {(1, 2), (2, 2)}
    engine.dispose()


def test_a_compare_job_with_a_missing_document_fails_with_the_reason(database_url, tmp_path):
    settings = Settings(
        database_url, tmp_path / "instance", DEFAULT_LANGUAGES, jobs=JobSettings(redis_url=None)
    )
    engine = store_db.make_engine(database_url)
    sessions = store_db.make_session_factory(engine)
    with store_db.transaction(sessions) as session:
        job_id = job_service.create_job(
            session,
            compare_jobs.COMPARE,
            compare_jobs.compare_parameters(999_999, [{"document": 999_998}]),
            queue="local",
            max_attempts=1,
        ).id
    assert run.execute(settings, job_id, "test") == "failed"
    with sessions() as session:
        job = session.get(Job, job_id)
        assert "there is no document 999999" in job.error
        assert session.query(comparisons.Comparison).count() == 0
    engine.dispose()
