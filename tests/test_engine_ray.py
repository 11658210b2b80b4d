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


def test_reading_switches_travel_with_each_ray_task(monkeypatch):
    """A switch set on the driver (--second-reading) reaches the tasks through their runtime environment:
    a cluster's workers do not share the driver's environment."""
    import sys
    import types

    from reportedly import engine_ray

    seen = {}

    class Remote:
        def __init__(self, env=None):
            self.env = env

        def options(self, runtime_env):
            return Remote(runtime_env["env_vars"])

        def remote(self, args):
            seen.setdefault("env", self.env)
            return {"input": args[0]}

    fake = types.SimpleNamespace(
        is_initialized=lambda: True, remote=lambda fn: Remote(), available_resources=lambda: {"CPU": 1},
        wait=lambda pending, num_returns: (pending[:num_returns], pending[num_returns:]), get=lambda done: done)
    monkeypatch.setitem(sys.modules, "ray", fake)
    monkeypatch.setenv("REPORTEDLY_SECOND_READING", "1")
    monkeypatch.setenv("REPORTEDLY_TORCH_PRECISION", "fp32")
    monkeypatch.setenv("REPORTEDLY_UNRELATED", "x")
    assert list(engine_ray.run_on_ray(["a.txt"], ())) == [{"input": "a.txt"}]
    assert seen["env"] == {"REPORTEDLY_SECOND_READING": "1", "REPORTEDLY_TORCH_PRECISION": "fp32"}
    seen.clear()
    monkeypatch.delenv("REPORTEDLY_SECOND_READING")
    monkeypatch.delenv("REPORTEDLY_TORCH_PRECISION")
    monkeypatch.delenv("REPORTEDLY_NO_TAGGER", raising=False)
    list(engine_ray.run_on_ray(["a.txt"], ()))
    assert seen["env"] is None  # nothing set, nothing sent
