"""The URL fetcher against a real HTTP server the test starts on 127.0.0.1."""
import ipaddress
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reportedly.errors import InputError
from reportedly.intake import fetch as fetch_mod
from reportedly.intake import load

ARTICLE = ("<html><head><meta charset='windows-1252'><title>Dock strike ends</title></head><body><article>"
           "<h1>Dock strike ends</h1>" + "<p>The dock strike ended on Friday, the union said in a statement to workers.</p>" * 6
           + "<p>Caf\xe9 owners near the port welcomed the news.</p></article></body></html>").encode("windows-1252")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/article":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")  # no charset: the <meta> one decides
            self.send_header("Content-Length", str(len(ARTICLE)))
            self.end_headers()
            self.wfile.write(ARTICLE)
        elif self.path == "/to-private":
            self.send_response(302)
            self.send_header("Location", "http://10.0.0.1/secret")
            self.end_headers()
        elif self.path == "/to-article":
            self.send_response(301)
            self.send_header("Location", "/article")
            self.end_headers()
        elif self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()  # no Content-Length: the cap must hold while streaming
            for _ in range(64):
                self.wfile.write(b"x" * 1024)
        elif self.path == "/slow":
            time.sleep(3)
            self.send_response(200)
            self.end_headers()
        elif self.path == "/gone":
            self.send_response(404)
            self.end_headers()
        elif self.path == "/script":
            body = (b"<html><body><script>document.title='pwned'</script><article><p>"
                    + b"Officials confirmed the bridge will reopen next week after inspections. " * 5 + b"</p></article></body></html>")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


@pytest.fixture
def loopback_allowed(monkeypatch):
    """Let the test server on 127.0.0.1 through while every other private range stays refused."""
    real = fetch_mod.is_forbidden
    monkeypatch.setattr(fetch_mod, "is_forbidden", lambda a: False if a == ipaddress.ip_address("127.0.0.1") else real(a))


def test_loopback_refused_by_default(server):
    with pytest.raises(InputError, match="non-public address 127.0.0.1"):
        fetch_mod.fetch(server + "/article")


def test_fetch_allowed_and_decoded_from_meta_charset(server):
    got = fetch_mod.fetch(server + "/article", allow_private=True)
    assert got.body == ARTICLE
    doc = load(server + "/article", allow_private=True)
    assert doc.format == "html"
    assert "Café owners" in doc.text
    assert doc.url == server + "/article"


def test_redirects_are_followed_and_re_checked(server, loopback_allowed):
    assert fetch_mod.fetch(server + "/to-article").url.endswith("/article")
    with pytest.raises(InputError, match="non-public address 10.0.0.1"):
        fetch_mod.fetch(server + "/to-private")


def test_size_cap_while_streaming(server):
    with pytest.raises(InputError, match="too large"):
        fetch_mod.fetch(server + "/big", allow_private=True, max_bytes=10_000)


def test_read_timeout(server):
    import httpx

    with pytest.raises(InputError, match="timed out"):
        fetch_mod.fetch(server + "/slow", allow_private=True, timeout=httpx.Timeout(1.0))


def test_http_error_status(server):
    with pytest.raises(InputError, match="HTTP 404"):
        fetch_mod.fetch(server + "/gone", allow_private=True)


def test_scripts_are_never_run_nor_kept(server):
    doc = load(server + "/script", allow_private=True)
    assert "pwned" not in doc.text and "document.title" not in doc.text
    assert "reopen next week" in doc.text
