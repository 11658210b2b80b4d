"""Attribution chains read outermost first: the publishing outlet, then who it cites, down to the speaker."""
from __future__ import annotations

from ..model import Attribution, Report


def source_label(report: Report, att: Attribution) -> str:
    src = att.source
    if src is None:
        return "(no source given)"
    if src.entity:
        ent = next((e for e in report.entities if e.id == src.entity), None)
        if ent:
            return ent.name
    if src.kind == "unnamed":
        return "unnamed " + src.text.lower() if not src.text.lower().startswith("unnamed") else src.text
    if src.kind == "self" and report.meta.outlet:
        return report.meta.outlet
    return src.text


def chain(report: Report, att_id: str) -> list[str]:
    """Labels from the publishing outlet down to this attribution's source."""
    by_id = {a.id: a for a in report.attributions}
    labels: list[str] = []
    seen: set[str] = set()
    current = by_id.get(att_id)
    while current is not None and current.id not in seen:
        seen.add(current.id)
        labels.append(source_label(report, current))
        current = by_id.get(current.parent) if current.parent else None
    labels.reverse()
    outlet = report.meta.outlet
    if outlet and (not labels or labels[0] != outlet):
        labels.insert(0, outlet)
    return labels


def content_text(att: Attribution) -> str:
    return " … ".join(c.text.strip() for c in att.content)
