"""Claims of one report: which statements are claims, their chains, anaphora, negation, sameness."""
from __future__ import annotations

import sys
from pathlib import Path


FIX = Path(__file__).resolve().parent / "fixtures" / "ledger"
sys.path.insert(0, str(FIX))

from spec import build  # noqa: E402

from reportedly.ledger.claims import content_words, featurise, nominal, same_score, sentences, statements  # noqa: E402
from reportedly.model import Report  # noqa: E402


def report(name: str) -> Report:
    return Report.model_validate_json((FIX / "reports" / f"{name}.json").read_text())


def test_sentences_split_after_terminal_punctuation_and_keep_closing_quotes():
    text = 'He said "no." Then he left. Mr. Smith stayed!\nA new line'
    got = [text[s:e] for s, e in sentences(text)]
    assert got == ['He said "no."', "Then he left.", "Mr. Smith stayed!", "A new line"]
    text = "- 86% of buyers drink tea.\n2) Prices rose by 5 percent."
    assert [text[s:e] for s, e in sentences(text)] == ["86% of buyers drink tea.", "Prices rose by 5 percent."]


def test_own_voice_claims_skip_removed_questions_conditionals_and_attributed_sentences():
    spec = {
        "meta": {"outlet": "Test Times"},
        "text": ("The bridge over the Elbe river closed on Friday for repairs.\n"
                 "Will it reopen before the summer holidays?\n"
                 "If the repairs go well, the bridge will reopen in May.\n"
                 "Engineers said the damage was worse than expected.\n"
                 "Subscribe to our newsletter for the latest traffic news today."),
        "removed": [{"text": "Subscribe to our newsletter for the latest traffic news today.", "reason": "promo"}],
        "attributions": [{"id": "A1", "source": {"text": "Engineers", "kind": "unnamed"}, "cue": {"text": "said", "lemma": "say"},
                          "content": ["the damage was worse than expected"], "kind": "indirect", "stance": "assert"}],
    }
    sts = statements(build(spec))
    assert [(s.text, s.attribution) for s in sts] == [
        ("The bridge over the Elbe river closed on Friday for repairs.", None),
        ("the damage was worse than expected", "A1"),
    ]
    assert sts[0].chain == [{"name": "Test Times", "kind": "publisher", "entity": None}]
    assert [link["name"] for link in sts[1].chain] == ["Test Times", "Engineers"]


def test_chain_is_outermost_first_and_frames_give_way_to_the_inner_attribution():
    st = {s.attribution: s for s in statements(report("5_denial"))}
    assert set(st) == {"A1", "A2", None}
    spec = {
        "meta": {"outlet": "Post"},
        "text": "The Globe reported that aides said the minister resigned over the budget dispute.",
        "entities": [{"id": "E1", "name": "The Globe", "type": "OUTLET", "mentions": ["The Globe"]}],
        "attributions": [
            {"id": "A1", "source": {"text": "The Globe", "entity": "E1", "kind": "outlet"}, "cue": {"text": "reported", "lemma": "report"},
             "content": ["aides said the minister resigned over the budget dispute"], "kind": "indirect", "stance": "assert"},
            {"id": "A2", "parent": "A1", "source": {"text": "aides", "kind": "unnamed"}, "cue": {"text": "said", "lemma": "say"},
             "content": ["the minister resigned over the budget dispute"], "kind": "indirect", "stance": "assert"}],
    }
    sts = statements(build(spec))
    assert [s.attribution for s in sts] == ["A2"]  # A1 only frames A2
    assert [link["name"] for link in sts[0].chain] == ["Post", "The Globe", "aides"]
    assert [link["kind"] for link in sts[0].chain] == ["publisher", "outlet", "unnamed"]


def test_anaphoric_content_resolves_to_the_parent_or_the_claim_before_it():
    spec = {
        "meta": {"outlet": "Post"},
        "text": "The minister resigned over the budget dispute. The Globe made the claim, citing sources. Aides confirmed this.",
        "attributions": [
            {"id": "A1", "source": {"text": "The Globe", "kind": "outlet"}, "cue": {"text": "made", "lemma": "make"},
             "content": ["The minister resigned over the budget dispute."], "kind": "indirect", "stance": "assert"},
            {"id": "A2", "parent": "A1", "source": {"text": "sources", "kind": "unnamed"}, "cue": {"text": "citing", "lemma": "cite"},
             "content": ["the claim"], "kind": "indirect", "stance": "assert"},
            {"id": "A3", "source": {"text": "Aides", "kind": "unnamed"}, "cue": {"text": "confirmed", "lemma": "confirm"},
             "content": ["this"], "kind": "indirect", "stance": "confirm"}],
    }
    sts = {s.attribution: s for s in statements(build(spec))}
    assert set(sts) == {"A2", "A3"}  # A1 gives way to A2, which cites sources for the same words
    assert sts["A2"].text == sts["A3"].text == "The minister resigned over the budget dispute."
    assert [link["name"] for link in sts["A2"].chain] == ["Post", "The Globe", "sources"]
    assert sts["A3"].role == "support"


