"""spaCy pipeline components of our own, registered by name."""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s")


@Language.component("line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Line breaks are sentence boundaries, and a line with no sentence-final punctuation inside
    (a headline, a byline, a standfirst) is one sentence: the parser would otherwise run it into
    the next paragraph or cut it at random."""
    line_start = 0
    n = len(doc)
    for i, tok in enumerate(doc):
        ends_line = "\n" in tok.text_with_ws or i == n - 1
        if not ends_line:
            continue
        # tokens line_start..i form one line (possibly with whitespace tokens)
        words = [t for t in doc[line_start : i + 1] if not t.is_space]
        if words:
            words[0].is_sent_start = True
            line_text = doc[words[0].i : words[-1].i + 1].text
            if not _SENTENCE_END.search(line_text):  # no full stop inside: one sentence
                for t in words[1:]:
                    t.is_sent_start = False
        line_start = i + 1
    return doc
