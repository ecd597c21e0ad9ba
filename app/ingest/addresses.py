"""Which servers a URL import may reach: public addresses only, unless told otherwise.

An address handed over by someone else could point the importer at this machine or its
network (cloud metadata at 169.254.169.254, an admin page, Redis) and store what it answers.
So the host name is resolved once, every address it gives is checked, and the connection
then goes to one of the checked addresses, never through a second lookup that a hostile
name server could answer differently.
"""

from __future__ import annotations

import ipaddress
import socket

from app.ingest.errors import IngestError, one_line

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# What an address is, in the order checked: the first that applies names it in the refusal.
_KINDS = (
    ("is_unspecified", "an unspecified address"),
    ("is_loopback", "a loopback address (this machine)"),
    ("is_link_local", "a link-local address"),
    ("is_multicast", "a multicast address"),
    ("is_reserved", "a reserved address"),
    ("is_private", "a private-network address"),
)


def non_public_kind(address: IPAddress) -> str | None:
    """What makes ``address`` not a public internet address, or None when it is one."""
    for embedded in _embedded_ipv4(address):
        kind = non_public_kind(embedded)
        if kind is not None:
            return kind
    for attribute, kind in _KINDS:
        if getattr(address, attribute):
            return kind
    if not address.is_global:
        # Shared (carrier-grade NAT) space and the other special ranges.
        return "not a public address"
    return None


def _embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo), which reach them."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    found = [address.ipv4_mapped, address.sixtofour]
    if address.teredo is not None:
        found.extend(address.teredo)
    return [embedded for embedded in found if embedded is not None]


def resolve(url: str, host: str, port: int, allow_private: bool) -> list[str]:
    """The addresses to connect to for ``host``, each one checked; raises IngestError.

    Every address the name has must be public (unless ``allow_private``): a name with one
    public and one private address is refused, since either could be the one used.
    """
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        reason = one_line(getattr(error, "strerror", None) or error, 80)
        raise IngestError(f"{url}: cannot find the server {host} ({reason})") from None
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in found:
        text = str(sockaddr[0])
        if text not in addresses:
            addresses.append(text)
    if not allow_private:
        for text in addresses:
            kind = non_public_kind(ipaddress.ip_address(text.split("%", 1)[0]))
            if kind is not None:
                named = host if host == text else f"{host} ({text})"
                raise IngestError(
                    f"{url}: {named} is {kind}; pages are imported only from public "
                    "servers (--allow-private, or ALINEA_URL_ALLOW_PRIVATE=1, allows this "
                    "machine and its network)"
                )
    if not addresses:
        raise IngestError(f"{url}: cannot find the server {host} (no address)")
    return addresses


def connect(addresses: list[str], port: int, timeout: float) -> socket.socket:
    """A TCP connection to the first of ``addresses`` that answers; raises OSError."""
    last_error: OSError = OSError("no address to connect to")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout=timeout)
        except OSError as error:
            last_error = error
    raise last_error
