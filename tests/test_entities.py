"""Entities layer: names, titles, descriptions and pronouns clustered into entities."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportedly.intake.document import Document
from reportedly.model import Meta
from reportedly.pipeline import analyze_document
from reportedly.read.entities import entity_at

HERE = Path(__file__).resolve().parent
FIX = HERE / "fixtures" / "entities"
SHARED = HERE.parents[0].parent / "shared"
SEED = SHARED / "seeds" / "000_82893141c41038f2.txt"
GOLD = SHARED / "gold" / "000_82893141c41038f2.json"


def _report(text, removed=(), **meta):
    meta.setdefault("language", "en")
    doc = Document(text=text, format="text", removed=list(removed), meta=Meta(**meta))
    return analyze_document(doc, layers=("entities",))


def _occ(text, s, n=1):
    """(start, end) of the n-th occurrence of s in text."""
    i = -1
    for _ in range(n):
        i = text.index(s, i + 1)
    return i, i + len(s)


def _who(report, s, n=1):
    e = entity_at(report.entities, *_occ(report.text, s, n))
    return e.name if e else None


def _fixture(name, **meta):
    return _report((FIX / f"{name}.txt").read_text(encoding="utf-8"), **meta)


# ----------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed(seed_analyzed):
    return seed_analyzed


def _body_occurrences(report, s):
    out = []
    for m in re.finditer(r"(?<!\w)" + re.escape(s) + r"(?!\w)", report.text):
        if not any(r.start < m.end() and m.start() < r.end for r in report.removed):
            out.append((m.start(), m.end()))
    return out


def test_seed_every_gold_mention_under_its_entity(seed):
    report, gold = seed
    taken = {}
    for g in gold["entities"]:
        found = set()
        for s in g["mentions"]:
            occs = _body_occurrences(report, s)
            assert occs, s
            for start, end in occs:
                e = entity_at(report.entities, start, end)
                assert e is not None, f"{s!r} at {start} ({g['name']}) is no mention"
                found.add(e.id)
                assert e.type == g["type"], (s, e.name, e.type, g["type"])
        assert len(found) == 1, f"{g['name']} is split over {found}"
        eid = found.pop()
        assert eid not in taken, f"{g['name']} merged with {taken.get(eid)}"
        taken[eid] = g["name"]


def test_seed_names_and_outlets(seed):
    report, _ = seed
    by_name = {e.name: e for e in report.entities}
    for name in ("Elon Musk", "Vladimir Putin", "Colin Kahl", "Lloyd Austin", "Reid Hoffman"):
        assert by_name[name].type == "PERSON"
    assert by_name["Obozrevatel"].type == "OUTLET"  # the publishing outlet, named from meta
    assert [m.text for m in by_name["Obozrevatel"].mentions] == ["OBOZREVATEL"]
    assert by_name["The New Yorker"].type == "OUTLET"


def test_seed_descriptions_and_pronouns(seed):
    report, _ = seed
    t = report.text
    assert _who(report, "the SpaceX founder", 1) == "Elon Musk"
    assert _who(report, "the SpaceX founder", 2) == "Elon Musk"  # after Lloyd Austin, by the learnt role
    assert _who(report, "the Russian president") == "Vladimir Putin"
    assert _who(report, "the Russian dictator") == "Vladimir Putin"
    assert _who(report, "the former Pentagon official") == "Colin Kahl"
    assert _who(report, "the now former Deputy Chief of Staff of the Pentagon") == "Colin Kahl"
    assert _who(report, "He claimed") == "Elon Musk"
    assert _who(report, '"He said') == "Elon Musk"  # in Kahl's quote: Musk, not the speaker
    assert _who(report, "he had held") == "Elon Musk"
    assert _who(report, "himself", 2) == "Elon Musk"
    for m in re.finditer(r"\bhis\b", t):
        if not any(r.start <= m.start() < r.end for r in report.removed):
            assert entity_at(report.entities, m.start(), m.end()).name == "Elon Musk"
    assert _who(report, "Lloyd Austin") == "Lloyd Austin"
    assert "US Secretary of Defence Lloyd Austin" in [m.text for e in report.entities for m in e.mentions]


def test_seed_nested_org_is_its_own_entity(seed):
    report, _ = seed
    kahl = next(e for e in report.entities if e.name == "Colin Kahl")
    pentagon = next(e for e in report.entities if e.name == "Pentagon")
    assert pentagon.type == "ORG" and pentagon is not kahl
    assert len(pentagon.mentions) == 3
    official = _occ(report.text, "the former Pentagon official")
    assert any(official[0] <= m.start and m.end <= official[1] for m in pentagon.mentions)


def test_seed_nothing_from_removed_and_spans_exact(seed):
    report, _ = seed
    for e in report.entities:
        for m in e.mentions:
            assert report.text[m.start:m.end] == m.text
            assert not any(r.start < m.end and m.start < r.end for r in report.removed), m
    assert not any(e.name in ("Iran", "Mashovets", "Khalino", "Kursk") for e in report.entities)


# ----------------------------------------------------------------------------- own fixtures


def test_candidate_fixture():
    r = _fixture("candidate", outlet="Harbor Ledger")
    w = "James Whitfield"
    assert _who(r, "Whitfield", 1) == w  # headline surname before the full name
    assert _who(r, "Former senator James Whitfield") == w
    assert _who(r, "a retired admiral") == w
    assert _who(r, "his campaign") == w
    assert _who(r, "he would") == w
    assert _who(r, "The admiral", 1) == w
    assert _who(r, "The admiral", 2) == w  # role learnt from the apposition, used in a quote
    assert _who(r, "Mr. Ortega") == "Paul Ortega"
    assert _who(r, "Governor Paul Ortega") == "Paul Ortega"
    assert _who(r, "spokesman") == "Dan Rivera"
    assert _who(r, "Rivera said") == "Dan Rivera"
    outlet = next(e for e in r.entities if e.name == "Harbor Ledger")
    assert outlet.type == "OUTLET"
    assert {m.text for m in outlet.mentions} == {"Harbor Ledger", "HARBOR LEDGER"}
    union = entity_at(r.entities, *_occ(r.text, "Dockworkers Union"))
    assert union.type == "ORG"
    assert _who(r, "it would") == union.name


def test_energy_fixture():
    r = _fixture("energy")
    assert _who(r, "Maria Solberg") == "Maria Solberg"
    assert _who(r, "Solberg told") == "Maria Solberg"
    assert _who(r, "The executive") == "Maria Solberg"
    assert _who(r, "she stood") == "Maria Solberg"
    assert _who(r, "her figures") == "Maria Solberg"
    assert _who(r, "He said") == "Erik Lunde"
    assert _who(r, "the company") == "Nordlys Energy"
    tribune = entity_at(r.entities, *_occ(r.text, "Bergen Tribune"))
    assert tribune.type == "OUTLET"  # not in the lexicon: "told X"
    company = next(e for e in r.entities if e.name == "Nordlys Energy")
    assert company.type == "ORG" and len([m for m in company.mentions if m.text == "Nordlys Energy"]) == 2


def test_minister_fixture():
    r = _fixture("minister")
    k = "Anna Keller"
    for s in ("German Finance Minister Anna Keller", "Keller told", "she expected", "The minister", "Ms. Keller"):
        assert _who(r, s) == k, s
    assert _who(r, "Thomas Brandt") == "Thomas Brandt"
    assert _who(r, "He added") == "Thomas Brandt"
    assert _who(r, "Brandt said") == "Thomas Brandt"
    types = {e.name: e.type for e in r.entities}
    assert types["Reuters"] == "OUTLET"
    assert types["Rheinische Post"] == "OUTLET"
    assert types["Veltro"] == "ORG"


def test_quoted_pronoun_is_not_the_speaker():
    r = _report('Dan Rivera met Paul Ortega on Monday. "He was late," Rivera said.')
    assert _who(r, "He was") == "Paul Ortega"


def test_gender_and_binding():
    r = _report("Senator Mary Hill spoke with John Baker on Friday. She said he would resign. He praised her.")
    assert _who(r, "She said") == "Mary Hill"
    assert _who(r, "he would") == "John Baker"
    assert _who(r, "He praised") == "John Baker"
    assert _who(r, "her.") == "Mary Hill"


def test_no_entities_in_empty_text():
    assert _report("   ").entities == []


def test_unnamed_person_keeps_her_pronouns():
    r = _report(
        "Reporter Jane Miles interviewed voters in Ohio. The woman she met first was angry. "
        "The woman said she had lost her job."
    )
    jane = next(e for e in r.entities if e.name == "Jane Miles")
    said_she = _occ(r.text, "she had")
    assert not any(m.start == said_she[0] for m in jane.mentions)  # the woman's, not Jane's
    assert not any(e.name.lower().startswith("the woman") for e in r.entities)  # unnamed: not reported


def test_outlet_cues_and_short_names():
    r = _report(
        "The Daily Planet newspaper said on Monday that the mayor had resigned. Mayor Tom Reed told the "
        "Metro Courier that he would not comment. The New York Post reported the same. The Post has learned "
        "that the Federal Bureau of Investigation is looking into it, and the FBI declined to comment."
    )
    assert entity_at(r.entities, *_occ(r.text, "Daily Planet")).type == "OUTLET"  # "X newspaper"
    assert entity_at(r.entities, *_occ(r.text, "Metro Courier")).type == "OUTLET"  # "told X"
    post = entity_at(r.entities, *_occ(r.text, "New York Post"))
    assert post.type == "OUTLET" and entity_at(r.entities, *_occ(r.text, "Post has")) is post
    fbi = entity_at(r.entities, *_occ(r.text, "FBI"))
    assert fbi.name == "Federal Bureau of Investigation" and fbi.type == "ORG"
    assert _who(r, "he would") == "Tom Reed"


def test_cataphora_and_subject_parallelism():
    r = _report(
        "Senator Lindsey Graham called both Donald Trump and Ted Cruz unfit. He joked about it later. "
        "In her speech on Monday, Nancy Pelosi answered him."
    )
    assert _who(r, "He joked") == "Lindsey Graham"
    assert _who(r, "her speech") == "Nancy Pelosi"


def test_trie_pattern_matches_as_the_alternation_sorted_by_length():
    """The lexicon's names compile to a trie; it must find what the plain alternation finds."""
    import random
    import re

    from reportedly.read.entities import trie_pattern

    rng = random.Random(3)
    words = ["New York", "New York Times", "New Yorker", "News", "Newsweek", "Times", "The Hill", "Hill",
             "C.N.N.", "A+B (radio)", "Ab", "Abc Def"]
    words += ["".join(rng.choice("abN ") for _ in range(rng.randint(1, 6))).strip() or "x" for _ in range(60)]
    text = " ".join(rng.choice(words + ["the", "new", "NEW YORK times", "hill.", "abc", "b"]) for _ in range(3000))
    for fold, flags in ((False, 0), (True, re.I)):
        plain = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                           + r")(?![\w])", flags)
        trie = re.compile(r"(?<![\w])" + trie_pattern(words, fold=fold) + r"(?![\w])", flags)
        want = [m.span() for m in plain.finditer(text)]
        assert len(want) > 100
        assert [m.span() for m in trie.finditer(text)] == want


