"""Times anchored to known events: found with their side, gated by the publication date, kept beside the
TIMEX3 times (outranking one inside their phrase) and placed on the timeline."""
import datetime as dt

import pytest

from reportedly.intake.text import read_text
from reportedly.pipeline import analyze_document
from reportedly.read.times_events import find_event_times


@pytest.mark.parametrize("sentence, phrase, value, mod", [
    ("He said he had spoken to Putin before Russia's full-scale invasion of Ukraine.",
     "before Russia's full-scale invasion of Ukraine", "2022-02-24", "BEFORE"),
    ("Prices have doubled since the full-scale invasion.", "since the full-scale invasion", "2022-02-24",
     "ON_OR_AFTER"),
    ("Troops massed on the border in the run-up to the annexation of Crimea.",
     "in the run-up to the annexation of Crimea", "2014-03-18", "BEFORE"),
    ("Airport security changed after the 9/11 attacks.", "after the 9/11 attacks", "2001-09-11", "AFTER"),
    ("Flights were cut in the wake of the COVID-19 pandemic.", "in the wake of the COVID-19 pandemic", "2020-03",
     "AFTER"),
    ("The fund grew until the collapse of Lehman Brothers.", "until the collapse of Lehman Brothers", "2008-09-15",
     "ON_OR_BEFORE"),
])
def test_a_time_anchored_to_a_known_event(sentence, phrase, value, mod):
    (e,) = find_event_times(sentence, dt.date(2024, 5, 1))
    assert sentence[e.start:e.end] == phrase and (e.value, e.mod) == (value, mod)


@pytest.mark.parametrize("sentence", [
    "The talks collapsed before the invasion.",  # which invasion the table cannot say
    "The pandemic of 1918 killed millions.",  # no side word
    "We will meet before September 11.",  # a date, not the attacks
    "He left after the invasion of Normandy.",
])
def test_no_anchor_without_a_side_and_an_unambiguous_event(sentence):
    assert find_event_times(sentence, dt.date(2024, 5, 1)) == []


def test_an_event_after_the_publication_date_is_not_the_one_meant():
    text = "Sales fell after the pandemic."
    assert find_event_times(text, dt.date(2009, 6, 1)) == []
    assert [e.value for e in find_event_times(text, dt.date(2021, 6, 1))] == ["2020-03"]


def test_an_event_time_outranks_the_timex_inside_it_and_reaches_the_timeline():
    doc = read_text("Airports - Air Gazette\n\nSecurity has tightened since the September 11 attacks, "
                    "officials said on Monday. The rules changed in 2005.\n")
    doc.meta.published = "2023-08-22"
    report = analyze_document(doc)
    event = next(t for t in report.times if t.event)
    assert event.text == "since the September 11 attacks" and (event.value, event.mod) == ("2001-09-11", "ON_OR_AFTER")
    # no TIMEX3 "September 11" of this year inside the phrase; the ids run in text order
    assert not any(t is not event and t.start < event.end and event.start < t.end for t in report.times)
    assert [t.id for t in report.times] == [f"T{i + 1}" for i in range(len(report.times))]
    assert [t.start for t in report.times] == sorted(t.start for t in report.times)
    entry = next(e for e in report.timeline if e.time == event.id)
    assert entry.value == "2001-09-11" and entry.relation == "after"
    assert [e.value for e in report.timeline][:2] == ["2001-09-11", "2005"]
    from reportedly.render.markdown import render_markdown

    md = render_markdown(report)
    assert f'- {event.id} "since the September 11 attacks" -> DATE 2001-09-11 (ON_OR_AFTER: the date of ' \
           "the September 11 attacks)" in md
    assert "- **after 2001-09-11 (\u201csince the September 11 attacks\u201d)**" in md


def test_seed_timeline_sets_the_claim_before_the_invasion(seed_analyzed):
    report, _ = seed_analyzed
    event = next(t for t in report.times if t.event)
    assert event.text == "before Russia's full-scale invasion of Ukraine" and event.value == "2022-02-24"
    entry = next(e for e in report.timeline if e.time == event.id)
    assert entry.relation == "before" and entry.role == "reported"
    claim = next(a for a in report.attributions if a.id == entry.attribution)
    assert claim.cue.lemma == "claim"
    # placed before the autumn 2022 call the New Yorker reports
    order = [e.value for e in report.timeline]
    assert order.index("2022-02-24") < order.index("2022-FA")