def test_negated_content_denies_and_deny_stance_denies():
    st = {s.attribution: s for s in statements(report("5_denial"))}
    assert st["A1"].stance == "deny" and st["A1"].role == "deny"
    assert st["A2"].negated and st["A2"].role == "deny"  # "I have not resigned"
    assert "Joe Quimby" in st["A2"].norm  # first person in a direct quote is the speaker
    assert st["A2"].role_for(claim_negated=True) == "support"


def test_entity_mentions_are_normalised_to_names():
    st = {s.attribution: s for s in statements(report("3_rewrite"))}
    assert st["A2"].norm.startswith("Joe Quimby stepped down")
    assert st["A2"].entities == ["Joe Quimby"]


def test_sameness_groups_paraphrases_and_keeps_different_predicates_apart():
    pairs = [
        ("Joe Quimby resigned on Monday", "Joe Quimby stepped down on Monday", True),
        ("Joe Quimby resigned on Monday", "Joe Quimby opened a new bridge on Monday", False),
        ("Elon Musk spoke with Vladimir Putin", "Elon Musk had a great conversation with Vladimir Putin", True),
        ("Elon Musk spoke with Vladimir Putin", "it was clear then that Elon Musk bought into what Vladimir Putin was selling", False),
        ("The city will hold a special election in June", "Lloyd Austin approved a deal to buy Starlink terminals", False),
        ("Hillary Clinton is lying about her support for a trade deal",
         "Hillary Clinton is promoting her plans for public service", False),
        ("Donald Trump is very confident of himself", "Donald Trump shows no respect for anybody", False),
    ]
    ents = {"Joe Quimby", "Elon Musk", "Vladimir Putin", "Lloyd Austin"}
    items = []
    for a, b, _ in pairs:
        for t in (a, b):
            names = [e for e in ents if e in t]
            pred = t
            for e in names:
                pred = pred.replace(e, "")
            items.append((t, pred, names, content_words(pred)))
    feats = featurise(items)
    for i, (a, b, same) in enumerate(pairs):
        got = same_score(feats[2 * i], feats[2 * i + 1]) is not None
        assert got == same, (a, b)


def test_fragments_times_and_questions_are_no_claims():
    spec = {
        "meta": {"outlet": "Post"},
        "text": ("6:05 p.m.\n"
                 "The council approved the new budget on Tuesday evening.\n"
                 "\"Will the budget pass the second reading?\" the mayor asked.\n"
                 "Donald Trump\n"),
        "attributions": [{"id": "A1", "source": {"text": "the mayor", "kind": "person"}, "cue": {"text": "asked", "lemma": "ask"},
                          "content": ["Will the budget pass the second reading?"], "kind": "direct", "stance": "other"}],
    }
    assert [s.text for s in statements(build(spec))] == ["The council approved the new budget on Tuesday evening."]


def test_denials_are_matched_more_leniently_than_assertions():
    from reportedly.ledger.claims import EVIDENCE_HIGH, EVIDENCE_HIGH_DENIAL

    items = [("Elon Musk spoke with Vladimir Putin", "spoke", ["Elon Musk", "Vladimir Putin"], ["spoke"]),
             ("Elon Musk had negotiations with Vladimir Putin", "negotiations", ["Elon Musk", "Vladimir Putin"], ["negoti"])]
    plain = featurise(items)
    denied = featurise([items[0], items[1] + (True,)])
    assert EVIDENCE_HIGH_DENIAL < EVIDENCE_HIGH
    assert same_score(*plain) is None  # two assertions: other words, other claims
    assert same_score(*denied) is not None  # a denial of "negotiations" answers "spoke with"


def test_a_content_that_only_names_what_was_said_is_no_claim():
    texts = ["his \"peace plan\" that plays along with Russia",
             "a deal to buy 400 to 500 new Starlink satellite terminals",
             "The information that Musk spoke with the Russian dictator",
             "that Musk and Putin spoke on the phone in 2022",
             "the billionaire \"bought into what Putin was selling\"",
             "We have to negotiate. Putin wants peace"]
    assert nominal(texts) == [True, True, False, False, False, False]
    spec = {
        "meta": {"outlet": "Post"},
        "text": "The mayor presented his transport plan that cuts bus fares. The mayor said the bus fares would fall by a third across the city.\n",
        "attributions": [
            {"id": "A1", "source": {"text": "The mayor", "kind": "person"}, "cue": {"text": "presented", "lemma": "present"},
             "content": ["his transport plan that cuts bus fares"], "kind": "indirect", "stance": "assert"},
            {"id": "A2", "source": {"text": "The mayor", "kind": "person"}, "cue": {"text": "said", "lemma": "say"},
             "content": ["the bus fares would fall by a third across the city"], "kind": "indirect", "stance": "assert"}],
    }
    assert [s.text for s in statements(build(spec))] == ["the bus fares would fall by a third across the city"]
