"""Team server load: gunicorn + PostgreSQL, 20 reviewers logged in, a realistic mix for 2 minutes.

    .venv/bin/python bench/load_test.py                       # 20 reviewers, 120 s
    .venv/bin/python bench/load_test.py --reviewers 5 --duration 20 --workers 2

What it does:

1. creates a fresh PostgreSQL database on the server at ``--server`` (the test server at
   127.0.0.1:5432 by default), applies the migrations, and fills it with ``--alignments``
   generated alignments of ``--beads`` pairs each (paragraphs of the bundled corpus pair,
   repeated), in a project "team" whose members are the reviewers ``reviewer01``...;
2. starts gunicorn (``--workers`` processes of ``--threads`` threads) on 127.0.0.1 with
   ALINEA_AUTH=login, and waits for /healthz;
3. runs the reviewers, one thread and one keep-alive connection each, every one logged in with
   its own account: page loads, queue filters, confirm/reject, notes, merges and splits each
   followed by an undo, history and map pages, now and then a TSV export; after each edit the
   page is loaded again (as the review page does), and between actions a reviewer thinks for
   ``--think`` seconds on average;
4. stops the server and checks the history: the number of review events must equal the number
   of edits answered 2xx, reviewer by reviewer (409 conflicts are expected and counted apart),
   and every alignment must still tile both documents;
5. prints latency percentiles per kind of request, the 5xx count (must be 0) and the check,
   and drops the database (unless ``--keep``).

Only loopback addresses are used; the run stops by itself after ``--duration`` seconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "corpora" / "dw-2025-02-17-mexico-border"
PASSWORD = "load-test password"
EDIT_KINDS = ("confirm", "note", "merge", "split", "undo")

# (kind, weight): what a reviewer does next, besides reloading the page after an edit.
MIX = (
    ("confirm", 35),
    ("note", 12),
    ("filter", 18),
    ("merge", 8),
    ("split", 7),
    ("history", 8),
    ("map", 6),
    ("page", 5),
    ("export", 1),
)
FILTERS = (
    {"status": "automatic"},
    {"sort": "similarity"},
    {"max_similarity": "0.5"},
    {"status": "automatic", "sort": "similarity"},
    {"q": "frontera"},
    {"flagged": "1"},
)

ARTICLE = re.compile(
    r'<article id="bead-(\d+)"[^>]*data-src-len="(\d+)" data-tgt-len="(\d+)"', re.S
)
STATUS_FORM = re.compile(
    r'action="/beads/(\d+)/status">\s*<input type="hidden" name="csrf_token" value="[^"]*">'
    r'\s*<input type="hidden" name="version" value="(\d+)">'
)
VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# Setting up ----------------------------------------------------------------------------------


def create_database(server: str) -> tuple[str, str]:
    import psycopg

    name = f"alinea_load_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = server.rsplit("/", 1)[0]
    return f"{base}/{name}", name


def drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fill(url: str, alignments: int, beads: int, reviewers: int) -> list[int]:
    """Migrate, then add the reviewers, the project and the alignments; returns their ids."""
    from app.align.result import AlignmentResult
    from app.config import normalise_url
    from app.ingest import load_document
    from app.ingest.document import LoadedDocument
    from app.segments import BeadSpan, Segment
    from app.services import add_document, store_alignment
    from app.store import accounts
    from app.store import db as store_db

    url = normalise_url(url)
    store_db.upgrade(url)
    engine = store_db.make_engine(url)
    sessions = store_db.make_session_factory(engine)
    es, en = (
        load_document(CORPUS / "es.txt", lang="es"),
        load_document(CORPUS / "en.txt", lang="en"),
    )
    ids = []
    with store_db.transaction(sessions) as session:
        team = accounts.create_project(session, "team", "Load test")
        for k in range(1, reviewers + 1):
            user = accounts.create_user(session, f"reviewer{k:02d}", PASSWORD)
            accounts.set_membership(session, team, user, "reviewer")
        rng = random.Random(7)
        for a in range(alignments):
            documents = []
            for loaded in (es, en):
                texts = [
                    f"{loaded.segments[k % len(loaded.segments)].text} ({a}.{k})"
                    for k in range(beads)
                ]
                document = LoadedDocument(
                    title=f"{loaded.title} {a}",
                    language=loaded.language,
                    text="\n\n".join(texts),
                    segments=[Segment(text) for text in texts],
                    checksum=uuid.uuid4().hex,
                    origin=f"generated/{a}/{loaded.language}.txt",
                )
                documents.append(add_document(session, document, team.id))
            result = AlignmentResult(
                beads=[
                    BeadSpan(k, k + 1, k, k + 1, round(rng.uniform(0.2, 1.0), 3), {})
                    for k in range(beads)
                ],
                method="generated/1",
                parameters={"scorers": []},
            )
            ids.append(store_alignment(session, documents[0], documents[1], result).id)
    engine.dispose()
    return ids


def start_server(url: str, port: int, workers: int, threads: int, log_path: Path):
    instance = Path(tempfile.mkdtemp(prefix="alinea-load-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ALINEA_INSTANCE": str(instance),
        "ALINEA_SECRET_KEY": uuid.uuid4().hex,
        "ALINEA_AUTH": "login",
        "ALINEA_LOG_LEVEL": "INFO",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "app.wsgi:app",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--timeout",
        "60",
        # Idle connections are kept as a reverse proxy would keep them, not closed after 2 s.
        "--keep-alive",
        "30",
    ]
    log = log_path.open("w")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start-up; see {log_path}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return server, " ".join(command[2:])
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


# The reviewers ---------------------------------------------------------------------------------


@dataclass
class Tally:
    """Everything the reviewers saw, merged under a lock."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    edits_by_user: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, milliseconds: float, status: int, user: str) -> None:
        with self.lock:
            self.latencies[kind].append(milliseconds)
            self.statuses[kind][status] += 1
            if kind in EDIT_KINDS and 200 <= status < 300:
                self.edits_by_user[user] += 1


