"""Small inline SVG charts for the report: bars and histograms, no library, no script.

Drawn on the server so the page shows them without running anything, and so a chart holds
nothing but escaped text and numbers (every label passes through html.escape).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

WIDTH = 400
BAR_H = 14
GAP = 5
LABEL_W = 150


def bars(title: str, items: Sequence[tuple[str, float]], *, unit: str = "",
         decimals: int = 0) -> str:
    """Horizontal bars, largest first: cost by step, flags by reason."""
    items = sorted(items, key=lambda kv: -kv[1])[:12]
    if not items:
        return _empty(title)
    top = max(v for _, v in items) or 1.0
    height = 28 + len(items) * (BAR_H + GAP)
    span = WIDTH - LABEL_W - 90
    parts = [_open(title, height)]
    for i, (label, value) in enumerate(items):
        y = 24 + i * (BAR_H + GAP)
        w = max(1.0, span * value / top)
        shown = label if len(label) <= 24 else label[:23] + "…"
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + 11}" text-anchor="end">{escape(shown)}'
            f"<title>{escape(label)}</title></text>"
            f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}" class="bar"/>'
            f'<text x="{LABEL_W + w + 4:.1f}" y="{y + 11}">'
            f"{escape(_number(value, decimals))}{escape(unit)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def histogram(title: str, values: Sequence[float], *, unit: str = "",
              markers: Sequence[tuple[str, float]] = (), bins: int = 20,
              decimals: int = 0) -> str:
    """How values spread, with vertical lines where limits are (a gate's max_chars)."""
    if not values:
        return _empty(title)
    lo = 0.0
    hi = max([*values, *(m for _, m in markers)]) or 1.0
    width = (hi - lo) / bins or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / width))] += 1
    top = max(counts) or 1
    plot_w, plot_h, left, base = WIDTH - 60, 70, 40, 100
    parts = [_open(title, 118)]
    col = plot_w / bins
    for i, n in enumerate(counts):
        h = plot_h * n / top
        start, end = lo + i * width, lo + (i + 1) * width
        parts.append(
            f'<rect x="{left + i * col:.1f}" y="{base - h:.1f}" width="{max(col - 1, 1):.1f}" '
            f'height="{h:.1f}" class="bar"><title>{escape(_number(start, decimals))}–'
            f"{escape(_number(end, decimals))}{escape(unit)}: {n}</title></rect>")
    parts.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" '
                 'class="axis"/>')
    parts.append(f'<text x="{left}" y="{base + 14}">0</text>'
                 f'<text x="{left + plot_w}" y="{base + 14}" text-anchor="end">'
                 f"{escape(_number(hi, decimals))}{escape(unit)}</text>"
                 f'<text x="{left - 4}" y="{base - plot_h + 10}" text-anchor="end">{top}</text>')
    for label, at in markers:
        x = left + plot_w * (at - lo) / (hi - lo or 1)
        parts.append(f'<line x1="{x:.1f}" y1="{base - plot_h - 6}" x2="{x:.1f}" y2="{base}" '
                     f'class="limit"/><text x="{x + 3:.1f}" y="{base - plot_h}" '
                     f'class="limit-label">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _open(title: str, height: int) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
            f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}">'
            f'<text x="0" y="14" class="title">{escape(title)}</text>')


def _empty(title: str) -> str:
    return _open(title, 40) + '<text x="0" y="34" class="muted">nothing to show</text></svg>'


def _number(value: float, decimals: int = 0) -> str:
    if decimals:
        return f"{value:,.{decimals}f}"
    return f"{value:,.0f}" if abs(value) >= 10 or value == math.floor(value) else f"{value:.1f}"
