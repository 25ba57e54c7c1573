"""Run the benchmarks: `python -m bench [name ...]` (all of them by default).

Prints each benchmark's tables and headline ratios, writes bench/results/latest.json,
and exits non-zero if a benchmark failed to run or reported a failure (OVER BUDGET).
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from . import (
    field_download,
    field_pull,
    first_visit,
    home_render,
    notify_drain,
    notify_latency,
    outbox_drain,
    queue_dashboard,
    sync_ingest,
)
from .report import Result, format_table

BENCHMARKS: list[ModuleType] = [home_render, first_visit, sync_ingest, outbox_drain,
                                notify_latency, notify_drain, field_download, field_pull]
# Run only when named (`python -m bench queue_dashboard`): seeding 100,000 requests takes
# minutes, longer than all the others together.
ON_REQUEST: list[ModuleType] = [queue_dashboard]
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def run_one(module: ModuleType) -> tuple[Result | None, str | None, float]:
    started = time.perf_counter()
    try:
        result: Result = module.run()
        return result, None, time.perf_counter() - started
    except Exception as exc:  # a broken benchmark must not hide the others' results
        detail = "".join(traceback.format_exception(exc, limit=-3))
        return None, f"{type(exc).__name__}: {exc}\n{detail}", time.perf_counter() - started


def show(name: str, result: Result | None, error: str | None, seconds: float) -> None:
    print(f"\n== {name}: {result.title if result else 'FAILED TO RUN'} ({seconds:.1f} s)")
    if result is None:
        print(f"ERROR: {error}")
        return
    for table in result.tables:
        print()
        print(format_table(table))
    print()
    for line in result.lines:
        print(line)
    for failure in result.failures:
        print(f"!! {failure}")


def main(argv: list[str]) -> int:
    by_name = {module.NAME: module for module in (*BENCHMARKS, *ON_REQUEST)}
    unknown = [name for name in argv if name not in by_name]
    if unknown:
        print(f"unknown benchmark(s) {', '.join(unknown)}; have {', '.join(by_name)}",
              file=sys.stderr)
        return 2
    chosen = [by_name[name] for name in argv] or BENCHMARKS
    report: dict[str, object] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "benchmarks": {},
    }
    problems = []
    started = time.perf_counter()
    for module in chosen:
        print(f"running {module.NAME} ...", file=sys.stderr, flush=True)
        result, error, seconds = run_one(module)
        show(module.NAME, result, error, seconds)
        entry: dict[str, object] = {"seconds": round(seconds, 1), "ok": error is None}
        if result is not None:
            entry.update(result.metrics)
            entry["failures"] = result.failures
            problems += [f"{module.NAME}: {failure}" for failure in result.failures]
            entry["ok"] = not result.failures
        else:
            entry["error"] = error
            problems.append(f"{module.NAME}: failed to run: {(error or '').splitlines()[0]}")
        report["benchmarks"][module.NAME] = entry  # type: ignore[index]
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["ok"] = not problems
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")

    print(f"\nwrote {RESULTS} ({report['seconds']} s)")
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