class Reviewer:
    def __init__(self, name: str, port: int, alignment: int, page: int, tally: Tally, seed: int):
        self.name, self.port, self.alignment, self.page = name, port, alignment, page
        self.tally = tally
        self.rng = random.Random(seed)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""
        self.csrf = ""
        self.version = 0
        self.beads: list[tuple[int, int, int, int, int]] = []  # position, id, version, src, tgt

    def request(self, kind: str, method: str, path: str, form: dict | None = None, json_=False):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json_:
            headers["Accept"] = "application/json"
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed the idle keep-alive connection before reading this
                # request (a browser retries too): reconnect and send it once more.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    self.tally.add(kind, (time.perf_counter() - started) * 1000, 0, self.name)
                    return 0, b"", {}
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.tally.add(kind, (time.perf_counter() - started) * 1000, 0, self.name)
                return 0, b"", {}
        elapsed = (time.perf_counter() - started) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("alinea_session="):
                self.cookie = value.split(";", 1)[0]
        self.tally.add(kind, elapsed, response.status, self.name)
        return response.status, data, dict(response.getheaders())

    def login(self) -> None:
        _status, page, _ = self.request("login_page", "GET", "/login")
        token = CSRF.search(page.decode()).group(1)
        status, _body, _ = self.request(
            "login",
            "POST",
            "/login",
            {"name": self.name, "password": PASSWORD, "csrf_token": token},
        )
        if status != 303:
            raise RuntimeError(f"{self.name} could not log in: {status}")

    def load(self, query: dict | None = None, kind: str = "page") -> None:
        args = {"page": str(self.page), **(query or {})}
        status, body, _ = self.request(
            kind, "GET", f"/alignments/{self.alignment}?{urlencode(args)}"
        )
        if status != 200:
            return
        html = body.decode()
        if match := CSRF.search(html):
            self.csrf = match.group(1)
        if match := VERSION.search(html):
            self.version = int(match.group(1))
        articles = ARTICLE.findall(html)
        forms = STATUS_FORM.findall(html)
        if query:  # a filtered view: keep the page's beads, take its versions only
            return
        self.beads = [
            (int(a[0]), int(f[0]), int(f[1]), int(a[1]), int(a[2]))
            for a, f in zip(articles, forms, strict=False)
        ]

    def edit(self, kind: str, path: str, form: dict) -> dict | None:
        status, body, _ = self.request(
            kind, "POST", path, {**form, "csrf_token": self.csrf}, json_=True
        )
        if 200 <= status < 300:
            answer = json.loads(body)
            self.version = answer.get("version", self.version)
            return answer
        return None

    def act(self) -> None:
        kind = self.rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
        two_sided = [bead for bead in self.beads if bead[3] and bead[4]]
        if kind in ("confirm", "note", "merge", "split") and not two_sided:
            kind = "page"
        if kind == "confirm":
            position, bead_id, version, *_ = self.rng.choice(two_sided)
            status = self.rng.choice(("confirmed", "confirmed", "rejected", "automatic"))
            if self.edit(kind, f"/beads/{bead_id}/status", {"status": status, "version": version}):
                self.load()
        elif kind == "note":
            position, bead_id, version, *_ = self.rng.choice(two_sided)
            note = self.rng.choice(("check the figures", "name spelt differently", ""))
            if self.edit(kind, f"/beads/{bead_id}/note", {"note": note, "version": version}):
                self.load()
        elif kind in ("merge", "split"):
            position = self.rng.choice(two_sided[:-1] or two_sided)[0]
            op = "merge_next" if kind == "merge" else "split"
            path = f"/alignments/{self.alignment}/operations"
            done = self.edit(kind, path, {"op": op, "position": position, "version": self.version})
            if done:
                # The reviewer changes their mind: undo at once, from the version just made.
                self.edit("undo", f"/alignments/{self.alignment}/undo", {"version": self.version})
            self.load()
        elif kind == "filter":
            self.load(self.rng.choice(FILTERS), kind="filter")
        elif kind == "history":
            self.request(kind, "GET", f"/alignments/{self.alignment}/history")
        elif kind == "map":
            self.request(kind, "GET", f"/alignments/{self.alignment}/map")
        elif kind == "export":
            self.request(kind, "GET", f"/alignments/{self.alignment}/export?format=tsv")
        else:
            self.load()

    def run(self, deadline: float, think: float, delay: float) -> None:
        # People do not all log in at the same instant.
        time.sleep(delay)
        self.login()
        self.load()
        while time.monotonic() < deadline:
            self.act()
            time.sleep(self.rng.uniform(0.5, 1.5) * think)
        self.connection.close()


