"""Importing a web page: download it with a timeout and a size cap, then extract its text."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlsplit

from app.ingest.errors import IngestError
from app.ingest.html import read_html
from app.segments import Segment

TIMEOUT_SECONDS = 15.0
MAX_PAGE_BYTES = 5 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_USER_AGENT = "Alinea/0.1 (translation alignment)"


def is_url(reference: str) -> bool:
    """True when ``reference`` is an http or https URL."""
    return urlsplit(reference).scheme in ("http", "https")


def download(url: str, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_PAGE_BYTES) -> bytes:
    """Return the body of the HTML page at ``url``; raise IngestError on any failure.

    Refuses other schemes, non-HTML responses and bodies over ``max_bytes``; ``timeout``
    bounds the connection and each read.
    """
    if not is_url(url):
        raise IngestError(f"{url}: only http and https addresses can be imported")
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            content_type = response.headers.get_content_type()
            if content_type not in _HTML_TYPES:
                raise IngestError(f"{url}: not a web page (the server sent {content_type})")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, max_bytes)
            # Read one byte past the cap: a body without Content-Length may still be too big.
            body = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise IngestError(f"{url}: the server answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise IngestError(f"{url}: cannot download the page ({reason})") from None
    if len(body) > max_bytes:
        raise _too_large(url, max_bytes)
    return body


def _too_large(url: str, max_bytes: int) -> IngestError:
    return IngestError(f"{url}: the page is larger than {max_bytes // 1024} KB")


def read_url(
    url: str, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_PAGE_BYTES
) -> list[Segment]:
    """Return the segments of the main text of the page at ``url``; raises IngestError."""
    return read_html(download(url, timeout, max_bytes), url)
