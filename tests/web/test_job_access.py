"""Jobs belong to a project: only its members see them, only its reviewers start them."""

from __future__ import annotations

import re

from app.services import jobs as job_service
from app.store import accounts
from app.store.db import transaction


def queue_job_in(sessions, project: str) -> int:
    with transaction(sessions) as session:
        project_id = accounts.get_project(session, project).id
        job = job_service.create_job(
            session,
            job_service.ALIGN,
            job_service.align_parameters(
                {"path": "/nowhere/es.txt"},
                {"path": "/nowhere/en.txt"},
                title="Frontera → Border",
                project_id=project_id,
            ),
            queue="alinea-access-test",
            max_attempts=1,
        )
        return job.id


def test_a_job_is_seen_by_its_project_s_members_only(sessions, team, as_user):
    job_id = queue_job_in(sessions, "news")

    member, outsider = as_user("rita"), as_user("nora")

    assert member.get(f"/jobs/{job_id}").status_code == 200
    assert member.get(f"/jobs/{job_id}.json").json["id"] == job_id
    assert "Frontera → Border" in member.get("/jobs").get_data(as_text=True)
    assert outsider.get(f"/jobs/{job_id}").status_code == 404
    assert outsider.get(f"/jobs/{job_id}.json").status_code == 404
    assert "Frontera → Border" not in outsider.get("/jobs").get_data(as_text=True)


def test_a_viewer_cannot_start_an_alignment_in_the_project(sessions, team, as_user):
    client = as_user("vera")
    form = client.get("/alignments/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    with sessions() as session:
        news = accounts.get_project(session, "news").id

    answer = client.post(
        "/alignments/new",
        data={"csrf_token": token, "project": str(news), "source_document": "1"},
    )

    assert answer.status_code == 403
    assert 'name="project"' not in form  # no project to offer a viewer
    with sessions() as session:
        assert job_service.list_jobs(session) == []


def test_only_a_reviewer_of_the_job_s_project_may_cancel_it(sessions, team, as_user):
    job_id = queue_job_in(sessions, "news")
    viewer, outsider, reviewer = as_user("vera"), as_user("nora"), as_user("rita")

    assert viewer.post(f"/jobs/{job_id}/cancel").status_code == 403
    assert outsider.post(f"/jobs/{job_id}/cancel").status_code == 404
    assert reviewer.get(f"/jobs/{job_id}.json").json["state"] == "queued"

    assert reviewer.post(f"/jobs/{job_id}/cancel").status_code == 303
    view = reviewer.get(f"/jobs/{job_id}.json").json
    assert view["state"] == "cancelled" and view["error"] == "cancelled by rita"
    page = reviewer.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "cancelled by rita" in page and "Cancel the job" not in page


def test_the_cancel_button_is_shown_to_those_who_may_use_it(sessions, team, as_user):
    job_id = queue_job_in(sessions, "news")

    assert "Cancel the job" not in as_user("vera").get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Cancel the job" in as_user("rita").get(f"/jobs/{job_id}").get_data(as_text=True)