# Checking and reporting ----------------------------------------------------------------------


def history_check(url: str, alignment_ids: list[int]) -> tuple[int, Counter, list[str]]:
    """The number of review events, by actor; and any alignment that no longer tiles."""
    from sqlalchemy import func, select

    from app.config import normalise_url
    from app.services.review import check_alignment
    from app.store import db as store_db
    from app.store import models

    engine = store_db.make_engine(normalise_url(url))
    broken = []
    with store_db.make_session_factory(engine)() as session:
        rows = session.execute(
            select(models.ReviewEvent.actor, func.count()).group_by(models.ReviewEvent.actor)
        ).all()
        for alignment_id in alignment_ids:
            try:
                check_alignment(session, alignment_id)
            except Exception as error:  # noqa: BLE001 - reported, not raised
                broken.append(f"alignment {alignment_id}: {error}")
    engine.dispose()
    by_actor = Counter({actor: count for actor, count in rows})
    return sum(by_actor.values()), by_actor, broken


def report(tally: Tally, duration: float) -> dict:
    rows = []
    everything: list[float] = []
    for kind in sorted(tally.latencies, key=lambda k: -len(tally.latencies[k])):
        values = np.array(tally.latencies[kind])
        everything.extend(values)
        p50, p95, p99 = np.percentile(values, [50, 95, 99])
        statuses = tally.statuses[kind]
        rows.append(
            {
                "kind": kind,
                "count": len(values),
                "p50": round(float(p50), 1),
                "p95": round(float(p95), 1),
                "p99": round(float(p99), 1),
                "max": round(float(values.max()), 1),
                "2xx/3xx": sum(n for s, n in statuses.items() if 200 <= s < 400),
                "409": statuses.get(409, 0),
                "other 4xx": sum(n for s, n in statuses.items() if 400 <= s < 500 and s != 409),
                "5xx": sum(n for s, n in statuses.items() if s >= 500),
                # No answer at all (status 0): the connection failed twice.
                "no answer": statuses.get(0, 0),
            }
        )
    p50, p95, p99 = np.percentile(np.array(everything), [50, 95, 99])
    total = {
        "requests": len(everything),
        "per_second": round(len(everything) / duration, 1),
        "p50": round(float(p50), 1),
        "p95": round(float(p95), 1),
        "p99": round(float(p99), 1),
        "5xx": sum(row["5xx"] for row in rows),
        "no_answer": sum(row["no answer"] for row in rows),
    }
    return {"kinds": rows, "total": total}


