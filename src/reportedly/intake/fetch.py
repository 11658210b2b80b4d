"""Fetching an article by URL: httpx with time-outs, a size cap, and no private addresses.

Every hop of a redirect chain is resolved and checked before it is requested, so a public
URL cannot bounce the fetcher into the local network. Nothing fetched is ever executed.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import InputError

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT = httpx.Timeout(connect=5.0, read=15.0, write=5.0, pool=5.0)
MAX_REDIRECTS = 5
USER_AGENT = "reportedly/0.1 (+https://github.com/reportedly; fact-checking reader)"


@dataclass
class Fetched:
    url: str  # the final URL after redirects
    body: bytes
    content_type: str | None
    charset: str | None


def is_forbidden(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Addresses a URL may not reach unless --allow-private: the local network and the machine itself."""
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return (addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved
            or addr.is_multicast or addr.is_unspecified)


def _check_host(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise InputError(f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}")
    host = parts.hostname
    if not host:
        raise InputError("the URL has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise InputError(f"cannot resolve host {host!r} ({exc.strerror or exc})") from None
    for info in infos:
        addr = ipaddress.ip_address(info[4][0].split("%")[0])
        if is_forbidden(addr):
            raise InputError(
                f"refused: {host} resolves to the non-public address {addr} (use --allow-private to fetch it anyway)"
            )


def fetch(url: str, allow_private: bool = False, max_bytes: int = MAX_BYTES, timeout: httpx.Timeout = TIMEOUT) -> Fetched:
    """GET ``url`` and return its body, or raise InputError saying why not."""
    current = url
    with httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            _check_host(current, allow_private)
            try:
                with client.stream("GET", current) as resp:
                    if resp.is_redirect:
                        location = resp.headers.get("location")
                        if not location:
                            raise InputError(f"redirect ({resp.status_code}) without a Location header")
                        current = urljoin(current, location)
                        continue
                    if resp.status_code >= 400:
                        raise InputError(f"the server answered HTTP {resp.status_code} {resp.reason_phrase}")
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise InputError(f"too large: {int(declared)} bytes, the cap is {max_bytes}")
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise InputError(f"too large: more than {max_bytes} bytes, the cap is {max_bytes}")
                        chunks.append(chunk)
                    ctype = resp.headers.get("content-type")
                    return Fetched(url=str(resp.url), body=b"".join(chunks), content_type=ctype, charset=resp.charset_encoding)
            except httpx.TimeoutException:
                raise InputError(f"timed out after {timeout.read:.0f} s") from None
            except httpx.HTTPError as exc:
                raise InputError(f"unreachable ({type(exc).__name__}: {exc})") from None
    raise InputError(f"more than {MAX_REDIRECTS} redirects")
