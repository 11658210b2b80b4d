"""Attribution chains read outermost first (the publishing outlet, then who it cites, down to the speaker)."""
from __future__ import annotations

from ..model import Attribution, Report, TimelineEntry
from ..read.attribution import chain

__all__ = ["chain", "content_text", "timeline_role", "timeline_when"]


def content_text(att: Attribution) -> str:
    return " … ".join(c.text.strip() for c in att.content)


def timeline_when(report: Report, entry: TimelineEntry) -> str:
    """An entry's time as read: "2022-09", or "after 2022-09 ("A week later")" for a time placed by its anchor."""
    if not entry.relation:
        return entry.value
    words = next((t.text for t in report.times if t.id == entry.time), "")
    return f"{entry.relation} {entry.value}" + (f" (\u201c{words}\u201d)" if words else "")


def timeline_role(entry: TimelineEntry) -> str:
    """Whose words an entry is: " [said then: A12]", " [reported by A3]", or "" for the outlet's own account."""
    if entry.role == "said" and entry.attribution:
        return f" [said then: {entry.attribution}]"
    if entry.role == "reported" and entry.attribution:
        return f" [reported by {entry.attribution}]"
    return ""