def test_an_outlet_name_that_runs_on_into_a_longer_name_is_not_that_outlet():
    """"Time" is an outlet, but "Time Out" (cut by the parser to "Time") is another name."""
    cut = _report("Sign up to receive emails from Time Out about news, events and offers.")
    assert not any(e.type == "OUTLET" and e.name == "Time" for e in cut.entities)
    cited = _report("The senator spoke to Time, the weekly magazine, on Monday.")
    assert any(e.type == "OUTLET" and e.name == "Time" for e in cited.entities)


def test_an_outlet_name_takes_the_place_of_a_shorter_name_inside_it():
    """spaCy tags "USA" in "A USA TODAY analysis" as a place: the outlet's whole name wins."""
    r = _report("Democrats are spending heavily, too. A USA TODAY analysis of super PACs that have raised $1million "
                "or more since Jan. 1, 2015, shows Democratic groups outpacing Republicans in recent weeks.")
    e = entity_at(r.entities, *_occ(r.text, "USA TODAY"))
    assert e is not None and e.type == "OUTLET" and e.name == "USA TODAY"
    assert not any(e.name == "USA" for e in r.entities)


def test_a_hyphenated_surname_after_an_honorific_is_the_full_names_surname():
    r = _report("''This isn't tax reform,'' said Douglas Holtz-Eakin, an economist. Leonard Burman disagreed. "
                "Mr. Holtz-Eakin said the plan was complex. Ms. Shanklin-Hawkins, a worker, agreed.")
    assert _who(r, "Mr. Holtz-Eakin") == "Douglas Holtz-Eakin"
    assert _who(r, "Ms. Shanklin-Hawkins") == "Shanklin-Hawkins"  # named no other way: her own entity


