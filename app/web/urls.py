"""Addresses: ids in the path, and where a form may send the browser back to."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from werkzeug.routing import IntegerConverter

from app.store.base import MAX_ID


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` in every route: a number the database cannot hold matches no route, so
    /alignments/99999999999999999999 is a 404 like any missing id, not a database error."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


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
