"""Two reviewers, logged in with their own sessions, change the same pair at the same moment.

One wins, the other gets 409 and changes nothing; the history holds exactly the winners'
events, each under the name of the reviewer who made it. Run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading

from sqlalchemy import select

from app.services.review import check_alignment
from app.store import models

from .conftest import add_account, insert_synthetic_alignment, move_to_project, stored_beads

JSON = {"Accept": "application/json"}
ROUNDS = 8


def race(clients: dict, requests: dict) -> dict:
    """Send each reviewer's request at once (a barrier releases them together)."""
    barrier = threading.Barrier(len(clients))
    answers: dict = {}

    def send(name: str) -> None:
        path, data = requests[name]
        barrier.wait()
        response = clients[name].post(path, data=data, headers=JSON)
        answers[name] = (response.status_code, response.get_json(silent=True) or {})

    threads = [threading.Thread(target=send, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def alignment_version(sessions, alignment_id: int) -> int:
    with sessions() as session:
        return session.get(models.Alignment, alignment_id).version


def test_two_reviewers_on_the_same_pair_one_wins_the_other_gets_409(app, sessions, as_user):
    from app.store import accounts
    from app.store.db import transaction

    with transaction(sessions) as session:
        accounts.create_project(session, "news")
    add_account(sessions, "rita", "reviewer")
    add_account(sessions, "rudi", "reviewer")
    alignment = insert_synthetic_alignment(sessions, 30)
    move_to_project(sessions, alignment, "news")
    clients = {"rita": as_user("rita"), "rudi": as_user("rudi")}
    start_version = alignment_version(sessions, alignment)
    winners: list[str] = []

    for round_number in range(ROUNDS):
        bead = stored_beads(sessions, alignment)[round_number]
        version = alignment_version(sessions, alignment)
        if round_number % 2 == 0:
            # Both decide on the pair, from the same page (same bead version).
            requests = {
                "rita": (
                    f"/beads/{bead.id}/status",
                    {"status": "confirmed", "version": bead.version},
                ),
                "rudi": (
                    f"/beads/{bead.id}/note",
                    {"note": "rudi was here", "version": bead.version},
                ),
            }
        else:
            # One merges the pair with the next while the other splits... the same pair.
            requests = {
                "rita": (
                    f"/alignments/{alignment}/operations",
                    {"op": "merge_next", "position": bead.position, "version": version},
                ),
                "rudi": (
                    f"/alignments/{alignment}/operations",
                    {"op": "detach target last", "position": bead.position, "version": version},
                ),
            }

        answers = race(clients, requests)

        statuses = sorted(status for status, _body in answers.values())
        assert statuses == [200, 409], answers
        loser = next(name for name, (status, _) in answers.items() if status == 409)
        assert "someone else" in answers[loser][1]["error"]
        winners.append(next(name for name, (status, _) in answers.items() if status == 200))

    with sessions() as session:
        history = list(
            session.scalars(
                select(models.ReviewEvent)
                .where(models.ReviewEvent.alignment_id == alignment)
                .order_by(models.ReviewEvent.id)
            )
        )
        # Nothing lost, nothing extra: one event per winning request, in order, by its author.
        assert [event.actor for event in history] == winners
        assert alignment_version(sessions, alignment) == start_version + ROUNDS
        assert [event.alignment_version for event in history] == list(
            range(start_version + 1, start_version + ROUNDS + 1)
        )
        check_alignment(session, alignment)  # the beads still tile both documents
    for round_number in range(0, ROUNDS, 2):
        # The status round's pair holds the winner's change and not the loser's.
        event = history[round_number]
        bead = stored_beads(sessions, alignment)[event.position]
        if event.actor == "rita":
            assert (bead.status, bead.note) == ("confirmed", None)
        else:
            assert (bead.status, bead.note) == ("automatic", "rudi was here")

    # The loser reloads and makes the change again: it goes through, under their name.
    bead = stored_beads(sessions, alignment)[20]
    retry = clients["rudi"].post(
        f"/beads/{bead.id}/note", data={"note": "again", "version": bead.version}, headers=JSON
    )
    assert retry.status_code == 200
    with sessions() as session:
        last = session.scalars(
            select(models.ReviewEvent).order_by(models.ReviewEvent.id.desc()).limit(1)
        ).one()
        assert (last.actor, last.action) == ("rudi", "note")
