"""Plain-text intake: text kept byte-identical, furniture marked with its reason, metadata found."""
import json
from pathlib import Path

import pytest

from reportedly.intake.text import outlet_from_text, outlet_from_url, read_text

FIX = Path(__file__).parent / "fixtures" / "intake"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "000_82893141c41038f2.txt"
GOLD = SHARED / "gold" / "000_82893141c41038f2.json"


def _occurrence(text: str, needle: str, n: int) -> int:
    pos = -1
    for _ in range(n):
        pos = text.index(needle, pos + 1)
    return pos


def _covered(doc, start: int, end: int):
    return [r for r in doc.removed if r.start <= start and end <= r.end]


@pytest.fixture(scope="module")
def seed():
    if not SEED.exists() or not GOLD.exists():
        pytest.skip("../shared seed and gold are not present")
    text = SEED.read_text(encoding="utf-8")
    return text, read_text(text, path=str(SEED)), json.loads(GOLD.read_text(encoding="utf-8"))


def test_seed_every_gold_boilerplate_line_is_removed_with_its_reason(seed):
    text, doc, gold = seed
    for item in gold["boilerplate"]:
        start = _occurrence(text, item["text"], item.get("occurrence", 1))
        cover = _covered(doc, start, start + len(item["text"]))
        assert cover, f"not removed: {item['text']!r}"
        assert cover[0].reason == item["reason"], item["text"]


def test_seed_body_is_kept_from_first_to_last_sentence(seed):
    text, doc, gold = seed
    assert doc.text == text  # plain text stays byte-identical
    first = text.index(gold["body"]["first_sentence"])
    last = text.index(gold["body"]["last_sentence"])
    body = (first, last + len(gold["body"]["last_sentence"]))
    assert not [r for r in doc.removed if r.start < body[1] and r.end > body[0] and r.reason != "duplicate"]
    # the first occurrence of the standfirst is the article's, only the second one is cut
    standfirst = gold["meta"]["standfirst"]
    assert not _covered(doc, text.index(standfirst), text.index(standfirst) + len(standfirst))


def test_seed_metadata(seed):
    _, doc, gold = seed
    assert doc.meta.title == gold["meta"]["title"]
    assert doc.meta.authors == gold["meta"]["authors"]
    assert doc.meta.section == gold["meta"]["section"]
    assert doc.meta.outlet == gold["meta"]["outlet"]


def test_removed_spans_index_the_text():
    text = (FIX / "byline_by.txt").read_text(encoding="utf-8")
    doc = read_text(text)
    for r in doc.removed:
        assert text[r.start : r.end] == r.text


def test_by_line_caption_promo_and_related_block():
    text = (FIX / "byline_by.txt").read_text(encoding="utf-8")
    doc = read_text(text)
    assert doc.meta.title == "Council approves new harbour budget"
    assert doc.meta.authors == ["Anna Keller", "Piotr Nowak"]
    reasons = {r.text: r.reason for r in doc.removed}
    assert reasons["By Anna Keller and Piotr Nowak, Metro Desk"] == "byline"
    assert reasons["Photo: City Hall press office"] == "caption"
    assert reasons["Subscribe to our newsletter for the latest city news."] == "promo"
    assert reasons["Related"] == reasons["Dock workers rally outside city hall"] == "related"
    kept = [ln for ln in text.splitlines() if ln.strip() and ln.strip() not in reasons]
    assert '"This budget keeps the port open," said council leader Sam Ortiz.' in kept


def test_a_related_heading_early_in_the_text_does_not_swallow_the_article():
    text = "Title\n\nRelated\n\n" + "\n\n".join(f"Paragraph {i} of the body says something." for i in range(8))
    doc = read_text(text)
    assert not any("Paragraph 7" in r.text for r in doc.removed)


def test_outlet_from_self_reference_and_url():
    assert outlet_from_text("As GAZETA previously reported, the mayor resigned.") == "Gazeta"
    assert outlet_from_text("Read more on our Daily Bugle website. As the DAILY BUGLE reported") == "Daily Bugle"
    assert outlet_from_text("He said nothing.") is None
    assert outlet_from_url("https://www.newyorker.com/news/x") == "The New Yorker"
    assert outlet_from_url("https://news.example-times.co.uk/a/b") == "Example Times"
