"""The provenance graph: who the outlet relies on, and on whose word they speak, as a small SVG tree.

Nodes are sources (the publishing outlet at the root); an edge runs from a reporter to the source
it cites, labelled with the cues used. Drawn server-side, so the page needs no script.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from ..model import Report
from .chains import chain

_W, _H, _GAP_X, _GAP_Y = 190, 34, 70, 14


@dataclass
class Node:
    label: str
    children: dict[str, "Node"] = field(default_factory=dict)
    cues: list[str] = field(default_factory=list)
    stances: set[str] = field(default_factory=set)
    y: float = 0.0


def provenance_tree(report: Report) -> Node:
    root = Node(report.meta.outlet or "this article")
    for att in report.attributions:
        labels = chain(report, att.id)
        if labels and labels[0] == root.label:
            labels = labels[1:]
        node = root
        for label in labels:
            node = node.children.setdefault(label, Node(label))
        node.cues.append(att.cue.text)
        node.stances.add(att.stance)
    return root


def _layout(node: Node, depth: int, next_y: list[float], placed: list[tuple[Node, int]]) -> None:
    for child in node.children.values():
        _layout(child, depth + 1, next_y, placed)
    if node.children:
        ys = [c.y for c in node.children.values()]
        node.y = (min(ys) + max(ys)) / 2
    else:
        node.y = next_y[0]
        next_y[0] += _H + _GAP_Y
    placed.append((node, depth))


def _short(s: str, n: int = 26) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def provenance_svg(report: Report) -> str:
    root = provenance_tree(report)
    if not root.children:
        return ""
    placed: list[tuple[Node, int]] = []
    _layout(root, 0, [10.0], placed)
    depth_max = max(d for _, d in placed)
    width = 10 + (depth_max + 1) * (_W + _GAP_X)
    height = max(n.y for n, _ in placed) + _H + 10
    x_of = {id(n): 10 + d * (_W + _GAP_X) for n, d in placed}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="provenance" width="{width:.0f}" height="{height:.0f}" '
             f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="provenance graph" font-family="system-ui, sans-serif">']

    def edges(node: Node) -> None:
        for child in node.children.values():
            x1, y1 = x_of[id(node)] + _W, node.y + _H / 2
            x2, y2 = x_of[id(child)], child.y + _H / 2
            parts.append(f'<path d="M{x1:.0f},{y1:.0f} C{x1 + 35:.0f},{y1:.0f} {x2 - 35:.0f},{y2:.0f} {x2:.0f},{y2:.0f}" '
                         f'fill="none" stroke="#94a3b8" stroke-width="1.5"/>')
            cue = _short(", ".join(dict.fromkeys(child.cues)), 18)
            if cue:
                parts.append(f'<text x="{x2 - 6:.0f}" y="{y2 - 5:.0f}" font-size="10" text-anchor="end" '
                             f'fill="#475569">{escape(cue)}</text>')
            edges(child)

    edges(root)
    for node, _ in placed:
        x = x_of[id(node)]
        fill = "#fee2e2" if "deny" in node.stances else "#dcfce7" if node.stances & {"confirm", "admit"} else "#e0f2fe"
        if node is root:
            fill = "#fde68a"
        parts.append(f'<g><title>{escape(node.label)}</title><rect x="{x}" y="{node.y:.0f}" width="{_W}" height="{_H}" rx="6" '
                     f'fill="{fill}" stroke="#64748b"/><text x="{x + 8}" y="{node.y + _H / 2 + 4:.0f}" font-size="12">'
                     f'{escape(_short(node.label))}</text></g>')
    parts.append("</svg>")
    return "".join(parts)
