"""One standalone HTML page: the annotated article, who-says-what chains, entities, timeline.

Every piece of text goes through Jinja2's autoescaping: article text can't inject markup.
"""
from __future__ import annotations

import functools
from pathlib import Path

from ..model import Report
from .chains import chain, content_text, timeline_role, timeline_when
from .graph import provenance_svg


@functools.lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True, lstrip_blocks=True,
    )


def segments(report: Report) -> list[tuple[str, list[str], str]]:
    """The text cut at every mark boundary: (text, css classes, tooltip) pieces, in order."""
    marks: list[tuple[int, int, str, str]] = []
    for r in report.removed:
        marks.append((r.start, r.end, "removed", f"cut: {r.reason}"))
    for a in report.attributions:
        if a.source:
            marks.append((a.source.start, a.source.end, "source", f"{a.id} source ({a.source.kind})"))
        marks.append((a.cue.start, a.cue.end, "cue", f"{a.id} cue: {a.cue.lemma}, {a.stance}"))
        for c in a.content:
            marks.append((c.start, c.end, "content", f"{a.id} content ({a.kind})"))
    for h in report.hedges:
        marks.append((h.start, h.end, "hedge", f"hedge: {h.kind}"))
    for e in report.editorial:
        cls = "editorial" if e.voice is None else "speaker-framing"
        marks.append((e.start, e.end, cls, f"{e.kind}" + (f" ({e.technique})" if e.technique else "")))
    for t in report.times:
        marks.append((t.start, t.end, "time", f"{t.type} {t.value or '?'}"))
    cuts = {0, len(report.text)}
    for s, e, _, _ in marks:
        cuts.update((s, e))
    points = sorted(cuts)
    out = []
    for s, e in zip(points, points[1:]):
        on = [(c, tip) for ms, me, c, tip in marks if ms <= s and e <= me]
        classes = sorted({c for c, _ in on})
        out.append((report.text[s:e], classes, "; ".join(tip for _, tip in on)))
    return out


def render_html(reports: list[Report]) -> str:
    views = []
    for r in reports:
        views.append({
            "report": r,
            "segments": segments(r),
            "graph": provenance_svg(r),
            "chains": [(a, " ← ".join(chain(r, a.id)), content_text(a)) for a in r.attributions],
            "timeline": [(e, timeline_when(r, e), timeline_role(e).strip(" []")) for e in r.timeline],
        })
    return _env().get_template("report.html").render(views=views)
