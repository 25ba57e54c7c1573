"""A hub's kiosk timing as staff set it: idle time before the warning and the warning's
length, within bounds that keep WCAG 2.2.1 (the warning at least 60 s) and in 20-second
steps."""

from __future__ import annotations

from dataclasses import dataclass

from server.db.kiosks import IDLE_BOUNDS, TIMING_STEP, WARN_BOUNDS
from server.i18n import lazy as _

IDLE_CHOICES = tuple(range(IDLE_BOUNDS[0], IDLE_BOUNDS[1] + 1, TIMING_STEP))
WARN_CHOICES = tuple(range(WARN_BOUNDS[0], WARN_BOUNDS[1] + 1, TIMING_STEP))


@dataclass(frozen=True)
class TimingForm:
    hub_id: str
    idle_seconds: int
    warn_seconds: int
    errors: dict[str, str]


def _seconds(text: str, choices: tuple[int, ...]) -> int | None:
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if value in choices else None


def read_timing_form(form: dict[str, str]) -> TimingForm:
    idle = _seconds(form.get("idle_seconds", ""), IDLE_CHOICES)
    warn = _seconds(form.get("warn_seconds", ""), WARN_CHOICES)
    errors = {}
    if idle is None:
        errors["idle_seconds"] = _("Choose how long a kiosk waits before it warns")
    if warn is None:
        errors["warn_seconds"] = _("Choose how long the warning lasts: at least 60 seconds")
    return TimingForm(form.get("hub", ""), idle or 0, warn or 0, errors)
