"""The timeline: dated sentences in calendar order, each said, reported or narrated, nothing from removed
text; anchored times placed beside their anchor."""
import datetime as dt

import pytest

from reportedly.intake.text import read_text
from reportedly.pipeline import analyze_document
from reportedly.read.times_values import interval

ARTICLE = """Port deal signed - Harbour Times

Officials say the port deal was signed in 2021
Officials say the port deal was signed in 2021

The port authority signed the lease in March 2019. Two years later, in June 2021, the operator said that the terminal would open in 2023.

Subscribe to our newsletter for daily port news.
"""

# written for these tests: every kind of entry, and values whose strings sort out of calendar order
ORDER = """Harbour deal: how it came about - Port Gazette

The port authority signed the lease in March 2019. In the first quarter of 2019, the port had lost money, the mayor said on Tuesday. The operator said in February 2019 that the terminal would open in 2023.

In September 2019, the old quay closed. A week later, the operator hired 200 dockers.
"""


def _report(text: str, published: str):
    doc = read_text(text)
    doc.meta.published = published
    return analyze_document(doc)


def test_timeline_orders_dated_sentences_and_skips_removed_text():
    report = _report(ARTICLE, "2024-01-15")
    values = [e.value for e in report.timeline]
    assert values == sorted(values)
    assert "2019-03" in values and "2021-06" in values
    for e in report.timeline:
        assert report.text[e.what.start:e.what.end] == e.what.text
        assert e.what.text == e.what.text.strip()
        assert not any(r.start < e.what.end and e.what.start < r.end for r in report.removed), e.what.text
    # the standfirst (kept once, its duplicate cut): what the officials say happened in 2021, on their word
    standfirst = [e for e in report.timeline if "port deal" in e.what.text]
    assert len(standfirst) == 1 and standfirst[0].what.text == "the port deal was signed in 2021"
    officials = next(a for a in report.attributions if a.id == standfirst[0].attribution)
    assert standfirst[0].role == "reported" and officials.source.text == "Officials"


@pytest.mark.parametrize("value, start, end", [
    ("2019", dt.datetime(2019, 1, 1), dt.datetime(2020, 1, 1)),
    ("2019-02", dt.datetime(2019, 2, 1), dt.datetime(2019, 3, 1)),
    ("2019-12", dt.datetime(2019, 12, 1), dt.datetime(2020, 1, 1)),
    ("2019-02-28", dt.datetime(2019, 2, 28), dt.datetime(2019, 3, 1)),
    ("2020-W01", dt.datetime(2019, 12, 30), dt.datetime(2020, 1, 6)),
    ("2020-W01-WE", dt.datetime(2020, 1, 4), dt.datetime(2020, 1, 6)),
    ("2019-Q4", dt.datetime(2019, 10, 1), dt.datetime(2020, 1, 1)),
    ("2019-H1", dt.datetime(2019, 1, 1), dt.datetime(2019, 7, 1)),
    ("2022-FA", dt.datetime(2022, 9, 1), dt.datetime(2022, 12, 1)),
    ("2022-WI", dt.datetime(2022, 12, 1), dt.datetime(2023, 3, 1)),
    ("199", dt.datetime(1990, 1, 1), dt.datetime(2000, 1, 1)),
    ("19", dt.datetime(1900, 1, 1), dt.datetime(2000, 1, 1)),
    ("1998-03-03T16:30", dt.datetime(1998, 3, 3, 16, 30), dt.datetime(1998, 3, 3, 16, 31)),
    ("1998-03-03TNI", dt.datetime(1998, 3, 3, 21), dt.datetime(1998, 3, 4)),
])
def test_interval_of_a_value(value, start, end):
    assert interval(value) == (start, end)


@pytest.mark.parametrize("value", [None, "", "PRESENT_REF", "P3Y", "XXXX-09", "2019-13", "2019-02-30", "2019-W60"])
def test_interval_of_no_stretch_is_none(value):
    assert interval(value) is None


