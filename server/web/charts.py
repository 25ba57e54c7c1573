"""Bar charts drawn on the server as SVG: geometry only, for templates to draw with
attributes (no script, no style attribute: CSP). Every chart is shown with a summary
in words and its data as a table, so the drawing is never the only way to read it."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 240
AXIS = 24  # room under the columns for their labels; left of the rows for theirs


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str


def _scale(values: list[int], room: float) -> float:
    top = max(values, default=0)
    return room / top if top else 0.0


def columns(values: list[int], labels: list[str]) -> list[Bar]:
    """Vertical bars, one per value, left to right."""
    slot = WIDTH / max(1, len(values))
    scale = _scale(values, HEIGHT - AXIS - 16)
    return [Bar(round(i * slot + slot * 0.15, 1), round(HEIGHT - AXIS - v * scale, 1),
                round(slot * 0.7, 1), round(v * scale, 1), v, label)
            for i, (v, label) in enumerate(zip(values, labels, strict=True))]


def rows(values: list[int], labels: list[str]) -> list[Bar]:
    """Horizontal bars, one per value, top to bottom, starting a third of the way in
    (the labels go before them)."""
    slot = HEIGHT / max(1, len(values))
    left = WIDTH / 3
    scale = _scale(values, WIDTH - left - 48)
    return [Bar(left, round(i * slot + slot * 0.2, 1), round(v * scale, 1),
                round(slot * 0.6, 1), v, label)
            for i, (v, label) in enumerate(zip(values, labels, strict=True))]
