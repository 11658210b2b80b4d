"""The readable report: metadata, every attribution chain in one line, times, framing, the marked-up text."""
from __future__ import annotations

from ..model import Report
from ..ledger.claims import is_anaphoric
from .chains import chain, content_text, timeline_role, timeline_when

LEGEND = "Marks in the article: **bold** = the outlet's editorial language, _italic_ = hedged or conditional, ~~struck~~ = cut as furniture."


def _oneline(s: str, limit: int = 240) -> str:
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _marked_text(report: Report) -> str:
    """The article text with editorial spans bold, hedges italic, removed stretches struck."""
    marks: list[tuple[int, int, str, str]] = []
    for r in report.removed:
        marks.append((r.start, r.end, "~~", "~~"))
    for e in report.editorial:
        if e.voice is None:
            marks.append((e.start, e.end, "**", "**"))
    for h in report.hedges:
        marks.append((h.start, h.end, "_", "_"))
    marks.sort(key=lambda m: (m[0], -m[1]))
    out, pos = [], 0
    for start, end, open_, close in marks:
        if start < pos or start == end:
            continue  # overlapping marks: keep the first, Markdown cannot nest them reliably
        seg = report.text[start:end]
        # Markdown emphasis can't span paragraphs: mark each line on its own.
        out.append(report.text[pos:start])
        out.append("\n".join(f"{open_}{ln.strip()}{close}" if ln.strip() else ln for ln in seg.split("\n")))
        pos = end
    out.append(report.text[pos:])
    return "".join(out)


def render_markdown(report: Report) -> str:
    m = report.meta
    src = report.input.path or report.input.url or "standard input"
    lines = [f"# {m.title or '(untitled)'}", ""]
    facts = [
        ("Outlet", m.outlet), ("Authors", ", ".join(m.authors) if m.authors else None), ("Section", m.section),
        ("Published", m.published), ("Language", m.language), ("URL", m.url), ("Input", f"{src} ({report.input.format})"),
    ]
    lines += [f"- **{k}**: {v}" for k, v in facts if v]
    for w in report.warnings:
        lines.append(f"- **Warning**: {w}")
    if report.reading is not None:
        rd = report.reading
        lines.append("- **Read with**: " + (f"the contextual tagger ({rd.tagger})" if rd.tagger else "the rules alone (no tagger)")
                     + ("" if rd.second_reading == "off" else f", a second reading ({rd.second_reading}, {rd.reader})"))
    if report.removed:
        kinds: dict[str, int] = {}
        for r in report.removed:
            kinds[r.reason] = kinds.get(r.reason, 0) + 1
        lines.append("- **Cut as furniture**: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))

    lines += ["", f"## Who says what ({len(report.attributions)})", ""]
    if not report.attributions:
        lines.append("No attributions found.")
    by_id = {a.id: a for a in report.attributions}
    for a in report.attributions:
        who = " <- ".join(chain(report, a.id))
        stance = "" if a.stance == "assert" else f" [{a.stance}]"
        said = content_text(a)
        parent = by_id.get(a.parent) if a.parent else None
        points_back = parent is not None and (
            is_anaphoric(said) or any(c.start <= parent.cue.start < c.end for c in a.content))
        if points_back:  # "citing sources" for "(made) the statement": say what the statement is
            said = f"{said} = {content_text(parent)}"
        # a source and its cue with no words of theirs found ("..., the mayor explained."): said so, not a blank
        lines.append(f"- {a.id} {who}{stance} ({a.kind}, \"{a.cue.text}\"): {_oneline(said) or '(no content found)'}")

    if report.entities:
        lines += ["", f"## Entities ({len(report.entities)})", ""]
        for e in report.entities:
            names = []
            for mt in e.mentions:
                t = _oneline(mt.text, 60)
                if t not in names:
                    names.append(t)
            lines.append(f"- **{e.name}** ({e.type}): " + "; ".join(names))

    if report.times or report.timeline:
        lines += ["", "## Time", ""]
        for t in report.times:
            anchor = f", after {t.anchor}" if t.anchor else ""
            note = f" ({t.note})" if t.note else ""
            if t.event:
                note = f" ({t.mod}: the date of {t.event})"
            lines.append(f"- {t.id} \"{t.text}\" -> {t.type} {t.value or '?'}{anchor}{note}")
        if report.timeline:
            lines += ["", "Timeline:", ""]
            for e in report.timeline:
                lines.append(f"- **{timeline_when(report, e)}**{timeline_role(e)} {_oneline(e.what.text, 160)}")

    if report.hedges or report.editorial:
        lines += ["", "## Framing", ""]
        for h in report.hedges:
            lines.append(f"- hedge ({h.kind}): \"{_oneline(h.text, 120)}\"")
        for e in report.editorial:
            voice = "the outlet" if e.voice is None else f"speaker of {e.voice}"
            tech = f", {e.technique}" if e.technique else ""
            lines.append(f"- {e.kind} ({voice}{tech}): \"{_oneline(e.text, 120)}\"")

    lines += ["", "## Article", "", LEGEND, "", _marked_text(report).strip()]
    return "\n".join(lines)