def test_timeline_runs_in_calendar_order_with_whose_word_each_entry_is():
    report = _report(ORDER, "2024-01-17")
    by_text = {a.cue.text: a for a in report.attributions}
    entries = [(e.value, e.role, e.relation, e.what.text) for e in report.timeline]
    # the quarter starts before February, which "2019-Q1" > "2019-02" as strings would not say
    assert [v for v, *_ in entries] == ["2019-Q1", "2019-02", "2019-03", "2019-09", "2019-09", "2023", "2024-01-16"]
    quarter, february, lease, closed, week_later, opening, tuesday = report.timeline
    mayor = next(a for a in report.attributions if "lost money" in " ".join(c.text for c in a.content))
    operator = next(a for a in report.attributions if "open in 2023" in " ".join(c.text for c in a.content))
    assert "said" in by_text
    # what the mayor reports happened in the quarter; the mayor said it on Tuesday
    assert (quarter.role, quarter.attribution) == ("reported", mayor.id)
    assert quarter.what.text == "In the first quarter of 2019, the port had lost money"
    assert (tuesday.role, tuesday.attribution) == ("said", mayor.id)
    assert (february.role, february.attribution) == ("said", operator.id)
    assert (opening.role, opening.attribution) == ("reported", operator.id)
    assert lease.role == closed.role == "narrated" and lease.attribution is None
    # "A week later" has no value of its own (September is known only to the month): placed after it
    assert week_later.relation == "after" and week_later.value == "2019-09"
    assert week_later.what.text == "A week later, the operator hired 200 dockers."
    assert closed.relation is None


def test_timeline_in_markdown_says_whose_word_and_the_anchor():
    from reportedly.render.markdown import render_markdown

    md = render_markdown(_report(ORDER, "2024-01-17"))
    lines = md[md.index("Timeline:"):].splitlines()
    assert any(ln.startswith("- **2019-Q1** [reported by A") for ln in lines)
    assert any(ln.startswith("- **2024-01-16** [said then: A") for ln in lines)
    assert any(ln.startswith("- **after 2019-09 (\u201cA week later\u201d)** A week later, the operator") for ln in lines)


def test_seed_timeline_places_a_week_later_after_the_aspen_speech(seed_analyzed):
    report, _ = seed_analyzed
    tl = report.timeline
    aspen = next(i for i, e in enumerate(tl) if "Aspen" in e.what.text)
    assert tl[aspen].value == "2022-09" and tl[aspen].role == "said"
    said = next(a for a in report.attributions if a.id == tl[aspen].attribution)
    assert said.cue.text.startswith("said")
    after = tl[aspen + 1]
    assert after.relation == "after" and after.value == "2022-09" and after.what.text.startswith("A week later")
    starts = [interval(e.value)[0] for e in tl]
    assert starts == sorted(starts)


@pytest.mark.parametrize("sentence, time_text, role", [
    # the parser may hang the time on the reported verb; beside the cue it dates the saying
    ("Tanzanian police said on Tuesday they had arrested 14 men.", "Tuesday", "said"),
    ("The Times said in an editorial on Monday that the law was wrong.", "Monday", "said"),
    ("The mayor said last month's flood had cost the port dearly.", "last month", "reported"),
    ("The mayor said the port had lost money in 2019.", "2019", "reported"),
])
def test_a_time_dates_the_saying_or_what_is_said(sentence, time_text, role):
    report = _report("Port news - Port Gazette\n\n" + sentence + "\n", "2024-01-17")
    entry = next(e for e in report.timeline if any(t.id == e.time and t.text.startswith(time_text)
                                                     for t in report.times))
    assert entry.role == role
    cue = next(a for a in report.attributions if a.id == entry.attribution).cue.text
    assert cue.startswith("said")


def test_timeline_in_html_says_whose_word_and_the_anchor():
    from reportedly.render.html import render_html

    html = render_html([_report(ORDER, "2024-01-17")])
    table = html[html.index("<h2>Timeline</h2>"):html.index("<h2>Entities</h2>")]
    assert "<td>2019-Q1</td><td>reported by A" in table
    assert "<td>2024-01-16</td><td>said then: A" in table
    assert "<td>after 2019-09 (\u201cA week later\u201d)</td><td></td>" in table
