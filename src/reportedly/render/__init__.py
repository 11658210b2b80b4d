"""Reports rendered for people: readable Markdown and a standalone HTML page."""
from __future__ import annotations

from ..model import Report


def render_one(report: Report, fmt: str) -> str:
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(report)
    if fmt == "html":
        return render_html_page([report])
    raise ValueError(f"unknown format {fmt!r}")


def render_html_page(reports: list[Report]) -> str:
    from .html import render_html

    return render_html(reports)