def test_a_relative_pronoun_is_a_mention_of_the_entity_its_clause_hangs_on():
    text = ("The ministry hired Jane Whitfield, who said the plan would fail. The Acme Corporation, which denied "
            "the report, said it would appeal. China and the United States, which together vowed to cut emissions, "
            "met in Paris. Democrats on Capitol Hill, who have argued for a delay, met on Tuesday.")
    r = _report(text)
    assert _who(r, "who") == "Jane Whitfield"
    assert _who(r, "which") == "Acme Corporation"
    assert _who(r, "which", 2) is None  # a coordination is no one entity
    assert _who(r, "who", 2) != "Capitol Hill"  # "who" is a person or a body of people, never a place


def test_a_relative_pronoun_source_names_its_speaker():
    from reportedly.read.attribution import chain

    text = "The board met on Monday. It hired Jane Whitfield, a lawyer, who said the plan would fail."
    doc = Document(text=text, format="text", meta=Meta(language="en", outlet="Daily Planet"))
    r = analyze_document(doc)
    said = [a for a in r.attributions if a.cue.text == "said"]
    assert said and said[0].source.text == "who"
    assert said[0].source.kind == "person"
    assert chain(r, said[0].id)[-1] == "Jane Whitfield"


def test_a_name_before_a_role_in_apposition_is_a_person():
    # spaCy misses "Reince" and takes "Priebus" for an organisation; the role in apposition says otherwise,
    # and the description and the pronoun then go to him, not to the person named before
    text = ("Donald Trump spoke in Ohio on Monday.\n\nReince Priebus, the GOP chairman, this past week announced "
            "a website.\n\n“It is a tool for voters,” he said. Priebus added that the rules were clear.")
    r = _report(text)
    e = entity_at(r.entities, *_occ(text, "Reince Priebus"))
    assert e is not None and e.type == "PERSON" and e.name == "Reince Priebus"
    assert _who(r, "the GOP chairman") == "Reince Priebus"
    assert _who(r, "he") == "Reince Priebus"
    assert _who(r, "Priebus", 2) == "Reince Priebus"


