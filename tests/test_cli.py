"""The command line as users and scripts use it: formats, the contract's checker, stdin, schema, escaping."""
import json

import pytest

from clitools import ROOT, SHARED, check_report, run_cli

EXAMPLE = ROOT / "examples" / "harbor_bridge.txt"
SEED = SHARED / "seeds" / "000_82893141c41038f2.txt"
GOLD = SHARED / "gold" / "000_82893141c41038f2.json"


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    if not SEED.exists():
        pytest.skip("../shared seed is not present")
    out = tmp_path_factory.mktemp("seed") / "seed.json"
    res = run_cli("analyze", str(SEED), "--published", "2023-08-22", "-o", str(out))
    assert res.returncode == 0, res.stderr.decode()
    return out, json.loads(out.read_text(encoding="utf-8"))


def test_seed_report_passes_the_contract_checker(seed_report):
    path, rep = seed_report
    check_report(path)
    assert rep["schema"] == "reportedly.report/1"
    assert rep["input"] == {"path": str(SEED), "url": None, "format": "text"}
    assert rep["text"] == SEED.read_text(encoding="utf-8")


def test_seed_cleaning_and_metadata(seed_report):
    _, rep = seed_report
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    text = rep["text"]
    for item in gold["boilerplate"]:
        pos = -1
        for _ in range(item.get("occurrence", 1)):
            pos = text.index(item["text"], pos + 1)
        assert any(r["start"] <= pos and pos + len(item["text"]) <= r["end"] for r in rep["removed"]), item["text"]
    kept_first = text.index(gold["body"]["first_sentence"])
    kept_last = text.index(gold["body"]["last_sentence"])
    for r in rep["removed"]:
        assert not (r["start"] < kept_last + 5 and r["end"] > kept_first), r
    m = rep["meta"]
    assert (m["title"], m["authors"], m["section"], m["outlet"], m["published"], m["language"]) == (
        gold["meta"]["title"], gold["meta"]["authors"], gold["meta"]["section"], gold["meta"]["outlet"], "2023-08-22", "en")
    # nothing in a removed stretch is analysed by a later layer
    for key in ("times", "hedges", "editorial"):
        for item in rep[key]:
            assert not any(r["start"] <= item["start"] < r["end"] for r in rep["removed"]), (key, item)


def test_stdin_and_formats(tmp_path):
    data = EXAMPLE.read_bytes()
    res = run_cli("analyze", "-", "--format", "jsonl", "--published", "2024-07-09", input=data)
    assert res.returncode == 0, res.stderr.decode()
    lines = res.stdout.decode().splitlines()
    assert len(lines) == 1
    rep = json.loads(lines[0])
    assert rep["input"]["path"] is None and rep["text"] == data.decode()
    (tmp_path / "r.jsonl").write_text(lines[0])
    check_report(tmp_path / "r.jsonl")

    md = run_cli("analyze", str(EXAMPLE), "--format", "md").stdout.decode()
    assert md.startswith("# Mayor Alvarez knew of bridge cracks")
    assert "**Outlet**: Harbor Herald" in md and "## Who says what" in md and "~~Read also~~" in md


def test_many_inputs_as_one_json_array(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "all.json"
    res = run_cli("analyze", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--jobs", "1", "-o", str(out))
    assert res.returncode == 0
    reps = json.loads(out.read_text())
    assert [r["input"]["path"] for r in reps] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    check_report(out)
    assert res.stderr == b""  # no progress bar in a pipe


def test_html_output_escapes_article_text(tmp_path):
    evil = tmp_path / "evil.txt"
    evil.write_text('Council <script>alert("x")</script> vote delayed\n\n'
                    'The mayor said the vote was "delayed <b>again</b>" because of the storm & the flood.\n')
    res = run_cli("analyze", str(evil), "--format", "html")
    assert res.returncode == 0
    page = res.stdout.decode()
    assert page.startswith("<!doctype html>")
    assert "<script>" not in page and "<b>again</b>" not in page
    assert "&lt;script&gt;" in page and "&amp; the flood" in page


def test_schema_command_describes_the_report():
    res = run_cli("schema")
    schema = json.loads(res.stdout)
    assert res.returncode == 0
    props = schema["properties"]
    for key in ("schema", "input", "text", "removed", "meta", "entities", "attributions", "times", "hedges", "editorial"):
        assert key in props


def test_python_api_matches_cli(seed_report):
    import reportedly

    _, rep = seed_report
    report = reportedly.analyze(SEED, published="2023-08-22")
    assert report.to_dict()["removed"] == rep["removed"]
    assert reportedly.analyze("Short text. The mayor said it rained.").text == "Short text. The mayor said it rained."
    with pytest.raises(reportedly.InputError):
        reportedly.analyze("   ")


def test_seed_markdown_reads_each_chain_in_one_line():
    if not SEED.exists():
        pytest.skip("../shared seed is not present")
    res = run_cli("analyze", str(SEED), "--published", "2023-08-22", "--format", "md")
    assert res.returncode == 0
    lines = res.stdout.decode().splitlines()
    nested = [ln for ln in lines if ln.startswith("- A") and "Obozrevatel <- The New Yorker <- unnamed sources" in ln]
    assert nested and "autumn 2022" in nested[0]  # the pointer "the statement" is shown as what it points at
    assert any(ln.startswith("- A") and "Obozrevatel <- Colin Kahl <- Elon Musk" in ln for ln in lines)
