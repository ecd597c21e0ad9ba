"""Where a form may send the browser back to once it is handled."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site (fragment dropped), otherwise None.

    A ``next`` field comes from the client, so it could name another site: an open redirect
    would let a link to Alinea forward the reviewer anywhere.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read a backslash as a slash and drop tabs and line breaks, so "/\\evil.example"
    # or "/\t/evil.example" would still leave the site.
    if "\\" in target or not target.isprintable():
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))