@pytest.mark.parametrize("text,pronoun,n,who", [
    # the subject of the clause a coordinated clause hangs on, over the last sentence's subject
    ("Bernie Sanders won New Hampshire. Former Pennsylvania governor Ed Rendell, a Clinton supporter, praised "
     "Sanders for what he has accomplished - but he said the race was over.", "he", 2, "Ed Rendell"),
    # a speaker is never the person his own quotation names
    ("Donald Trump spoke in Phoenix. Trump promised a wall.\n\nEarlier, Sheriff Joe Arpaio vouched for Trump's "
     "proposal.\n\nHe said, \"Donald Trump will build the wall.\"", "He", 1, "Joe Arpaio"),
    # a subject inside a quotation is not the narrative's subject
    ("Donald Trump proposed a ban. Trump said he would enforce it. He repeated it on Monday, and he called it "
     "temporary. Sadiq Khan was elected mayor. Khan said he would like to go to the United "
     "States.\n\n\"If Donald Trump becomes the president I'll be stopped,\" he said. He said he planned to visit.",
     "He", 2, "Sadiq Khan"),
    # '"...," he said' after the sentence that named its speaker
    ("Donald Trump opened an office. Trump said he liked it. He said he would pay for it himself. "
     "\"Mr. Trump pays the rent,\" the statement said.\n\nSteven Cheung, a campaign "
     "spokesman, said the space was needed. \"We're constantly adding new staff,\" he said.", "he", 3, "Steven Cheung"),
    # the last speaker is whoever's words a quotation carries, whatever the verb ('attacked “...”')
    ("President Barack Obama spoke at a town hall. “It is manufactured,” the president said. Obama said there "
     "is a danger when “a president gets loose with this language.”\n\nIn an August speech, Donald Trump attacked “the hateful ideology of radical Islam.”\n\n"
     "“We will defeat radical Islamic terrorism,” he said then.", "he", 1, "Donald Trump"),
    # the same with the wires' marks
    ("President Barack Obama spoke at a town hall. ''It is manufactured,'' the president said. Obama said there "
     "is a danger when ''a president gets loose with this language.''\n\nIn an August speech, Donald Trump attacked "
     "''the hateful ideology of radical Islam.''\n\n''We will defeat radical Islamic terrorism,'' he said then.",
     "he", 1, "Donald Trump"),
    # the wires' ''...'' quotations are quotations: their speaker is the last speaker, and sentences
    # inside them do not push him back
    ("Hillary Clinton has a new tax plan. Mrs. Clinton would raise taxes on the rich. David Kamin, an adviser, "
     "defended it. ''Details aside, the plan is clear,'' Mr. Kamin said. ''It is a stark alternative. It "
     "raises money. It is fair. It is simple. It is honest. It is new. It is the right plan.''\n\n''The message "
     "is, that has to be a key element of any reform,'' he added.", "he", 1, "David Kamin"),
])
def test_subject_pronouns(text, pronoun, n, who):
    r = _report(text)
    m = [m for m in re.finditer(rf"\b{pronoun}\b", text)][n - 1]
    e = entity_at(r.entities, m.start(), m.end())
    assert e is not None and who.split()[-1] in e.name, (e and e.name)


