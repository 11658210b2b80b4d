"""Reports rendered for people (Markdown, a standalone HTML page) and for programs (JSON)."""
from __future__ import annotations

import json
from typing import Sequence, Union

from ..model import Report


def render_many(items: Sequence[Union[Report, object]], fmt: str, single: bool = False) -> str:
    """``items`` are Reports or Failures (with ``to_dict``)."""
    if fmt == "json":
        if single:
            return items[0].to_json() + "\n"
        return json.dumps([i.to_dict() for i in items], ensure_ascii=False, indent=2) + "\n"
    reports = [i for i in items if isinstance(i, Report)]
    if fmt == "md":
        from .markdown import render_markdown

        return "\n\n---\n\n".join(render_markdown(r) for r in reports) + "\n"
    if fmt == "html":
        from .html import render_html

        return render_html(reports)
    raise ValueError(f"unknown format {fmt!r}")
