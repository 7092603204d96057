"""Charts drawn by the server as inline SVG: no script, nothing fetched from elsewhere, and they
print as they show.

A chart is a horizontal bar per row. It carries its title (``<title>``) and a description
(``<desc>``) listing every value, and each bar its own ``<title>``, so a screen reader reads the
chart in full; the page puts the same figures in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

ROW_HEIGHT = 22
LABEL_WIDTH = 250
BAR_WIDTH = 400
VALUE_WIDTH = 110
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    """One row: its label, its length as a share of the full bar (0–1), and the value written at
    its end."""

    label: str
    share: float
    text: str


def bar_chart(title: str, bars: Sequence[Bar]) -> Markup:
    """An accessible SVG bar chart of ``bars`` (empty when there are none)."""
    if not bars:
        return Markup("")
    ident = f"chart-{next(_ids)}"
    height = ROW_HEIGHT * len(bars) + 8
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    description = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    parts = [f'<p class="chart-title" aria-hidden="true"><strong>{escape(title)}</strong></p>',
        # No fixed size: the chart takes its container's width and keeps its proportions.
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="100%" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    for row, bar in enumerate(bars):
        y = 4 + row * ROW_HEIGHT
        length = round(BAR_WIDTH * max(0.0, min(1.0, bar.share)), 1)
        parts.append(
            f'<g><title>{escape(bar.label)}: {escape(bar.text)}</title>'
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" class="chart-label">{escape(bar.label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{BAR_WIDTH}" height="{ROW_HEIGHT - 8}" class="chart-track" fill="#e8ecf1"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{ROW_HEIGHT - 8}" class="chart-bar" fill="#2f6fb0"/>'
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{y + 15}" class="chart-value">{escape(bar.text)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def percent(rate: float | None) -> str:
    """A share as people read it: ``87.5%``, or ``—`` when there is nothing to count."""
    return "—" if rate is None else f"{rate * 100:.1f}%"
