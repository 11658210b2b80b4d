"""Time expressions: detection and TIMEX3 normalisation against the publication date."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from reportedly.model import Meta, Report, InputRef
from reportedly.read.nlp import Parsed
from reportedly.read.times import find_times, read_times

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "000_82893141c41038f2.txt"
CASES = json.loads((HERE / "fixtures" / "times" / "cases.json").read_text())


def _by_text(times, wanted: str):
    """The expression covering ``wanted`` (spans may differ by a preposition)."""
    hits = [t for t in times if wanted in t.text or t.text in wanted]
    assert hits, f"{wanted!r} not found in {[t.text for t in times]}"
    return max(hits, key=lambda t: len(set(t.text.split()) & set(wanted.split())))


@pytest.fixture(scope="module")
def nlp():
    """The spaCy pipeline the tense rules read, or a skip when the model is not installed."""
    pytest.importorskip("spacy")
    from reportedly.read.nlp import load_nlp

    try:
        return load_nlp()
    except RuntimeError:
        pytest.skip("spaCy model not installed")


@pytest.fixture(scope="module")
def seed_times():
    if not SEED.exists():
        pytest.skip("shared seed not present")
    return find_times(SEED.read_text(), dt.date(2023, 8, 22))


def test_seed_values(seed_times):
    assert any(t.text == "2022" and t.value == "2022" and t.type == "DATE" for t in seed_times)
    assert _by_text(seed_times, "autumn 2022").value == "2022-FA"
    sept = _by_text(seed_times, "September last year")
    assert sept.value == "2022-09"
    assert _by_text(seed_times, "June").value == "2023-06"


def test_seed_anchor(seed_times):
    sept = _by_text(seed_times, "September last year")
    later = _by_text(seed_times, "A week later")
    assert later.anchor == sept.id
    # a week after some day of September is not known to the day: open, with a reason
    assert later.value is None and later.note


def test_seed_without_publication_date():
    if not SEED.exists():
        pytest.skip("shared seed not present")
    times = find_times(SEED.read_text(), None)
    assert _by_text(times, "autumn 2022").value == "2022-FA"  # absolute: needs no date
    sept = _by_text(times, "September last year")
    assert sept.value is None and "publication date" in sept.note
    assert _by_text(times, "A week later").anchor == sept.id


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_fixture_case(case):
    published = dt.date.fromisoformat(case["published"]) if case["published"] else None
    times = find_times(case["text"], published)
    if not case["expect"]:
        assert times == []
    for exp in case["expect"]:
        span, typ, value = exp[:3]
        t = _by_text(times, span)
        assert (t.type, t.value) == (typ, value), t
        if len(exp) > 3:
            anchor = _by_text(times, exp[3])
            assert t.anchor == anchor.id
        if value is None and case.get("notes"):
            assert t.note
    for t in times:
        assert case["text"][t.start:t.end] == t.text
    assert [t.id for t in times] == [f"T{i}" for i in range(1, len(times) + 1)]


def test_layer_uses_masked_text_and_report_offsets():
    text = "Subscribe now for $1!\nThe deal was signed on Friday, the company said."
    cut = text.index("\n")
    masked = " " * cut + text[cut:]
    parsed = Parsed(text=text, masked=masked, doc=None, meta=Meta(published="2024-05-08"))
    report = Report(input=InputRef(), text=text)
    out = read_times(parsed, report)["times"]
    assert [t.text for t in out] == ["Friday"]  # "now" sat in the blanked boilerplate
    assert out[0].value == "2024-05-03"
    assert text[out[0].start:out[0].end] == "Friday"


def test_tense_from_spacy_doc(nlp):
    text = "The board will vote on Thursday."
    times = find_times(text, dt.date(2021, 3, 10), doc=nlp(text))
    assert times[0].value == "2021-03-11"
    text = "The board voted on Thursday."
    times = find_times(text, dt.date(2021, 3, 10), doc=nlp(text))
    assert times[0].value == "2021-03-04"


def test_value_arithmetic():
    from reportedly.read import times_values as tv

    assert tv.shift("1989-Q3", -1, "Y") == "1988-Q3"
    assert tv.shift("2022-FA", -1, "Y") == "2021-FA"
    assert tv.shift("2020-W52", 2, "W") == "2021-W01"
    assert tv.shift("2022-09-03", 1, "W") == "2022-09-10"
    assert tv.shift("2022-09", 1, "W") is None  # a week after a month is not known
    assert tv.coarsen("2022-09-03", "Q") == "2022-Q3"
    assert tv.granularity("2022-09-03T10:30") == "T"


def test_direction_model(nlp):
    """Past/future of weekdays, month-days and months: plain logistic weights, no scikit-learn."""
    from reportedly.read import times_direction as td

    w = td.weights()
    assert w is not None and w["w"] and "threshold" in w
    pub = dt.date(1989, 10, 26)  # a Thursday
    cases = [
        ("The new labor pact takes effect June 1, the company said.", "1990-06-01"),
        ("The company said its profit fell in June.", "1989-06"),
        ("The offer was extended until Tuesday.", "1989-10-31"),  # the end of a deferral lies ahead
        ("The vote was postponed until March.", "1990-03"),
        ("Shareholders will meet on Tuesday to vote on the offer.", "1989-10-31"),
        ("The stock fell 5% on Tuesday.", "1989-10-24"),
    ]
    for text, value in cases:
        times = find_times(text, pub, doc=nlp(text))
        assert times and times[0].value == value, (text, times)
    assert "import sklearn" not in open(td.__file__).read() and "from sklearn" not in open(td.__file__).read()


# TIMEX3 conventions added while working on TimeBank generalisation: (published, text, [(span, type, value)])
CONVENTIONS = [
    # a participle after a modal is no past tense; a report after the clause does not set its tense
    ("2016-02-08", "The first votes will be counted Tuesday in three tiny towns.", [("Tuesday", "DATE", "2016-02-09")]),
    ("2016-02-08", "Officials will meet again on Tuesday, the mayor said.", [("Tuesday", "DATE", "2016-02-09")]),
    # the next clause's verb is not the tense of a time in the clause before
    ("2016-02-08", "He met the king on Tuesday and will meet Bush on Thursday.",
     [("Tuesday", "DATE", "2016-02-02"), ("Thursday", "DATE", "2016-02-11")]),
    # a fronted time takes the report that follows it; a present passive of a schedule points ahead
    ("2016-03-16", "On Thursday, Sanders told the AP that he would not seek a recount.", [("Thursday", "DATE", "2016-03-10")]),
    ("2016-06-05", "A public memorial service is planned Friday in Louisville.", [("Friday", "DATE", "2016-06-10")]),
    # "last Oct. 23" is the day, not the month
    ("1999-04-19", "He was shot to death last Oct. 23 at his home.", [("Oct. 23", "DATE", "1998-10-23")]),
    # "April 24 and 25": two days; "later in the day": the day in talk
    ("1999-02-10", "The summit will be held on April 24 and 25.",
     [("April 24", "DATE", "1999-04-24"), ("25", "DATE", "1999-04-25")]),
    ("1999-02-10", "On May 5 and 25 people died.", [("May 5", "DATE", "1999-05-05")]),
    ("1998-02-13", "He arrived in Philadelphia later in the day.", [("later in the day", "DATE", "1998-02-13")]),
    # participles ("markets untouched by", "the crippled economy") are no past tense
    ("1998-02-13", "Qantas will double its flights by August in the search for markets untouched by the crisis.",
     [("August", "DATE", "1998-08")]),
    ("1999-05-06", "They have searched for him since shortly after the Oct. 23 slaying.", [("Oct. 23", "DATE", "1998-10-23")]),
    # "the early hours of Thursday morning" is part of that morning
    ("1999-10-08", "The FBI arrested him in the early hours of Thursday morning.",
     [("Thursday morning", "TIME", "1999-10-07TMO")]),
    # a present schedule verb before a weekday points ahead
    ("2016-07-22", "The convention, which begins Monday, is sold out.", [("Monday", "DATE", "2016-07-25")]),
    # a curly "’ll" is a future too
    ("2016-05-12", "He said Trump looks like he’ll be very competitive in November.", [("November", "DATE", "2016-11")]),
    # with no tense, "before / through / until" a month looks ahead
    ("2016-05-12", "Its job: to help candidates prepare even before the November election.", [("November", "DATE", "2016-11")]),
    # a report after the time frames it and says nothing of when it lies; "come November" is the next
    ("2016-06-10", "\"I feel very good about chances in November,\" Tester said.", [("November", "DATE", "2016-11")]),
    ("2016-06-15", "Clinton, the favorite to win the election come November, proposed a plan.", [("November", "DATE", "2016-11")]),
    # "since" looks back
    ("2016-07-27", "But since December, her speeches have become more hawkish.", [("December", "DATE", "2015-12")]),
    ("2016-07-27", "Prices will not have risen since Monday.", [("Monday", "DATE", "2016-07-25")]),
    # a clause after the time ("that he would ...") is another verb's
    ("2016-02-09", "Rubio told voters here Sunday that he would continue.", [("Sunday", "DATE", "2016-02-07")]),
    # a time fronted before its clause takes the clause's tense, and "Mr." ends no sentence
    ("2015-12-31", "On Monday, Mr. Clinton will hold two organizing events.", [("Monday", "DATE", "2016-01-04")]),
    # a deadline ("until", "by") in a present sentence lies ahead
    ("2000-04-03", "The INS has given the relatives until 9 a.m. Tuesday to sign a paper.",
     [("9 a.m. Tuesday", "TIME", "2000-04-04T09:00")]),
    ("2000-04-03", "They have until Friday to respond.", [("Friday", "DATE", "2000-04-07")]),
    # fractions of a unit: ISO 8601 with the next unit down
    ("2016-02-08", "The talks lasted a year and a half.", [("a year and a half", "DURATION", "P1Y6M")]),
    ("2016-02-08", "They lived in camps for 2 1/2 years.", [("2 1/2 years", "DURATION", "P2Y6M")]),
    ("2016-02-08", "The meeting took an hour and a half.", [("an hour and a half", "DURATION", "PT1H30M")]),
    ("2016-02-08", "He spoke for half an hour.", [("half an hour", "DURATION", "PT30M")]),
    # a unit word capitalised amid a sentence is a title's word
    ("2016-02-08", "Gonzalez said on CBS's \"60 Minutes\" that he would stay.", []),
    ("2016-02-08", "Baker said on ABC's \"This Week With David Brinkley\" that it was over.", []),
    ("2016-02-08", "Speaking to \"CBS This Morning\" on Monday, Rubio smiled.", [("Monday", "DATE", "2016-02-08")]),
    ("2016-02-08", "\"This week was hard,\" he said.", [("This week", "DATE", "2016-W06")]),
    ("2016-02-08", "Stocks Fall Sharply This Week\nThe Dow fell.", [("This Week", "DATE", "2016-W06")]),
    # "Now," opening a sentence is a discourse marker; "now" in the clause is the present
    ("2016-02-08", "It was bad. Now, he says, it is fine.", []),
    ("2016-02-08", "It was bad. Now the court has ruled.", [("Now", "DATE", "PRESENT_REF")]),
    ("1989-10-30", "The president quit. And now Kellogg is suspending work.", [("now", "DATE", "PRESENT_REF")]),
    ("1989-10-30", "Every now and then he calls.", []),
    # "later on Sunday": the day is the time, "later on" no future reference
    ("2015-11-08", "Later on Sunday, Carson shared a syllabus.", [("Sunday", "DATE", "2015-11-08")]),
    # a rate after an amount is no time; a frequency is a set
    ("2016-02-08", "It will save $500 million a year in costs.", []),
    ("2016-02-08", "Sales rise 8.5% annually.", []),
    ("2016-02-08", "He flies to Paris twice a week.", [("a week", "SET", "P1W")]),
    ("2016-02-08", "The report is published annually.", [("annually", "SET", "P1Y")]),
    # a newspaper called "daily", a season in a name
    ("2016-06-20", "According to the Daily Caller, it was done.", []),
    ("2000-01-28", "The Communist Party daily Granma compared Elian with Marti.", []),
    ("2016-06-20", "The \"Arab Spring\" uprisings spread across the region.", []),
    ("2016-05-01", "Valls told the Paris daily Liberation that he agreed.", []),
    ("2016-05-01", "Qantas plans daily flights between Sydney and Bombay.", [("daily", "SET", "P1D")]),
    ("2016-06-20", "Prices rose in Spring 2016.", [("Spring 2016", "DATE", "2016-SP")]),
    # a quarter-century, a half-century
    ("2016-05-17", "The series went off the air a quarter-century ago.", [("a quarter-century ago", "DATE", "1991")]),
    ("2016-05-17", "Over the past half-century prices rose.", [("the past half-century", "DURATION", "P50Y")]),
    # "a weeks-long strike": some weeks; "wait a minute" is an interjection; a film's title
    ("2016-05-20", "It ended a weeks-long strike.", [("a weeks-long", "DURATION", "PXW")]),
    ("2016-05-20", "Wait a minute, he said.", []),
    ("2016-05-20", "He watched \"Back to the Future\" again.", []),
    # the latest quarter has ended by the publication; a forecast for a later year is not the quarter in talk
    ("1989-11-02", "It expects a fourth-quarter charge. Profit fell 59% in the latest quarter.",
     [("fourth-quarter", "DATE", "1989-Q4"), ("the latest quarter", "DATE", "1989-Q3")]),
    ("1989-10-26", "Losses will last through the third quarter of 1990. Third-quarter net fell. "
                   "In the year-ago period, it earned $101.4 million.",
     [("the third quarter of 1990", "DATE", "1990-Q3"), ("Third-quarter", "DATE", "1989-Q3"),
      ("the year-ago period", "DATE", "1988-Q3")]),
    # the period a year before the quarter in talk
    ("1989-11-01", "Third-quarter net rose. Net was $1.8 million for the corresponding period last year. "
                   "U.K. sales for last year's quarter were $3 million.",
     [("Third-quarter", "DATE", "1989-Q3"), ("the corresponding period last year", "DATE", "1988-Q3"),
      ("last year's quarter", "DATE", "1988-Q3")]),
    # fiscal years relative to the publication, named by their calendar year
    ("1989-10-26", "It had sales of C$7.38 billion in the latest fiscal year.", [("the latest fiscal year", "DATE", "1988")]),
    ("1989-10-26", "Earnings for the current fiscal year will fall.", [("the current fiscal year", "DATE", "1989")]),
    # "today's youth", "tomorrow's leaders": the age in general, left unmarked; a day's event is a date
    ("2000-01-07", "The case is for today's youth what the blockade was to their parents.", []),
    ("2000-01-07", "Intel chips power many of today's personal computers.", []),
    ("2000-01-07", "Today's vote was close.", [("Today", "DATE", "2000-01-07")]),
    # "soon" is a future reference; "as soon as", "soon after" are not
    ("1989-10-30", "Prosecutors may soon seek an indictment.", [("soon", "DATE", "FUTURE_REF")]),
    ("1989-10-30", "He wants it done as soon as it can be. Soon after, he left.", []),
    # vague stretches: "over the years", "the first hours of", "several quarters of losses", "day-long"
    ("1998-03-31", "Over the years many patients died.", [("the years", "DURATION", "PXY")]),
    ("1991-02-25", "Prisoners were taken in the first hours of the ground war.", [("the first hours", "DURATION", "PTXH")]),
    ("1989-10-30", "It became profitable after several quarters of losses. A quarter of the shares were sold.",
     [("several quarters", "DURATION", "PXQ")]),
    ("2000-04-03", "They emerged from their third day-long meeting.", [("day-long", "DURATION", "P1D")]),
    # a part of the day in talk: "in the morning" after "Friday", "mid-afternoon yesterday"
    ("1989-10-30", "Hopes were dashed Friday. Dealers placed buy orders in the morning.",
     [("Friday", "DATE", "1989-10-27"), ("in the morning", "TIME", "1989-10-27TMO")]),
    ("1989-11-02", "He left mid-afternoon yesterday.", [("mid-afternoon yesterday", "TIME", "1989-11-01TAF")]),
    # "per second" after an amount is a rate; "quarter-to-quarter" compares, it names no quarter
    ("1989-10-27", "Intel clocks the chip at 15 million instructions per second.", []),
    ("1989-11-01", "The quarter-to-quarter comparison was also enhanced.", []),
    # "4 in the morning" is a clock time
    ("2000-04-05", "The vote was set for 9 in the evening.", [("9 in the evening", "TIME", "2000-04-05T21:00")]),
    # a span of years; a time counted from now
    ("1989-10-26", "From 1985 to 1988 sales doubled.", [("1985", "DATE", "1985"), ("1988", "DATE", "1988")]),
    ("1989-10-26", "The 1,500 to 2,000 workers left.", []),
    ("2016-04-20", "Ten years from now we will see.", [("Ten years from now", "DATE", "2026")]),
    ("2016-04-20", "A week from today, he leaves.", [("A week from today", "DATE", "2016-W17")]),
    # sets: every other week, each spring
    ("2016-05-01", "The committee meets every other week.", [("every other week", "SET", "P2W")]),
    ("2016-05-01", "Each spring the river floods.", [("Each spring", "SET", "XXXX-SP")]),
    # "the year 2000", "the year two thousand" name the year
    ("1998-02-05", "The promise of jobs by the year two thousand has been abandoned.",
     [("the year two thousand", "DATE", "2000")]),
    ("1998-02-05", "The year 2000 problem worries banks.", [("The year 2000", "DATE", "2000")]),
    # "the previous / following <weekday>": the weekday before or after the day in talk, not the same one
    ("1998-03-11", "Shares closed higher on Friday, up from the previous Friday.",
     [("Friday", "DATE", "1998-03-06"), ("the previous Friday", "DATE", "1998-02-27")]),
    ("1998-03-11", "They met on March 2. The following Monday, talks broke down.",
     [("March 2", "DATE", "1998-03-02"), ("The following Monday", "DATE", "1998-03-09")]),
    # "the first quarter of next year": one expression, the year named by its own words
    ("1998-03-11", "Sales will recover in the first quarter of next year.",
     [("the first quarter of next year", "DATE", "1999-Q1")]),
    ("1998-03-11", "Sales fell in the fourth quarter of last year.", [("the fourth quarter of last year", "DATE", "1997-Q4")]),
    ("1995-06-01", "Sales rose in 1990 and fell in the first quarter of the following year.",
     [("1990", "DATE", "1990"), ("the first quarter of the following year", "DATE", "1991-Q1")]),
    # "that night", "later that evening": that part of the day in talk
    ("1998-03-11", "The rebels attacked on Monday. That night, the army withdrew.",
     [("Monday", "DATE", "1998-03-09"), ("That night", "TIME", "1998-03-09TNI")]),
    ("1998-03-11", "He landed on March 3 and later that evening met the king.",
     [("March 3", "DATE", "1998-03-03"), ("later that evening", "TIME", "1998-03-03TEV")]),
    # a clock time "tonight" without a.m. is in the evening
    ("1998-03-11", "The president will speak at 9:30 tonight.", [("9:30 tonight", "TIME", "1998-03-11T21:30")]),
    ("1998-03-11", "The polls close tonight at 8 o'clock.", [("tonight at 8 o'clock", "TIME", "1998-03-11T20:00")]),
    # "for the year" alone is the year in talk; "for the year ended ..." and "over the year" are a stretch of one
    ("1989-11-02", "For the year, pet food volume was flat.", [("the year", "DATE", "1989")]),
    ("1989-11-02", "Net income for the year ended Sept. 30 rose.", [("the year", "DURATION", "P1Y"), ("Sept. 30", "DATE", "1989-09-30")]),
    ("1989-11-02", "Prices rose 5% over the year.", [("the year", "DURATION", "P1Y")]),
    # a range of durations: its first number is a duration of the same unit
    ("1998-03-11", "Repairs take two to three weeks.", [("two", "DURATION", "P2W"), ("three weeks", "DURATION", "P3W")]),
    ("1998-03-11", "The flight lasts one or two hours.", [("one", "DURATION", "PT1H"), ("two hours", "DURATION", "PT2H")]),
    # a number with thousands separators is read whole
    ("1998-03-11", "The temple has stood for 2,000 years.", [("2,000 years", "DURATION", "P2000Y")]),
    # a season or month with a year in words (spoken transcripts)
    ("1998-02-23", "Oil fell to the level we saw in the winter of nineteen ninety-four.",
     [("the winter of nineteen ninety-four", "DATE", "1994-WI")]),
    ("1998-02-23", "He was born in March nineteen fifty-two.", [("March nineteen fifty-two", "DATE", "1952-03")]),
    # "second-half earnings", "the fiscal first half": a half year like "third-quarter"
    ("1989-10-26", "The company expects second-half earnings to rise.", [("second-half", "DATE", "1989-H2")]),
    ("1989-10-26", "Net rose in the fiscal first half.", [("the fiscal first half", "DATE", "1989-H1")]),
    # a future tense points ahead: a month two months back is next year's; the current month is this one
    ("1998-03-11", "The election will be held in January.", [("January", "DATE", "1999-01")]),
    ("1998-03-11", "He will remain in jail until Feb. 2.", [("Feb. 2", "DATE", "1999-02-02")]),
    ("1998-03-11", "The vote will be held in March.", [("March", "DATE", "1998-03")]),
    # a present copula naming a weekday is a schedule ahead; a past one looks back
    ("1998-03-11", "The deadline is Friday.", [("Friday", "DATE", "1998-03-13")]),
    ("1998-03-11", "The talks are on Monday.", [("Monday", "DATE", "1998-03-16")]),
    ("1998-03-11", "The deadline was Friday.", [("Friday", "DATE", "1998-03-06")]),
    # "by mid-month", "midyear": the current month or year; "in the early afternoon": that part of the day
    ("1998-03-11", "A decision is expected by mid-month.", [("mid-month", "DATE", "1998-03")]),
    ("1998-03-11", "The plant should open by midyear.", [("midyear", "DATE", "1998")]),
    ("1998-03-11", "They followed a Midyear-related lead.", []),  # a hyphenated compound's word
    ("1998-03-11", "Rebels attacked the town on Monday. Troops returned in the early afternoon.",
     [("Monday", "DATE", "1998-03-09"), ("in the early afternoon", "TIME", "1998-03-09TAF")]),
    # "the year before", "the next year" in a past narrative: from the year in talk
    ("1998-03-11", "Sales rose in 1995. The year before, they fell.", [("1995", "DATE", "1995"), ("The year before", "DATE", "1994")]),
    ("1998-03-11", "Sales rose in 1995. The next year, they fell.", [("1995", "DATE", "1995"), ("The next year", "DATE", "1996")]),
    ("1998-03-11", "He said on Monday that the next year would be hard.",
     [("Monday", "DATE", "1998-03-09"), ("the next year", "DATE", "1999")]),
    # "on weekends" recurs; "a half-hour" is thirty minutes
    ("1998-03-11", "The museum opens on weekends.", [("on weekends", "SET", "XXXX-WXX-WE")]),
    ("1998-03-11", "Stay with us for the next half hour.", [("the next half hour", "DURATION", "PT30M")]),
    # a 24-hour clock time with its zone ("1400 GMT"); a conversion in brackets restates the time before it
    ("1998-03-11", "The quake struck at 0830 GMT Monday.", [("0830 GMT Monday", "TIME", "1998-03-09T08:30")]),
    ("1998-03-11", "The blast came at about 10:35 a.m. (0735 GMT) Friday.",
     [("about 10:35 a.m.", "TIME", "1998-03-11T10:35"), ("Friday", "DATE", "1998-03-06")]),
    # a past expectation ("had been due to", "was expected to") names a time that has come
    ("1989-10-30", "The offer was extended to Nov. 16. It had been due to expire Friday evening.",
     [("Nov. 16", "DATE", "1989-11-16"), ("Friday evening", "TIME", "1989-10-27TEV")]),
    ("1989-10-30", "The offer is due to expire Friday evening.", [("Friday evening", "TIME", "1989-11-03TEV")]),
    # a month as a first name, a weekday in a newspaper's name: no time
    ("1998-03-11", "The award went to April Smith, who met June Carter.", []),
    ("1998-03-11", "The Sunday Times reported the story.", []),
    ("1998-03-11", "In April Congress passed the bill.", [("April", "DATE", "1998-04")]),
    # a schedule verb or a deadline before a day of a month, with no past tense, looks ahead
    ("1998-03-11", "The ban expires on Dec. 31.", [("Dec. 31", "DATE", "1998-12-31")]),
    ("1998-03-11", "The ban expired on Dec. 31.", [("Dec. 31", "DATE", "1997-12-31")]),
    ("1998-03-11", "Talks will go on for a further two weeks.", [("a further two weeks", "DURATION", "P2W")]),
    # "it's the second day of the strike": the day of the report; "it was the third day" says not which
    ("1998-03-06", "It's the second day of the strike.", [("the second day", "DATE", "1998-03-06")]),
    ("1998-03-06", "It was the third day of the strike.", []),
    # a span of years written "1990-91": each year its own expression, like "from 1990 to 1991"
    ("1998-03-06", "The 1990-91 recession hurt sales.", [("1990", "DATE", "1990"), ("91", "DATE", "1991")]),
    ("1998-03-06", "He served from 1999-2001.", [("1999", "DATE", "1999"), ("2001", "DATE", "2001")]),
    ("1998-03-06", "The 1999-00 season was long.", [("1999", "DATE", "1999"), ("00", "DATE", "2000")]),
    # "this summer" in February is the coming one (a winter straddles two years); "this winter" in March, past
    ("1998-02-06", "He will retire this summer.", [("this summer", "DATE", "1998-SU")]),
    ("1998-03-11", "Sales fell this winter.", [("this winter", "DATE", "1997-WI")]),
    # more holidays: fixed days and n-th weekdays of a month
    ("1998-03-11", "He arrived on the Fourth of July.", [("the Fourth of July", "DATE", "1997-07-04")]),
    ("1998-03-11", "He will visit on Father's Day.", [("Father's Day", "DATE", "1998-06-21")]),
    ("1998-03-11", "Markets were closed on Presidents' Day.", [("Presidents' Day", "DATE", "1998-02-16")]),
    # "a year and a half ago", "two and a half years ago": counted in months, named to the year
    ("1998-03-11", "A year and a half ago, he left.", [("A year and a half ago", "DATE", "1996")]),
    ("1998-03-11", "Two and a half years ago, he left.", [("Two and a half years ago", "DATE", "1995")]),
    ("1998-03-11", "A month and a half ago, he left.", [("A month and a half ago", "DATE", "1998-01")]),
    ("1998-01-14", "A minute and a half later, a pilot called.", [("A minute and a half later", "DURATION", "PT1M30S")]),
    # "the March accession", "its May elections": May and March before a noun are months; a name is not
    ("1999-02-10", "The March accession will let them join.", [("March", "DATE", "1999-03")]),
    ("1999-02-10", "The March on Washington was big.", []),
    # "this (crucial) moment": the present
    ("1990-08-15", "He would not travel at this crucial moment.", [("this crucial moment", "DATE", "PRESENT_REF")]),
    # a clock time with its weekday and date, or after its weekday
    ("1998-03-11", "The meeting is at 10 a.m. Thursday, March 19.",
     [("10 a.m. Thursday, March 19", "TIME", "1998-03-19T10:00")]),
    ("1998-03-11", "The meeting is Thursday at 10 a.m.", [("Thursday at 10 a.m.", "TIME", "1998-03-12T10:00")]),
    # "this weekend" in a past sentence before Saturday is the one just past; "earlier in the week"
    ("1998-03-11", "They met this weekend.", [("this weekend", "DATE", "1998-W10-WE")]),
    ("1998-03-11", "They will meet this weekend.", [("this weekend", "DATE", "1998-W11-WE")]),
    ("1998-03-11", "They met earlier in the week.", [("earlier in the week", "DATE", "1998-W11")]),
    ("1998-03-11", "He arrived on Feb. 3. Later in the month, he left.",
     [("Feb. 3", "DATE", "1998-02-03"), ("Later in the month", "DATE", "1998-02")]),
    # decades in words; "the 1800s" is a century; ages and temperatures are no decades
    ("1998-03-11", "He grew up in the sixties.", [("the sixties", "DATE", "196")]),
    ("1998-03-11", "He is in his sixties.", []),
    ("1998-03-11", "The house was built in the 1800s.", [("the 1800s", "DATE", "18")]),
    ("1998-03-11", "It was built in the late 19th century.", [("the late 19th century", "DATE", "18")]),
    # a day before March or May ("on 2 March"); a range of days "March 2-4" gives both ends
    ("1998-03-11", "He left on 2 March.", [("2 March", "DATE", "1998-03-02")]),
    ("1998-03-11", "The fair was held March 2-4.", [("March 2", "DATE", "1998-03-02"), ("4", "DATE", "1998-03-04")]),
    # "effective Feb. 1": a change takes effect after its announcement; "was effective Oct. 1" has
    ("1989-10-26", "The company created an office of the chairman, effective Feb. 1.", [("Feb. 1", "DATE", "1990-02-01")]),
    ("1989-10-26", "The resignation was effective Oct. 1.", [("Oct. 1", "DATE", "1989-10-01")]),
    # "10.30 am" (a full stop between hours and minutes), "12 noon"
    ("1998-03-11", "The talks start at 10.30 am.", [("10.30 am", "TIME", "1998-03-11T10:30")]),
    ("1998-03-11", "The talks start at 12 noon.", [("12 noon", "TIME", "1998-03-11T12:00")]),
    ("1998-03-11", "The index rose 10.30 in the morning session.", [("the morning", "TIME", "1998-03-11TMO")]),
    # sets: "every morning", "every few years", "Monday nights"; "Monday and Tuesday nights" shares the part
    ("1998-03-11", "He runs every morning.", [("every morning", "SET", "XXXX-XX-XXTMO")]),
    ("1998-03-11", "Elections are held every few years.", [("every few years", "SET", "PXY")]),
    ("1998-02-13", "New flights will leave on Monday and Tuesday nights.",
     [("Monday", "SET", "XXXX-WXX-1TNI"), ("Tuesday nights", "SET", "XXXX-WXX-2TNI")]),
    # without a parse too, the end of a deferral lies ahead; a stay until Friday does not
    ("2000-03-30", "Officials postponed until Tuesday morning any action on the case.",
     [("Tuesday morning", "TIME", "2000-04-04TMO")]),
    ("1989-10-30", "The bank has extended the company up to $90 million in revolving loans through January.",
     [("January", "DATE", "1990-01")]),
    ("2000-04-03", "He stayed in the city until Friday.", [("Friday", "DATE", "2000-03-31")]),
    # a plural subject's present schedule verb, an adverb between: ahead (words only)
    ("1998-05-01", "He and Arafat meet separately Monday with the envoy.", [("Monday", "DATE", "1998-05-04")]),
    ("1998-05-01", "They did not meet Monday.", [("Monday", "DATE", "1998-04-27")]),
    # "Jan. 1 next year", "June 5 last year": one expression
    ("1998-03-11", "The law takes effect Jan. 1 next year.", [("Jan. 1 next year", "DATE", "1999-01-01")]),
    ("1998-03-11", "He was elected on June 5 last year.", [("June 5 last year", "DATE", "1997-06-05")]),
    # "48 hours from now": whole days ahead
    ("1998-03-11", "Forty-eight hours from now, the vote begins.", [("Forty-eight hours from now", "DATE", "1998-03-13")]),
    # a year after a range of days is both days' year
    ("2018-11-01", "Rockets fell from November 10-13, 2012.", [("November 10", "DATE", "2012-11-10"), ("13", "DATE", "2012-11-13")]),
    # a bare h:mm is a time after a preposition or with a zone; a verse or a ratio is not, nor is "etc." a zone
    ("2018-11-01", "The plane leaves at 6:45.", [("6:45", "TIME", "2018-11-01T06:45")]),
    ("2018-11-01", "Submit to God (Romans 1:24 etc.)", []),
    ("2018-11-01", "The ratio was 2:1.", []),
    # years or months after a week are known to the year or month
    ("2018-11-01", "It happened last week. Two months earlier, he told someone.",
     [("last week", "DATE", "2018-W43"), ("Two months earlier", "DATE", "2018-08")]),
    # an age ("21 years of age") is no duration, like "45 years old"
    ("2018-11-01", "They raised the age limit from 18 to 21 years of age.", []),
    # a range's p.m. carries to a bare first end when it can ("from 9:30 to 5 p.m." cannot)
    ("2018-11-01", "Shots were fired between 11:15 and 11:18 p.m.",
     [("11:15", "TIME", "2018-11-01T23:15"), ("11:18 p.m.", "TIME", "2018-11-01T23:18")]),
    ("2018-11-01", "The store is open from 9:30 to 5 p.m.",
     [("9:30", "TIME", "2018-11-01T09:30"), ("5 p.m.", "TIME", "2018-11-01T17:00")]),
    # an hour in words with o'clock (either apostrophe); a thing named after a holiday is no date
    ("2016-09-30", "He tweets at three o’clock in the morning.", [("three o’clock in the morning", "TIME", "2016-09-30T03:00")]),
    ("2016-09-30", "He left at ten o'clock.", [("ten o'clock", "TIME", "2016-09-30T10:00")]),
    ("2016-09-30", "Christmas trees from Oregon were sent.", []),
    # a possessive weekday is past ("Wednesday's ruling") unless its noun leads a future or follows "ahead of"
    ("2016-09-23", "Monday's debate in New York will be watched closely.", [("Monday", "DATE", "2016-09-26")]),
    ("2016-09-23", "Ahead of Monday's debate, Clinton rested.", [("Monday", "DATE", "2016-09-26")]),
    ("2016-09-23", "Monday's debate was watched closely.", [("Monday", "DATE", "2016-09-19")]),
    # a holiday takes the tense's occurrence with the same slack as a month and day
    ("2000-04-17", "Protesters prayed as Easter week began.", [("Easter week", "DATE", "2000-W16")]),  # the week to Easter Sunday
    ("2000-04-17", "He was found on Thanksgiving Day.", [("Thanksgiving Day", "DATE", "1999-11-25")]),
    # "this year as last": the elliptical "last" is last year
    ("1989-10-27", "The dividend will be twice as high this year as last.",
     [("this year", "DATE", "1989"), ("last", "DATE", "1988")]),
    ("1989-10-27", "This year he finished first and last.", [("This year", "DATE", "1989")]),
    # "the week of March 2": the week of that day
    ("1998-03-11", "The talks were held during the week of March 2.", [("the week of March 2", "DATE", "1998-W10")]),
    ("1998-03-11", "The deal closed in the final quarter of 1997.", [("the final quarter of 1997", "DATE", "1997-Q4")]),
    # "overnight" as an adverb is the night before publication (its own night ahead); as an adjective no time
    ("1998-03-04", "The rebels attacked overnight, officials said.", [("overnight", "TIME", "1998-03-03TNI")]),
    ("1998-03-04", "Crews will work overnight to fix it.", [("overnight", "TIME", "1998-03-04TNI")]),
    ("1998-03-04", "The central bank lowered overnight rates.", []),
    # the turn of the century on the verb's side of the publication year; a named century is the one it opens
    ("1998-03-04", "The mill was built at the turn of the century.", [("the turn of the century", "DATE", "19")]),
    ("1998-03-04", "By the turn of the century, the city will have doubled.", [("the turn of the century", "DATE", "20")]),
    ("2023-08-22", "The law dates from the turn of the 20th century.", [("the turn of the 20th century", "DATE", "19")]),
    # TimeBank leaves "adjusted quarterly", "all day" and "All week" unmarked (3 of 3 in the rule-writing part)
    ("1998-03-04", "The reserve will be adjusted quarterly.", []),
    ("1998-03-04", "Talks went on all day.", []),
]


@pytest.mark.parametrize("published,text,expect", CONVENTIONS, ids=[c[1][:40] for c in CONVENTIONS])
def test_conventions(published, text, expect):
    times = find_times(text, dt.date.fromisoformat(published))
    got = [(t.text, t.type, t.value) for t in times]
    for span, typ, value in expect:
        t = _by_text(times, span)
        assert (t.type, t.value) == (typ, value), got
    assert len(times) == len(expect), got


def test_present_passive_of_a_schedule_points_ahead(nlp):
    text = "The vote is scheduled for Tuesday, officials said."
    assert find_times(text, dt.date(2016, 2, 8), doc=nlp(text))[0].value == "2016-02-09"
    text = "The vote was held on Tuesday, officials said."
    assert find_times(text, dt.date(2016, 2, 8), doc=nlp(text))[0].value == "2016-02-02"
    # an infinitive under a past verb that plans nothing shares its time; under "planned", it lies ahead
    text = "Both candidates sought to appeal to younger voters on Tuesday."
    assert find_times(text, dt.date(2016, 2, 17), doc=nlp(text))[0].value == "2016-02-16"
    text = "He planned to leave on Thursday."
    assert find_times(text, dt.date(2016, 2, 17), doc=nlp(text))[0].value == "2016-02-18"
    # the infinitive under an adjective takes the verb above it
    text = "Branstad was bold enough to tout his position during an agriculture summit there in March."
    assert find_times(text, dt.date(2015, 11, 24), doc=nlp(text))[0].value == "2015-03"


def test_present_verb_over_a_noun_says_nothing_of_its_time(nlp):
    text = "The attack follows upon the heels of the Bastille Day attack in Nice."
    assert find_times(text, dt.date(2016, 7, 23), doc=nlp(text))[0].value == "2016-07-14"
    text = "The council meets on Thursday."
    assert find_times(text, dt.date(2016, 8, 12), doc=nlp(text))[0].value == "2016-08-18"
    # "to be replaced ... through the November election": a passive infinitive under a future
    text = "She will resign after the convention, to be replaced by Donna Brazile through the November election."
    assert find_times(text, dt.date(2016, 7, 25), doc=nlp(text))[0].value == "2016-11"
    # "are due out Friday": a schedule ahead
    text = "The results are due out Friday."
    assert find_times(text, dt.date(2013, 3, 20), doc=nlp(text))[0].value == "2013-03-22"
    # "stayed until Friday" is no deferral
    text = "He stayed in the city until Friday."
    assert find_times(text, dt.date(2016, 2, 17), doc=nlp(text))[0].value == "2016-02-12"
    # a modal ahead of the time: a possibility ahead
    text = "He declared that together they should beat her at the polls in November."
    assert find_times(text, dt.date(2016, 7, 22), doc=nlp(text))[0].value == "2016-11"
    # a time that is the subject is not placed by its verb's present tense
    text = "Super Tuesday brings parties closer to picking nominees."
    assert find_times(text, dt.date(2016, 3, 2), doc=nlp(text))[0].value == "2016-03-01"


def test_direction_model_kinds(monkeypatch, nlp):
    """The weights say which kinds of expression the model reads; the others go to the tense rules."""
    from reportedly.read import times_direction as td

    # a model that always says "later", allowed to read month-days only
    monkeypatch.setattr(td, "weights", lambda: dict(threshold=0.5, w={"bias": 9.0}, kinds=["md"]))
    text = "The stock fell 5% on Tuesday and 3% on Oct. 20."
    times = find_times(text, dt.date(1989, 10, 26), doc=nlp(text))
    assert [t.value for t in times] == ["1989-10-24", "1990-10-20"]


def test_a_planned_event_lies_ahead(nlp):
    """A past plan verb with the event as its object: the event's time is ahead of the plan; a time of
    the planning itself (before an infinitive) or a participle modifier keeps the clause's tense."""
    pub = dt.date(2000, 1, 7)  # a Friday
    cases = [
        ("Protesters planned a large demonstration in Little Havana on Saturday.", "2000-01-08"),
        ("The union scheduled a strike for Monday.", "2000-01-10"),
        ("The government planned on Tuesday to pay the families.", "2000-01-04"),
        ("A memorial service planned at the university for Saturday was canceled.", "2000-01-01"),
    ]
    for text, value in cases:
        times = find_times(text, pub, doc=nlp(text))
        assert times and times[0].value == value, (text, times)


