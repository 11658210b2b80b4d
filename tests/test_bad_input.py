"""Bad input gets one clear line on stderr naming the input and the reason, exit 2; a batch goes on."""
import gzip
import json

import pytest

from clitools import ROOT, run_cli

GOOD = (ROOT / "examples" / "harbor_bridge.txt").read_bytes()


def _one_error_line(res, name: str) -> str:
    lines = [ln for ln in res.stderr.decode().splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    assert name in lines[0]
    return lines[0]


@pytest.mark.parametrize(
    "filename, content, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \t\n", "empty"),
        ("binary.txt", bytes(range(256)) * 40, "binary"),
        ("image.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, "PNG"),
        ("latin1.txt", "Caf\u00e9 au lait, said the mayor.".encode("latin-1"), "not valid UTF-8"),
        ("nobody.html", b"<html><head><title>x</title></head></html>", ""),
        ("broken.html.gz", b"\x1f\x8b\x08\x00garbage", "gzip"),
    ],
)
def test_unusable_file(tmp_path, filename, content, reason):
    path = tmp_path / filename
    path.write_bytes(content)
    res = run_cli("analyze", str(path), "--format", "json")
    assert res.returncode == 2
    line = _one_error_line(res, str(path))
    assert reason in line
    assert res.stdout == b""


def test_huge_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # 50 MB
    res = run_cli("analyze", str(path))
    assert res.returncode == 2
    assert "too large" in _one_error_line(res, str(path))


def test_missing_file(tmp_path):
    res = run_cli("analyze", str(tmp_path / "nope.txt"))
    assert res.returncode == 2
    assert "no such file" in _one_error_line(res, "nope.txt")


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1:9/article", "non-public address 127.0.0.1"),
    ("http://10.0.0.1/article", "non-public address 10.0.0.1"),
    ("http://[::1]/article", "non-public address ::1"),
    ("http://no-such-host.invalid/article", "cannot resolve"),
    ("ftp://example.org/article", None),
])
def test_refused_or_unreachable_url(url, reason):
    res = run_cli("analyze", url)
    assert res.returncode == 2
    if reason:
        assert reason in _one_error_line(res, url)


def test_unreachable_url_when_private_is_allowed():
    res = run_cli("analyze", "--allow-private", "http://127.0.0.1:9/article")
    assert res.returncode == 2
    assert "unreachable" in _one_error_line(res, "127.0.0.1:9")


def test_batch_goes_on_past_bad_inputs(tmp_path):
    (tmp_path / "a_good.txt").write_bytes(GOOD)
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_binary.html").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "d_good.html.gz").write_bytes(gzip.compress(
        b"<html><body><article><h1>Port reopens</h1><p>" + b"The port reopened on Monday after repairs, officials said. " * 8
        + b"</p></article></body></html>"))
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF-1.4")
    res = run_cli("analyze", str(tmp_path), "--format", "jsonl", "--jobs", "2")
    assert res.returncode == 2
    lines = [json.loads(ln) for ln in res.stdout.decode().splitlines()]
    errors = {ln["input"]: ln["error"] for ln in lines if "error" in ln}
    reports = {ln["input"]["path"]: ln for ln in lines if "error" not in ln}
    assert set(errors) == {str(tmp_path / "b_empty.txt"), str(tmp_path / "c_binary.html")}
    assert set(reports) == {str(tmp_path / "a_good.txt"), str(tmp_path / "d_good.html.gz")}
    assert reports[str(tmp_path / "d_good.html.gz")]["input"]["format"] == "html"
    stderr = res.stderr.decode().splitlines()
    assert len([ln for ln in stderr if "b_empty.txt" in ln]) == 1


def test_bad_arguments_exit_2():
    assert run_cli("analyze", "x.txt", "--published", "last tuesday").returncode == 2
    assert run_cli("analyze", "x.txt", "--format", "pdf").returncode == 2
    assert run_cli("analyze").returncode == 2
