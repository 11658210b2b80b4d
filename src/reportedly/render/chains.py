"""Attribution chains read outermost first (the publishing outlet, then who it cites, down to the speaker)."""
from __future__ import annotations

from ..model import Attribution
from ..read.attribution import chain

__all__ = ["chain", "content_text"]


def content_text(att: Attribution) -> str:
    return " … ".join(c.text.strip() for c in att.content)
