"""The timeline: dated sentences in order, tied to the attribution they sit in, nothing from removed text."""
from reportedly.intake.text import read_text
from reportedly.pipeline import analyze_document

ARTICLE = """Port deal signed - Harbour Times

Officials say the port deal was signed in 2021
Officials say the port deal was signed in 2021

The port authority signed the lease in March 2019. Two years later, in June 2021, the operator said that the terminal would open in 2023.

Subscribe to our newsletter for daily port news.
"""


def test_timeline_orders_dated_sentences_and_skips_removed_text():
    doc = read_text(ARTICLE)
    doc.meta.published = "2024-01-15"
    report = analyze_document(doc)
    values = [e.value for e in report.timeline]
    assert values == sorted(values)
    assert "2019-03" in values and "2021-06" in values
    for e in report.timeline:
        assert report.text[e.what.start:e.what.end] == e.what.text
        assert e.what.text == e.what.text.strip()
        assert not any(r.start < e.what.end and e.what.start < r.end for r in report.removed), e.what.text
    standfirst = [e for e in report.timeline if e.what.text.startswith("Officials say")]
    assert standfirst and standfirst[0].what.text == "Officials say the port deal was signed in 2021"
