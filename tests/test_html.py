"""HTML intake: main text, furniture marked in ``removed``, metadata, unusable input."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from reportedly.errors import InputError
from reportedly.intake.html import extract_html
from reportedly.intake.html_furniture import find_furniture
from reportedly.model import Report

FIX = Path(__file__).resolve().parent / "fixtures" / "html"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def load(name: str) -> bytes:
    return (FIX / name).read_bytes()


def kept(doc) -> str:
    return Report(input=doc.input_ref, text=doc.text, removed=doc.removed).kept_text()


def check_spans(doc):
    for r in doc.removed:
        assert doc.text[r.start:r.end] == r.text
        assert r.reason in {"duplicate", "promo", "related", "navigation", "byline", "caption", "other"}


def test_news_page_text_related_and_promo():
    doc = extract_html(load("news_related.html"), url="https://gazette.example/news/bridge", path="x.html")
    assert doc.format == "html" and doc.path == "x.html" and doc.url == "https://gazette.example/news/bridge"
    check_spans(doc)
    body = kept(doc)
    assert "voted 7-2 on Tuesday" in body
    assert "Councillor Anne Whitfield" in body
    assert "Construction is scheduled" in body
    # related teasers: not article text
    assert "re-election bid" not in body
    assert "flood defences" not in body
    assert any(r.reason == "related" and "re-election" in r.text for r in doc.removed)
    # promo line stays in text, marked
    assert "Follow us on Facebook" in doc.text and "Follow us on Facebook" not in body
    assert any(r.reason == "promo" and r.text.startswith("Follow us") for r in doc.removed)
    # page chrome is not text at all
    assert "All rights reserved" not in body and "Sports" not in body
    m = doc.meta
    assert m.title == "Council approves new bridge over the river"
    assert m.authors == ["Maria Lopez"]
    assert m.published == "2024-03-12"
    assert m.outlet == "The Riverside Gazette"
    assert m.section == "Local News"
    assert m.url == "https://gazette.example/news/bridge"


def test_standfirst_printed_twice_kept_once_and_newsletter_marked():
    doc = extract_html(load("standfirst_twice.html"))
    check_spans(doc)
    body = kept(doc)
    standfirst = "Residents face a ban on garden hoses"
    assert body.count(standfirst) == 1
    assert "regional water authority announced" in body
    assert "Sign up for our newsletter" not in body
    assert doc.meta.title == "Drought forces water restrictions across the valley"
    assert doc.meta.authors == [] and doc.meta.published is None


def test_duplicate_paragraph_and_credits_marked():
    para = "Residents face a ban on garden hoses as reservoirs fall to their lowest level in forty years."
    text = "\n".join([
        para,
        "Photo: Sam Green/Valley Times",
        "By Anna Smith and Bob Jones | March 3, 2024",
        para,
        "The regional water authority announced the restrictions on Monday.",
        "Related: Farmers brace for a dry summer",
    ])
    removed = find_furniture(text)
    reasons = {r.reason: r.text for r in removed}
    assert reasons["duplicate"] == para
    assert [r.start for r in removed if r.reason == "duplicate"] == [text.rindex(para)]
    assert reasons["caption"].startswith("Photo:")
    assert reasons["byline"].startswith("By Anna Smith")
    assert reasons["related"].startswith("Related:")
    assert not any("regional water authority" in r.text for r in removed)
    for r in removed:
        assert text[r.start:r.end] == r.text


def test_ordinary_sentences_are_not_furniture():
    text = "\n".join([
        "By the end of the year, the company expects to hire 200 people.",
        "Share prices fell 3% on Monday after the announcement.",
        "Follow-up talks are planned for next week in Geneva, officials said.",
        "Related companies in the sector also reported losses.",
    ])
    assert find_furniture(text) == []


def test_jsonld_metadata():
    doc = extract_html(load("jsonld.html"), url="https://oceandaily.example/science/ocean-map")
    m = doc.meta
    assert m.title == "Scientists map the deep ocean floor"
    assert m.authors == ["Priya Natarajan", "Tom Becker"]  # @id reference resolved
    assert m.published == "2023-11-05"  # datePublished, not dateModified
    assert m.outlet == "Ocean Daily"
    assert m.section == "Science"
    assert "autonomous underwater vehicles" in kept(doc)
    # the headline repeated as the first line of text is marked, not analysed
    assert not kept(doc).lstrip().startswith("Scientists map")


def test_opengraph_only_metadata():
    doc = extract_html(load("og_only.html").decode("utf-8"))
    m = doc.meta
    assert m.title == "Local bakery wins national prize"
    assert m.outlet == "Northtown Herald"
    assert m.published == "2022-06-30"
    assert m.authors == []  # a profile URL is not an author name
    assert "Helen Kim" in kept(doc)


@pytest.mark.parametrize("html", [b"", "   ", load("no_body.html"), b"<html><head><title>t</title></head></html>"])
def test_unusable_html_raises_input_error(html):
    with pytest.raises(InputError):
        extract_html(html)


def test_wcxb_page_if_present():
    gt_dir = SHARED / "data" / "wcxb" / "dev" / "ground-truth"
    if not gt_dir.exists():
        pytest.skip("WCXB data not present")
    f = sorted(gt_dir.glob("*.json"))[0]
    d = json.loads(f.read_text())
    html = gzip.open(gt_dir.parent / "html" / f"{f.stem}.html.gz").read()
    doc = extract_html(html, url=d["url"])
    check_spans(doc)
    gt = d["ground_truth"]
    first = " ".join(gt["main_content"].split("\n")[0].split()[:4])  # ASCII-only words
    assert first.replace("'", "\u2019") in doc.text or first in doc.text
    assert doc.meta.title and doc.meta.url == d["url"]


def test_fragment_and_xml_declaration_are_read():
    para = "The council met on Tuesday to discuss the budget for the coming year, officials said."
    doc = extract_html(f"<p>{para}</p><p>Members agreed to raise spending on roads by ten percent.</p>")
    assert para in kept(doc)
    doc = extract_html(f'<?xml version="1.0" encoding="utf-8"?><html><body><article><p>{para}</p></article></body></html>')
    assert para in kept(doc)


def test_block_printed_twice_marked_with_its_short_lines():
    a = "The first long paragraph of the story explains what happened at the meeting on Tuesday."
    b = "The second long paragraph gives the reaction of the residents who attended the meeting."
    text = "\n".join(["What happened", a, "Reactions", b, "What happened", a, "Reactions", b])
    removed = find_furniture(text)
    assert [r.reason for r in removed] == ["duplicate"] * 4
    assert removed[0].start == text.index("What happened", 1)
    kept_text = Report(input={"format": "html"}, text=text, removed=removed).kept_text()
    assert kept_text.count(a) == 1 and kept_text.count("Reactions") == 1


def test_author_bio_marked_as_byline():
    text = "\n".join([
        "The mayor said the bridge would open next spring, after two years of work.",
        "About the author",
        "Maria Lopez covers local government for the Gazette.",
    ])
    removed = find_furniture(text)
    assert [r.reason for r in removed] == ["byline", "byline"]
    assert removed[-1].text.startswith("Maria Lopez covers")


def test_byline_in_text_gives_authors_when_metadata_has_none():
    from reportedly.intake.html import byline_authors
    from reportedly.model import Removed

    line = "By Anna Smith and Bob Jones, Staff Writers | March 3, 2024"
    text = line + "\nThe council met on Tuesday."
    removed = [r for r in find_furniture(text) if r.reason == "byline"]
    assert removed and removed[0].text == line
    assert byline_authors(text, removed) == ["Anna Smith", "Bob Jones"]
    assert byline_authors("x", [Removed(start=0, end=1, text="x", reason="promo")]) == []
