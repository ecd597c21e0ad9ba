"""Importing a web page: download it with a timeout and a size cap, then extract its text."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from app.ingest.errors import IngestError, one_line, shown
from app.ingest.html import read_html
from app.segments import Segment

TIMEOUT_SECONDS = 15.0
MAX_PAGE_BYTES = 5 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_USER_AGENT = "Alinea/0.1 (translation alignment)"


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http and https addresses only (urllib would also follow ftp)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not is_url(newurl):
            raise IngestError(
                f"{req.full_url}: the server redirects to {shown(newurl, 80)}, "
                "which is not a web address"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


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
        with _OPENER.open(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in _HTML_TYPES:
                sent = shown(content_type, 60)
                raise IngestError(f"{url}: not a web page (the server sent {sent})")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, max_bytes)
            # Read one byte past the cap: a body without Content-Length may still be too big.
            body = response.read(max_bytes + 1)
    except IngestError:
        raise
    except urllib.error.HTTPError as error:
        reason = one_line(error.reason, 80)
        raise IngestError(f"{url}: the server answered {error.code} {reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = one_line(getattr(error, "reason", error), 120)
        raise IngestError(f"{url}: cannot download the page ({reason})") from None
    except (http.client.HTTPException, ValueError) as error:
        # A reply that is not HTTP at all, a header line too long, a body cut short...
        reason = one_line(error, 120) or type(error).__name__
        raise IngestError(f"{url}: the server's reply is not valid HTTP ({reason})") from None
    if len(body) > max_bytes:
        raise _too_large(url, max_bytes)
    return body


_OPENER = urllib.request.build_opener(_WebOnlyRedirects)


def _too_large(url: str, max_bytes: int) -> IngestError:
    return IngestError(f"{url}: the page is larger than {max_bytes // 1024} KB")


def read_url(
    url: str, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_PAGE_BYTES
) -> list[Segment]:
    """Return the segments of the main text of the page at ``url``; raises IngestError."""
    return read_html(download(url, timeout, max_bytes), url)
