"""Importing a web page: download it, within limits, from a public server, and extract its text.

The limits: only http and https; public addresses only unless ``allow_private`` (checked at
the first request and at every redirect, see app.ingest.addresses); ``timeout`` for the
connection and for each read; ``deadline`` for the whole download, redirects included (a
server trickling one byte at a time is cut off when it passes); at most ``MAX_REDIRECTS``
redirects; HTML only; at most ``max_bytes``. Proxies from the environment are not used: the
connection goes straight to the address that was checked.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from app.ingest import addresses
from app.ingest.errors import IngestError, one_line, shown
from app.ingest.html import read_html
from app.segments import Segment

TIMEOUT_SECONDS = 15.0
DEADLINE_SECONDS = 60.0
MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_REDIRECTS = (301, 302, 303, 307, 308)
_USER_AGENT = "Alinea/0.1 (translation alignment)"
_CHUNK = 64 * 1024


def is_url(reference: str) -> bool:
    """True when ``reference`` is an http or https URL."""
    return urlsplit(reference).scheme in ("http", "https")


class _Deadline:
    """The end of the whole download, and a watchdog that cuts the connection when it comes.

    Shutting the socket down wakes any read blocked on it, wherever http.client is (a status
    line, a header or the body arriving a byte at a time).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.passed = threading.Event()

    def remaining(self) -> float:
        return self.end - time.monotonic()

    @contextlib.contextmanager
    def watching(self, sock: socket.socket):
        # A descriptor of our own: the connection's may be closed (and its number reused)
        # by the time the timer fires.
        watched = sock.dup()

        def cut() -> None:
            self.passed.set()
            with contextlib.suppress(OSError):
                watched.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(max(self.remaining(), 0.0), cut)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()
            watched.close()


class _PinnedConnection(http.client.HTTPConnection):
    """HTTP to one of the checked addresses, whatever the host name resolves to now."""

    def __init__(self, host: str, port: int, ips: list[str], timeout: float, deadline: _Deadline):
        super().__init__(host, port, timeout=timeout)
        self._ips, self._deadline = ips, deadline
        self._watch: contextlib.ExitStack = contextlib.ExitStack()

    def _raw_socket(self) -> socket.socket:
        sock = addresses.connect(
            self._ips, self.port, min(self.timeout, self._deadline.remaining())
        )
        self._watch.enter_context(self._deadline.watching(sock))
        return sock

    def connect(self) -> None:
        self.sock = self._raw_socket()

    def stop_watching(self) -> None:
        """Disarm the watchdog. Not part of close(): http.client closes the connection as soon
        as the headers are in when the server will close it, while the body is still read."""
        self._watch.close()


class _PinnedTlsConnection(_PinnedConnection):
    """HTTPS the same way; the certificate is checked against the host name."""

    def connect(self) -> None:
        tls = ssl.create_default_context()
        self.sock = tls.wrap_socket(self._raw_socket(), server_hostname=self.host)


@dataclass(frozen=True)
class _Answer:
    status: int
    location: str | None = None
    body: bytes = b""


def download(
    url: str,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_PAGE_BYTES,
    *,
    allow_private: bool = False,
    deadline: float = DEADLINE_SECONDS,
) -> bytes:
    """Return the body of the HTML page at ``url``; raise IngestError on any failure."""
    if not is_url(url):
        raise IngestError(f"{url}: only http and https addresses can be imported")
    clock = _Deadline(deadline)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        answer = _fetch(url, current, timeout, max_bytes, allow_private, clock)
        if answer.location is None:
            return answer.body
        target = urljoin(current, answer.location)
        if not is_url(target):
            raise IngestError(
                f"{url}: the server redirects to {shown(target, 80)}, which is not a web address"
            )
        current = target
    raise IngestError(f"{url}: the server redirects more than {MAX_REDIRECTS} times")


def _fetch(
    url: str, current: str, timeout: float, max_bytes: int, allow_private: bool, clock: _Deadline
) -> _Answer:
    """One request: the page's body, or where it redirects to. ``url`` names it in errors."""
    if clock.remaining() <= 0:
        raise _too_slow(url, clock)
    parts = urlsplit(current)
    try:
        host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise IngestError(f"{url}: {shown(current, 80)} has no valid port") from None
    if not host:
        raise IngestError(f"{url}: {shown(current, 80)} names no server")
    ips = addresses.resolve(url, host, port, allow_private)
    kind = _PinnedTlsConnection if parts.scheme == "https" else _PinnedConnection
    connection = kind(host, port, ips, timeout, clock)
    try:
        return _exchange(url, connection, _target(parts), max_bytes, clock)
    except IngestError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as error:
        if clock.passed.is_set():
            raise _too_slow(url, clock) from None
        raise _download_error(url, error) from None
    finally:
        connection.close()
        connection.stop_watching()


def _target(parts) -> str:
    """The request target: the path and query, with anything not allowed in a URL quoted."""
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return path + (f"?{query}" if query else "")


def _exchange(
    url: str,
    connection: _PinnedConnection,
    target: str,
    max_bytes: int,
    clock: _Deadline,
) -> _Answer:
    connection.request(
        "GET",
        target,
        headers={
            "User-Agent": _USER_AGENT,
            "Accept": "text/html,application/xhtml+xml",
            "Accept-Encoding": "identity",
            "Connection": "close",
        },
    )
    response = connection.getresponse()
    if response.status in _REDIRECTS and response.getheader("Location"):
        return _Answer(response.status, location=response.getheader("Location"))
    if not 200 <= response.status < 300:
        reason = one_line(response.reason, 80)
        raise IngestError(f"{url}: the server answered {response.status} {reason}")
    content_type = response.headers.get_content_type()
    if content_type not in _HTML_TYPES:
        raise IngestError(f"{url}: not a web page (the server sent {shown(content_type, 60)})")
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(url, max_bytes)
    body = bytearray()
    # Read one byte past the cap: a body without Content-Length may still be too big.
    while len(body) <= max_bytes:
        chunk = response.read(min(_CHUNK, max_bytes + 1 - len(body)))
        if not chunk:
            break
        body += chunk
    if clock.passed.is_set():
        # The watchdog ended the body early: what arrived is not the whole page.
        raise _too_slow(url, clock)
    if len(body) > max_bytes:
        raise _too_large(url, max_bytes)
    return _Answer(response.status, body=bytes(body))


def _download_error(url: str, error: Exception) -> IngestError:
    if isinstance(error, http.client.HTTPException | ValueError) and not isinstance(
        error, ssl.SSLError
    ):
        # A reply that is not HTTP at all, a header line too long, a body cut short...
        reason = one_line(error, 120) or type(error).__name__
        return IngestError(f"{url}: the server's reply is not valid HTTP ({reason})")
    reason = one_line(getattr(error, "strerror", None) or error, 120) or type(error).__name__
    return IngestError(f"{url}: cannot download the page ({reason})")


def _too_slow(url: str, clock: _Deadline) -> IngestError:
    return IngestError(
        f"{url}: the download took longer than {clock.seconds:g} s and was stopped "
        "(ALINEA_URL_DEADLINE sets the limit)"
    )


def _too_large(url: str, max_bytes: int) -> IngestError:
    return IngestError(f"{url}: the page is larger than {max_bytes // 1024} KB")


def read_url(
    url: str,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_PAGE_BYTES,
    *,
    allow_private: bool = False,
    deadline: float = DEADLINE_SECONDS,
) -> list[Segment]:
    """Return the segments of the main text of the page at ``url``; raises IngestError."""
    body = download(url, timeout, max_bytes, allow_private=allow_private, deadline=deadline)
    return read_html(body, url)
