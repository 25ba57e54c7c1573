"""What a benchmark hands back to the runner, and how the runner prints it."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    title: str = ""


@dataclass
class Result:
    name: str
    title: str
    tables: list[Table] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the headline numbers, ratios first
    metrics: dict[str, Any] = field(default_factory=dict)  # written to latest.json
    failures: list[str] = field(default_factory=list)  # e.g. OVER BUDGET: exit non-zero


def format_table(table: Table) -> str:
    """Plain-text columns; numbers (cells starting with a digit) right-aligned."""
    cells = [table.headers] + table.rows
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.headers))]

    def line(row: list[str]) -> str:
        out = []
        for i, cell in enumerate(row):
            numeric = cell[:1].isdigit() or cell[:2] in ("-0", "-1")
            out.append(cell.rjust(widths[i]) if numeric and i else cell.ljust(widths[i]))
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    body = [line(table.headers), rule] + [line(row) for row in table.rows]
    return "\n".join(([table.title] if table.title else []) + body)


def median(values: list[float]) -> float:
    return statistics.median(values)


def kb(size: float) -> str:
    return f"{size / 1024:.1f} KB"