def test_a_past_expectation_names_a_time_that_has_come(nlp):
    pub = dt.date(1989, 10, 30)  # a Monday
    cases = [
        ("The offer previously had been scheduled to expire at midnight Friday.", "1989-10-27T24:00"),
        ("It had been due to expire Friday evening.", "1989-10-27TEV"),
        ("The offer is scheduled to expire at midnight Friday.", "1989-11-03T24:00"),
        ("Protesters were planning to drive to the airport on Thursday.", "1989-11-02"),
    ]
    for text, value in cases:
        times = find_times(text, pub, doc=nlp(text))
        assert times and times[0].value == value, (text, times)


@pytest.mark.parametrize("text,span", [
    ("Prices rose over the past two years.", "the past two years"),
    ("He was jailed for weeks.", "weeks"),
    ("It happened in the morning after the vote.", "the morning"),
    ("The union signed a two-year contract.", "two-year"),
    ("The third-quarter results were weak.", "third-quarter"),
    ("He waited a week.", "a week"),
    ("He had been manager for only six months.", "six months"),  # a focus word is no TIMEX3 modifier
    ("The talks lasted about two weeks.", "about two weeks"),  # "about" is (mod APPROX)
])
def test_extent_leaves_out_prepositions_and_adjectival_articles(text, span):
    """TIMEX3 extents: no preposition ("over the past two years"), no article of an expression used as an
    adjective ("a two-year contract"); an article that is the number stays ("a week")."""
    times = find_times(text, dt.date(1998, 3, 11))
    assert [t.text for t in times] == [span]


def test_a_participle_complement_has_its_verbs_tense(nlp):
    text = "The manufacturing sector is going to start getting beat up in the spring."
    assert find_times(text, dt.date(1998, 2, 6), doc=nlp(text))[0].value == "1998-SP"
    text = "He got hurt in the spring."
    assert find_times(text, dt.date(1998, 2, 6), doc=nlp(text))[0].value == "1997-SP"
    text = "The bill will get passed on Monday."  # words only: a participle after "will get" is no past tense
    assert find_times(text, dt.date(1998, 2, 6))[0].value == "1998-02-09"


def test_was_effective_is_no_deferral(nlp):
    text = "The resignation was effective Oct. 1."
    assert find_times(text, dt.date(1989, 10, 26), doc=nlp(text))[0].value == "1989-10-01"
    text = "The company created an office of the chairman, effective Feb. 1."
    assert find_times(text, dt.date(1989, 10, 26), doc=nlp(text))[0].value == "1990-02-01"
