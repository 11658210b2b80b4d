"""Intake: files, folders, standard input and URLs, turned into Documents (text, furniture, metadata)."""
from __future__ import annotations

import os
import sys
from typing import Iterator

from ..errors import InputError
from .decode import MAX_BYTES, check_bytes, decode_html, decode_text, gunzip, looks_like_html
from .document import Document
from .text import read_text

SUFFIXES = (".txt", ".html", ".htm", ".html.gz")


def is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def expand(specs: list[str]) -> Iterator[str]:
    """Each input as given, with folders replaced by every supported file below them (sorted, streamed)."""
    for spec in specs:
        if spec != "-" and not is_url(spec) and os.path.isdir(spec):
            for root, dirs, files in os.walk(spec):
                dirs.sort()
                for name in sorted(files):
                    if name.lower().endswith(SUFFIXES):
                        yield os.path.join(root, name)
        else:
            yield spec


def _read_capped(path: str, max_bytes: int) -> bytes:
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise InputError(f"too large: {size} bytes, the cap is {max_bytes}")
        with open(path, "rb") as fh:
            return fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError("no such file") from None
    except IsADirectoryError:
        raise InputError("is a directory with no .txt/.html/.htm/.html.gz files") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as exc:
        raise InputError(f"cannot read it ({exc.strerror or exc})") from None


def from_bytes(
    data: bytes, *, path: str | None = None, url: str | None = None, html: bool | None = None,
    charset: str | None = None, max_bytes: int = MAX_BYTES,
) -> Document:
    """A Document from raw bytes; ``html`` None means sniff."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip(data, max_bytes)
    check_bytes(data, max_bytes)
    if html is None:
        html = looks_like_html(data)
    if html:
        from .html import extract_html

        return extract_html(decode_html(data, charset), url=url, path=path)
    text = decode_text(data)
    if not text.strip():
        raise InputError("empty: no text in it")
    return read_text(text, path=path, url=url)


def load(spec: str, *, url: str | None = None, allow_private: bool = False, max_bytes: int = MAX_BYTES,
         stdin=None) -> Document:
    """Read one input (a file, `-` for standard input, or an http(s) URL) into a Document.
    Raises InputError (with ``source`` set to the input) when it is unusable."""
    try:
        if is_url(spec):
            from .fetch import fetch

            got = fetch(spec, allow_private=allow_private, max_bytes=max_bytes)
            ctype = (got.content_type or "").lower()
            html = True if "html" in ctype else False if ctype.startswith("text/plain") else None
            return from_bytes(got.body, url=url or got.url, html=html, charset=got.charset, max_bytes=max_bytes)
        if spec == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_bytes + 1)
            return from_bytes(data, path=None, url=url, max_bytes=max_bytes)
        lower = spec.lower()
        data = _read_capped(spec, max_bytes * 4 if lower.endswith(".gz") else max_bytes)
        html = True if lower.endswith((".html", ".htm", ".html.gz")) else False if lower.endswith(".txt") else None
        if lower.endswith(".gz"):
            data = gunzip(data, max_bytes)
        return from_bytes(data, path=spec, url=url, html=html, max_bytes=max_bytes)
    except InputError as exc:
        exc.source = spec
        raise


__all__ = ["Document", "InputError", "SUFFIXES", "expand", "from_bytes", "is_url", "load", "read_text"]
