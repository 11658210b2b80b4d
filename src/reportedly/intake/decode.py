"""Bytes to text, with a clear refusal for what is not an article: empty, binary, too large, mis-encoded."""
from __future__ import annotations

import codecs
import re
import zlib

from ..errors import InputError

MAX_BYTES = 10 * 1024 * 1024  # an article page is far below this; larger inputs are refused

_MAGIC = {
    b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive (or an Office document)", b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image", b"\x7fELF": "an executable", b"\x1f\x8b": "gzip data",
    b"RIFF": "a media file", b"ID3": "an MP3 file", b"\x00\x00\x00": "a binary file",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_HTML_SNIFF = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|article|p)\b", re.I | re.S)


def gunzip(data: bytes, max_bytes: int = MAX_BYTES) -> bytes:
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise InputError(f"not valid gzip data ({exc})") from None
    if len(out) > max_bytes:
        raise InputError(f"too large once decompressed: more than {max_bytes} bytes, the cap is {max_bytes}")
    if not d.eof:
        raise InputError("not valid gzip data (truncated or corrupt)")
    return out


def check_bytes(data: bytes, max_bytes: int = MAX_BYTES) -> None:
    if len(data) > max_bytes:
        raise InputError(f"too large: {len(data)} bytes, the cap is {max_bytes}")
    if not data.strip():
        raise InputError("empty: no text in it")
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise InputError(f"binary: this is {what}, not text or HTML")
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) * 0.02:
        raise InputError("binary: control bytes where text should be; not text or HTML")


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_SNIFF.match(data[:4096].lstrip(codecs.BOM_UTF8)))


def decode_text(data: bytes) -> str:
    """Plain text must be UTF-8 (or UTF-16 with a byte-order mark): offsets index it exactly."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it first, e.g. `iconv -f WINDOWS-1252 -t UTF-8`"
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def decode_html(data: bytes, declared: str | None = None) -> str:
    """HTML: the byte-order mark, then the HTTP charset, then <meta charset>, then UTF-8; when
    nothing is declared and UTF-8 fails, charset detection decides."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    candidates = [declared] if declared else []
    m = _META_CHARSET.search(data[:8192])
    if m:
        candidates.append(m.group(1).decode("ascii", "ignore"))
    for enc in candidates:
        try:
            codecs.lookup(enc)
            return data.decode(enc, errors="replace")
        except LookupError:
            continue
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("cannot tell the character encoding of this HTML (not UTF-8, none declared)")
    return str(best)
