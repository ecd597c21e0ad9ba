"""URL import reaches public servers only, and gives up at its deadline.

The servers are real HTTP servers on loopback ports. Where a test needs a server that counts
as public, the name lookup and the route are simulated at the socket module's edge (the
``internet`` fixture): a made-up name resolves to a public address, and connections to that
address land on a loopback server, as they would across the internet.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli import main
from app.ingest import IngestError, load_url
from app.ingest.addresses import non_public_kind
from app.store import db as store_db
from app.store import models

PAGE = (
    "<html><head><title>Artículo</title></head><body><article>"
    "<h1>La frontera</h1><p>Miles de personas esperan en la frontera norte de México.</p>"
    "<p>Las autoridades dicen que la situación es difícil para todos.</p>"
    "</article></body></html>"
).encode()


class Site:
    """A loopback HTTP server with pages and redirects; it notes every path asked for."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {"/article.html": PAGE}
        self.redirects: dict[str, str] = {}
        self.asked: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                site.asked.append(self.path)
                if self.path in site.redirects:
                    self.send_response(302)
                    self.send_header("Location", site.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = site.pages.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    yield server
    server.close()


@pytest.fixture
def internal() -> Iterator[Site]:
    """A second loopback server standing for an internal service nobody may reach."""
    server = Site()
    server.pages["/secret"] = b"<html><body><p>Internal secret, never to be imported.</p></body>"
    yield server
    server.close()


PUBLIC_IP = "93.184.215.14"


class Internet:
    """Made-up names and where they resolve; connections to PUBLIC_IP go to ``site``."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.names: dict[str, list[list[str]]] = {}  # name -> successive answers
        self.lookups: list[str] = []

    def add(self, name: str, *answers: list[str]) -> None:
        self.names[name] = list(answers)


@pytest.fixture
def internet(site, monkeypatch) -> Internet:
    world = Internet(site)
    real_lookup, real_connect = socket.getaddrinfo, socket.create_connection

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in world.names:
            return real_lookup(host, port, *args, **kwargs)
        world.lookups.append(host)
        answers = world.names[host]
        addresses = answers.pop(0) if len(answers) > 1 else answers[0]
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in addresses
        ]

    def create_connection(address, *args, **kwargs):
        host, port = address
        if host == PUBLIC_IP:
            return real_connect(("127.0.0.1", site.port), *args, **kwargs)
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return world


# The address rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("2002:7f00:1::", "loopback"),  # 6to4 carrying 127.0.0.1
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("fe80::1", "link-local"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not a public"),  # carrier-grade NAT
    ],
)
def test_addresses_that_are_not_public_are_named_for_what_they_are(address, kind):
    assert kind in non_public_kind(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2a00:1450:4001:80b::200e"])
def test_public_addresses_pass(address):
    assert non_public_kind(ipaddress.ip_address(address)) is None


# Refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:6379/",
        "http://0.0.0.0:8080/",
        "http://10.0.0.1/admin",
        "http://[::ffff:127.0.0.1]/",
    ],
)
def test_an_internal_address_is_refused_before_any_connection(url, monkeypatch):
    connections = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connections.append(a))

    with pytest.raises(IngestError, match="pages are imported only from public servers") as error:
        load_url(url, lang="es")

    assert "\n" not in str(error.value)
    assert connections == []


def test_a_loopback_page_is_refused_and_never_asked_for(site):
    with pytest.raises(IngestError) as error:
        load_url(f"{site.url}/article.html", lang="es")

    assert str(error.value) == (
        f"{site.url}/article.html: 127.0.0.1 is a loopback address (this machine); pages are "
        "imported only from public servers (--allow-private, or ALINEA_URL_ALLOW_PRIVATE=1, "
        "allows this machine and its network)"
    )
    assert site.asked == []


def test_allow_private_imports_a_loopback_page(site):
    loaded = load_url(f"{site.url}/article.html", allow_private=True)

    assert loaded.title == "La frontera" and loaded.language == "es"


def test_a_public_server_s_page_imports(internet):
    internet.add("news.example", [PUBLIC_IP])

    loaded = load_url(f"http://news.example:{internet.site.port}/article.html")

    assert loaded.title == "La frontera"
    assert internet.site.asked == ["/article.html"]


def test_a_redirect_to_a_loopback_address_is_refused(internet, internal):
    internet.add("news.example", [PUBLIC_IP])
    internet.site.redirects["/article.html"] = f"{internal.url}/secret"

    with pytest.raises(IngestError, match="127.0.0.1 is a loopback address"):
        load_url(f"http://news.example:{internet.site.port}/article.html", lang="en")

    assert internet.site.asked == ["/article.html"]
    assert internal.asked == []


def test_a_redirect_to_a_name_on_a_private_network_is_refused(internet):
    internet.add("news.example", [PUBLIC_IP])
    internet.add("intranet.example", ["10.20.30.40"])
    internet.site.redirects["/article.html"] = "http://intranet.example/wiki"

    with pytest.raises(IngestError, match=r"intranet\.example \(10\.20\.30\.40\) is a private"):
        load_url(f"http://news.example:{internet.site.port}/article.html", lang="en")


def test_a_name_with_one_private_address_among_public_ones_is_refused(internet):
    internet.add("mixed.example", [PUBLIC_IP, "127.0.0.1"])

    with pytest.raises(IngestError, match="is a loopback address"):
        load_url(f"http://mixed.example:{internet.site.port}/article.html", lang="es")
    assert internet.site.asked == []


def test_the_connection_goes_to_the_address_checked_not_to_a_second_lookup(internet, internal):
    # A hostile name server: public at the check, this machine's internal service after.
    internet.add("rebind.example", [PUBLIC_IP], ["127.0.0.1"])

    loaded = load_url(f"http://rebind.example:{internet.site.port}/article.html")

    assert loaded.title == "La frontera"
    assert internet.lookups == ["rebind.example"]
    assert internal.asked == []


def test_too_many_redirects_are_refused(site):
    for k in range(10):
        site.redirects[f"/hop{k}"] = f"/hop{k + 1}"

    with pytest.raises(IngestError, match="redirects more than 5 times"):
        load_url(f"{site.url}/hop0", allow_private=True)
    assert len(site.asked) == 6


# The deadline ----------------------------------------------------------------------------


class Trickle:
    """A loopback server that answers one byte every ``interval`` seconds, for ever."""

    def __init__(self, interval: float, head: bytes = b"") -> None:
        self.interval, self.head = interval, head
        self.sent = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.done = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(self.head)
            while not self.done.is_set():
                try:
                    connection.sendall(b"x")
                except OSError:
                    return
                self.sent += 1
                self.done.wait(self.interval)

    def close(self) -> None:
        self.done.set()
        self.listener.close()


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>"


@pytest.mark.parametrize("head", [HEAD, b""], ids=["body", "status-line"])
def test_a_server_trickling_bytes_is_cut_off_at_the_deadline(head):
    server = Trickle(interval=2.0, head=head)
    try:
        with pytest.raises(IngestError) as error:
            load_url(f"http://127.0.0.1:{server.port}/", allow_private=True, deadline=3.0)
    finally:
        server.close()

    assert str(error.value) == (
        f"http://127.0.0.1:{server.port}/: the download took longer than 3 s and was stopped "
        "(ALINEA_URL_DEADLINE sets the limit)"
    )
    # Cut off after two or three bytes, not after the 15 s per-read timeout.
    assert 1 <= server.sent <= 3


# The command line: one line, nothing stored ----------------------------------------------


def document_count(database_url: str) -> tuple[int, int]:
    engine = store_db.make_engine(database_url)
    with engine.connect() as connection:
        counts = tuple(
            connection.scalar(select(func.count()).select_from(model))
            for model in (models.Document, models.Segment)
        )
    engine.dispose()
    return counts


@pytest.fixture
def alinea(database_url, tmp_path):
    def invoke(*args: str, **env: str):
        environment = {
            "DATABASE_URL": database_url,
            "ALINEA_INSTANCE": str(tmp_path / "instance"),
            **env,
        }
        return CliRunner().invoke(main, list(args), env=environment, catch_exceptions=False)

    return invoke


def test_alinea_import_refuses_a_loopback_url_in_one_line_and_stores_nothing(
    alinea, database_url, site
):
    result = alinea("import", f"{site.url}/article.html")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {site.url}/article.html: 127.0.0.1 is a loopback address (this machine); pages "
        "are imported only from public servers (--allow-private, or ALINEA_URL_ALLOW_PRIVATE=1, "
        "allows this machine and its network)"
    ]
    assert document_count(database_url) == (0, 0)
    assert site.asked == []


def test_alinea_import_allow_private_imports_from_this_machine(alinea, database_url, site):
    result = alinea("import", f"{site.url}/article.html", "--allow-private")

    assert result.exit_code == 0, result.output
    assert document_count(database_url) == (1, 3)


def test_the_allow_private_setting_does_the_same_for_unattended_imports(alinea, database_url, site):
    result = alinea("import", f"{site.url}/article.html", ALINEA_URL_ALLOW_PRIVATE="1")

    assert result.exit_code == 0, result.output
    assert document_count(database_url) == (1, 3)


def test_alinea_import_stops_a_slow_server_at_the_deadline_setting(alinea, database_url):
    server = Trickle(interval=2.0, head=HEAD)
    try:
        result = alinea(
            "import",
            f"http://127.0.0.1:{server.port}/slow.html",
            "--allow-private",
            ALINEA_URL_DEADLINE="3",
        )
    finally:
        server.close()

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: http://127.0.0.1:{server.port}/slow.html: the download took longer than 3 s "
        "and was stopped (ALINEA_URL_DEADLINE sets the limit)"
    ]
    assert document_count(database_url) == (0, 0)


# HTTPS -----------------------------------------------------------------------------------


@pytest.fixture
def tls_site(tmp_path) -> Iterator[tuple[int, Path]]:
    """A loopback HTTPS server with a certificate for "localhost"; yields (port, cert)."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    site = Site()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    site.server.socket = context.wrap_socket(site.server.socket, server_side=True)
    yield site.port, cert
    site.close()


def test_an_https_page_is_read_with_its_certificate_checked_against_the_name(tls_site, monkeypatch):
    port, cert = tls_site
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # this test's certificate is trusted

    loaded = load_url(f"https://localhost:{port}/article.html", allow_private=True)

    assert loaded.title == "La frontera"


def test_an_https_server_with_an_untrusted_certificate_is_refused(tls_site):
    port, _cert = tls_site

    with pytest.raises(IngestError, match="certificate verify failed"):
        load_url(f"https://localhost:{port}/article.html", lang="es", allow_private=True)