def markdown(summary: dict) -> str:
    columns = [
        "kind",
        "count",
        "p50",
        "p95",
        "p99",
        "max",
        "2xx/3xx",
        "409",
        "other 4xx",
        "5xx",
        "no answer",
    ]
    lines = [
        "| " + " | ".join(c if c in ("kind", "count") else f"{c}" for c in columns) + " |",
        "|" + "---|" * len(columns),
    ]
    for row in summary["kinds"]:
        lines.append("| " + " | ".join(str(row[c]) for c in columns) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of load")
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between actions")
    parser.add_argument("--alignments", type=int, default=5)
    parser.add_argument("--beads", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if args.duration > 600:
        parser.error("--duration is at most 600 seconds")

    url, name = create_database(args.server)
    log_path = Path(tempfile.gettempdir()) / f"{name}-gunicorn.log"
    server = None
    try:
        started = time.perf_counter()
        alignment_ids = fill(url, args.alignments, args.beads, args.reviewers)
        print(
            f"database {name}: {args.alignments} alignments of {args.beads} pairs, "
            f"{args.reviewers} reviewers ({time.perf_counter() - started:.1f} s)",
            file=sys.stderr,
        )
        server, command = start_server(url, args.port, args.workers, args.threads, log_path)
        print(f"server: {command}", file=sys.stderr)
        tally = Tally()
        pages = max(1, -(-args.beads // 200))
        reviewers = [
            Reviewer(
                f"reviewer{k:02d}",
                args.port,
                alignment_ids[(k - 1) % len(alignment_ids)],
                ((k - 1) // len(alignment_ids)) % pages + 1,
                tally,
                seed=k,
            )
            for k in range(1, args.reviewers + 1)
        ]
        deadline = time.monotonic() + args.duration
        load_started = time.perf_counter()
        threads = [
            threading.Thread(target=r.run, args=(deadline, args.think, k * 0.25), daemon=True)
            for k, r in enumerate(reviewers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.duration + 120)
        elapsed = time.perf_counter() - load_started
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)

    events, by_actor, broken = history_check(url, alignment_ids)
    edits = sum(tally.edits_by_user.values())
    summary = report(tally, elapsed)
    summary["history"] = {
        "edits_2xx": edits,
        "events": events,
        "conflicts_409": sum(tally.statuses[k].get(409, 0) for k in EDIT_KINDS),
        "every_edit_recorded": events == edits and by_actor == tally.edits_by_user,
        "alignments_broken": broken,
    }
    summary["setup"] = {
        "reviewers": args.reviewers,
        "duration_s": round(elapsed, 1),
        "think_s": args.think,
        "alignments": args.alignments,
        "beads": args.beads,
        "workers": args.workers,
        "threads": args.threads,
        "load_average": os.getloadavg(),
    }
    print(markdown(summary))
    print(json.dumps({k: summary[k] for k in ("total", "history", "setup")}, indent=2))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    if args.keep:
        print(f"kept database {url}; server log {log_path}", file=sys.stderr)
    else:
        drop_database(args.server, name)
    total = summary["total"]
    ok = total["5xx"] == 0 and total["no_answer"] == 0 and not broken
    ok = ok and summary["history"]["every_edit_recorded"]
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
