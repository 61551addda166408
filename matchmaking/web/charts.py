"""Bar charts drawn on the server as SVG: the geometry here, the drawing in ``templates/_macros/charts.html``.

No script and no inline style (the Content-Security-Policy allows neither): positions are SVG
attributes and colours are classes of ``dashboard.css``. A chart is a picture of a table the page
also gives (the macro puts it beside the chart), so it never carries a figure only it shows.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

LABEL_CHARS = 28  # longer labels are cut in the picture (in full in its tooltip and in the table)


@dataclass(frozen=True)
class Row:
    """One bar: ``value``, and ``part`` of it drawn over it (the meetings held of the meetings)."""

    label: str
    value: int
    part: int | None = None


@dataclass(frozen=True)
class Bar:
    label: str  # as drawn (perhaps cut)
    full_label: str
    value: int
    part: int | None
    x: float
    y: float
    width: float
    height: float
    part_width: float  # horizontal bars: the part's width; columns: its height
    text_x: float  # where the value is written
    text_y: float
    show_label: bool = True  # columns: every n-th label is written, so that they do not overlap


@dataclass(frozen=True)
class Chart:
    kind: str  # "bars" (horizontal) or "columns"
    width: int
    height: int
    bars: tuple[Bar, ...]
    top: int  # the value of a full-length bar
    axis: tuple[tuple[float, str], ...] = ()  # columns: (y, value) of the scale's lines
    plot_left: float = 0
    plot_bottom: float = 0
    left_out: int = 0  # rows not drawn (only the first ``limit`` are)


def _cut(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[:chars - 1].rstrip() + "…"


def _nice_top(value: int) -> int:
    """The scale's end: 1, 2 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def horizontal_bars(rows: Sequence[Row], *, width: int = 640, label_width: int = 250, bar_height: int = 20,
                    gap: int = 8, limit: int | None = None) -> Chart:
    """One bar a row, labels on the left and each value at the end of its bar."""
    shown = list(rows[:limit] if limit else rows)
    top = max((r.value for r in shown), default=0) or 1
    plot = width - label_width - 56  # room for the value after the longest bar
    bars = []
    for i, r in enumerate(shown):
        y = gap + i * (bar_height + gap)
        length = plot * r.value / top
        part = plot * min(r.part, r.value) / top if r.part is not None else 0
        bars.append(Bar(label=_cut(r.label), full_label=r.label, value=r.value, part=r.part, x=label_width, y=y,
                        width=round(length, 1), height=bar_height, part_width=round(part, 1),
                        text_x=round(label_width + length + 6, 1), text_y=y + bar_height * 0.75))
    return Chart(kind="bars", width=width, height=gap + len(shown) * (bar_height + gap), bars=tuple(bars), top=top,
                 plot_left=label_width, left_out=len(rows) - len(shown))


def columns(rows: Sequence[Row], *, width: int = 640, height: int = 220, labels: int = 12) -> Chart:
    """One column a row (slots in time order), a scale on the left, about ``labels`` labels below."""
    left, bottom, top_margin = 40, 36, 16
    plot_w, plot_h = width - left - 8, height - bottom - top_margin
    top = _nice_top(max((r.value for r in rows), default=0))
    step = plot_w / max(len(rows), 1)
    every = max(1, math.ceil(len(rows) / labels))
    bars = []
    for i, r in enumerate(rows):
        tall = plot_h * r.value / top
        part = plot_h * min(r.part, r.value) / top if r.part is not None else 0
        x = left + i * step + step * 0.15
        bars.append(Bar(label=_cut(r.label, 12), full_label=r.label, value=r.value, part=r.part, x=round(x, 1),
                        y=round(top_margin + plot_h - tall, 1), width=round(step * 0.7, 1), height=round(tall, 1),
                        part_width=round(part, 1), text_x=round(x + step * 0.35, 1),
                        text_y=round(top_margin + plot_h + 14, 1), show_label=i % every == 0))
    marks = (0, top // 2, top) if top % 2 == 0 else (0, top)
    axis = tuple((round(top_margin + plot_h - plot_h * m / top, 1), str(m)) for m in marks)
    return Chart(kind="columns", width=width, height=height, bars=tuple(bars), top=top, axis=axis,
                 plot_left=left, plot_bottom=top_margin + plot_h)