def test_a_surname_with_an_apostrophe_is_a_person():
    # the small model misses "D’Souza" and calls "O'Neill" an organisation
    text = ("Filmmaker Dinesh D’Souza made a prediction. D’Souza went on to explain it. “I respect their "
            "ruthlessness,” he said. O'Neill said the bill was dead. Obama's plan failed.")
    r = _report(text)
    assert _who(r, "D’Souza", 2) == "Dinesh D’Souza"
    m = re.search(r"\bhe said", text)
    e = entity_at(r.entities, m.start(), m.start() + 2)
    assert e is not None and e.name == "Dinesh D’Souza"
    e = entity_at(r.entities, *_occ(text, "O'Neill"))
    assert e is not None and e.type == "PERSON"
    assert entity_at(r.entities, *_occ(text, "Obama's")).name == "Obama"  # a possessive is no such name


def test_an_entity_is_named_from_the_body_when_the_headline_glues_a_word_to_it():
    r = _report("Derelict Obama and Clinton Failed Us\n\nPresident Obama said the threat was contained.")
    assert _who(r, "President Obama") == "Obama"
    r = _report("Donald Trump slams media over polls\n\nTrump said the polls were rigged.")
    assert _who(r, "Trump said") == "Donald Trump"  # a first name the headline adds is kept


@pytest.mark.skipif(not (SHARED / "data" / "polnear").exists(), reason="../shared/data/polnear not present")
def test_hand_labelled_pronoun_sources_resolve():
    # bench/data/pronoun_sources.tsv: PolNeAR pronoun sources read by hand (the dev rows never tuned on)
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_entities", HERE.parent / "bench" / "entities.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    got = bench.hand_labelled()
    right, total, misses = got["dev"]
    assert total >= 50 and right / total >= 0.9, misses
    right, total, misses = got["train"]
    assert total >= 60 and right / total >= 0.95, misses
