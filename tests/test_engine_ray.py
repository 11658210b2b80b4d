"""The Ray engine reads a batch on a real (local) Ray cluster and gives the same reports as one process."""
import json

import pytest

from clitools import ROOT, run_cli

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'reportedly[ray]')")


def test_ray_engine_matches_local_and_reports_bad_inputs(tmp_path):
    src = (ROOT / "examples" / "harbor_bridge.txt").read_bytes()
    (tmp_path / "a.txt").write_bytes(src)
    (tmp_path / "b.txt").write_bytes(src.replace(b"Harbor", b"Seaside"))
    (tmp_path / "c.txt").write_bytes(b"")
    on_ray = run_cli("analyze", str(tmp_path), "--engine", "ray", "--jobs", "2", "--format", "jsonl", "--published", "2024-07-09")
    local = run_cli("analyze", str(tmp_path), "--jobs", "1", "--format", "jsonl", "--published", "2024-07-09")
    assert on_ray.returncode == local.returncode == 2
    by_input = lambda res: {(ln.get("input") if "error" in ln else ln["input"]["path"]): ln
                            for ln in map(json.loads, res.stdout.decode().splitlines())}
    assert by_input(on_ray) == by_input(local)
    assert "c.txt: empty" in on_ray.stderr.decode()
