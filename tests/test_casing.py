"""Title-case headlines reach the parser in sentence case; the text keeps its case and its offsets."""
from reportedly.read.casing import is_title_line, make_known, sentence_case

KNOWN = make_known({"slam", "endorse", "reveal", "shock", "quick"})

BODY = "Ben Carson spoke on Tuesday. He said Hillary Clinton was wrong, and Trump agreed with the media."


def test_title_line_is_recased_and_names_kept():
    text = "Ben Carson Slams Hillary And The Media In One Debate Answer\n\n" + BODY
    out = sentence_case(text, KNOWN)
    assert len(out) == len(text)
    assert out.split("\n")[0] == "Ben Carson slams Hillary and the media in One Debate Answer"
    assert out[len(out.split("\n")[0]):] == text[len(text.split("\n")[0]):]  # the body is untouched


def test_words_known_only_from_the_body_are_lowered():
    text = "Senator Endorses Rival After Debate Shock\n\nThe senator said the rival won the debate."
    out = sentence_case(text, KNOWN)
    assert out.startswith("Senator endorses rival after debate shock")


def test_acronyms_inner_capitals_and_phrase_starts_stay():
    text = "BUSTED: Emails Reveal CNN And McCain Plans – It Shocks Everyone\n\n" + BODY
    first = sentence_case(text, KNOWN).split("\n")[0]
    assert first == "BUSTED: Emails reveal CNN and McCain Plans – It shocks Everyone"
    line = sentence_case("Old Hands Help Russia Navigate U.S. Media\n\n" + BODY, make_known({"u", "help"}))
    assert line.startswith("Old Hands help Russia Navigate U.S. media")


def test_names_written_capitalised_in_the_body_stay_even_if_they_are_verbs():
    text = "Clinton Says Trump Will Lose The Debate\n\nVoters think Trump will lose the debate; Clinton agrees."
    first = sentence_case(text, make_known({"trump", "say", "lose"})).split("\n")[0]
    assert first == "Clinton says Trump will lose the debate"


def test_sentences_and_short_lines_are_not_title_lines():
    assert not is_title_line("According to Jack Kelly, writing for RealClearPolitics:")
    assert not is_title_line("Trump Wins Iowa")
    assert is_title_line("Trump Wins Iowa Caucus By Wide Margin")
    text = "He said the plan would work.\nIt did not."
    assert sentence_case(text, KNOWN) is text


def test_the_parser_reads_a_title_case_headline_verb():
    from reportedly.read.nlp import load_nlp

    nlp = load_nlp()
    text = "Ben Carson Slams Hillary And The Media In One Debate Answer\n\n" + BODY
    doc = nlp(text)
    slams = next(t for t in doc if t.idx == text.index("Slams"))
    assert slams.pos_ == "VERB" and slams.dep_ == "ROOT"
    assert [t.idx for t in doc] == [t.idx for t in nlp.tokenizer.inner(text)]
