"""Throughput and latency over a load run, as one inline SVG (no script, nothing fetched).

Two panels sharing the time axis: requests and failures per second, then p50 and p95 latency per
second with the latency budget as a dashed line. Only numbers and fixed labels go into the markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

WIDTH, PANEL_HEIGHT, GAP = 720, 150, 40
LEFT, RIGHT, TOP = 56, 16, 24
COLOURS = {"requests": "#1b5e9f", "failures": "#b3261e", "p50": "#1b7f3b", "p95": "#8a6d00", "budget": "#666"}


def _nice_ceiling(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 0.1
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _polyline(points: Sequence[tuple[float, float]], colour: str, dashed: bool = False) -> str:
    if not points:
        return ""
    coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    return f'<polyline fill="none" stroke="{colour}" stroke-width="1.6"{dash} points="{coordinates}"/>'


def _label_width(text: str) -> float:
    return 24 + 6.2 * len(text)  # the swatch, a gap, and about 6 px a character at 11 px


def _panel(
    top: float, title: str, unit: str, series: dict[str, list[float]], span: int, floor_max: float = 0.0
) -> list[str]:
    plot_width = WIDTH - LEFT - RIGHT
    # The budget line does not set the scale: at 1000 ms it would flatten 20 ms latencies to nothing.
    drawn = [v for name, values in series.items() if name != "budget" for v in values]
    highest = _nice_ceiling(max([floor_max, *drawn]))
    bottom = top + PANEL_HEIGHT

    def x(t: float) -> float:
        return LEFT + plot_width * (t / max(span, 1))

    def y(value: float) -> float:
        return bottom - PANEL_HEIGHT * (min(value, highest) / highest)

    parts = [
        f'<text x="{LEFT}" y="{top - 8}" font-size="12" font-weight="600">{title}</text>',
        f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#999"/>',
        f'<line x1="{LEFT}" y1="{top}" x2="{LEFT}" y2="{bottom}" stroke="#999"/>',
    ]
    for fraction in (0.0, 0.5, 1.0):
        value = highest * fraction
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" font-size="10" text-anchor="end">{value:g} {unit}</text>'
        )
        if fraction:
            parts.append(
                f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}" y2="{y(value):.1f}" stroke="#eee"/>'
            )
    labels = []
    for name, values in series.items():
        colour = COLOURS[name]
        if name == "budget":
            if values[0] <= highest:
                parts.append(_polyline([(x(0), y(values[0])), (x(span), y(values[0]))], colour, dashed=True))
                labels.append((f"budget {values[0]:g} ms", colour))
            else:
                labels.append((f"budget {values[0]:g} ms (above the scale)", colour))
        else:
            parts.append(_polyline([(x(t), y(v)) for t, v in enumerate(values)], colour))
            labels.append((name, colour))
    legend_x = WIDTH - RIGHT - sum(_label_width(text) for text, _ in labels)
    for text, colour in labels:
        parts.append(f'<rect x="{legend_x:.0f}" y="{top - 17}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 14:.0f}" y="{top - 8}" font-size="11">{text}</text>')
        legend_x += _label_width(text)
    for t in sorted({0, span // 2, span}):
        parts.append(f'<text x="{x(t):.1f}" y="{bottom + 13}" font-size="10" text-anchor="middle">{t} s</text>')
    return parts


def load_plot_svg(timeline: Sequence[dict[str, Any]], budget_ms: float) -> str:
    """The SVG for a run's per-second timeline (``load.timeline`` in results.json)."""
    if not timeline:
        return ""
    span = max(int(second["t"]) for second in timeline)
    throughput = {
        "requests": [float(second["requests"]) for second in timeline],
        "failures": [float(second["failures"]) for second in timeline],
    }
    latency = {
        "p50": [float(second["p50_ms"]) for second in timeline],
        "p95": [float(second["p95_ms"]) for second in timeline],
        "budget": [float(budget_ms)],
    }
    height = TOP + 2 * PANEL_HEIGHT + GAP + 30
    second_top = TOP + PANEL_HEIGHT + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="Throughput and latency over the run" '
        'font-family="system-ui, sans-serif">',
        *_panel(TOP, "Requests per second", "/s", throughput, span),
        *_panel(second_top, "Latency per second", "ms", latency, span),
        f'<text x="{WIDTH - RIGHT}" y="{height - 4}" font-size="10" text-anchor="end">'
        "seconds since the first request</text>",
        "</svg>",
    ]
    return "\n".join(part for part in parts if part)
