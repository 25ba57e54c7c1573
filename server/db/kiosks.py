"""Kiosks (issue 13): sync clients of kind `kiosk` bound to a library hub, their timing
(per hub), what each last said it has waiting to send, and retiring them."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from server.db import audit, sync_clients
from server.db.clock import now_iso

# WCAG 2.2.1: the warning lasts at least 60 s; the editor moves in 20-second steps.
IDLE_BOUNDS = (60, 1800)
WARN_BOUNDS = (60, 600)
TIMING_STEP = 20


@dataclass(frozen=True)
class Kiosk:
    """A kiosk as a page on it needs it. `revoked`: retiring or revoked, so out of
    service (it still delivers what it holds while retiring)."""
    client_id: str
    hub_id: str
    hub_name: str
    revoked: bool
    idle_seconds: int
    warn_seconds: int


@dataclass(frozen=True)
class KioskListing:
    """A kiosk on the management page and the hub view."""
    client_id: str
    label: str
    hub_id: str
    hub_name: str
    enrolled_by: str | None  # the member of staff's name
    enrolled_at: str
    last_seen: str
    waiting: int
    oldest_waiting_at: str | None
    status_at: str | None
    retiring_at: str | None
    revoked_at: str | None

    @property
    def in_service(self) -> bool:
        return self.retiring_at is None and self.revoked_at is None


@dataclass(frozen=True)
class HubTiming:
    hub_id: str
    hub_name: str
    idle_seconds: int
    warn_seconds: int


def kiosk(db: sqlite_utils.Database, client_id: str) -> Kiosk | None:
    row = db.execute(
        "SELECT c.id, c.hub_id, h.name, c.retiring_at IS NOT NULL OR c.revoked_at IS NOT NULL,"
        " h.kiosk_idle_seconds, h.kiosk_warn_seconds FROM sync_clients c"
        " JOIN hubs h ON h.id = c.hub_id WHERE c.id = ? AND c.kind = 'kiosk'",
        [client_id]).fetchone()
    return Kiosk(row[0], row[1], row[2], bool(row[3]), row[4], row[5]) if row else None


def enrol(db: sqlite_utils.Database, hub_id: str, label: str, app_version: str,
          actor: str) -> sync_clients.SyncClient:
    """A kiosk sync client bound to `hub_id` (audited by sync_clients.register)."""
    client = sync_clients.register(db, "kiosk", app_version, actor, hub_id=hub_id)
    db.execute("UPDATE sync_clients SET label = ? WHERE id = ?", [label, client.id])
    audit.record(db, actor, "kiosk_enrolled", f"sync_client:{client.id}",
                 {"hub": hub_id, "label": label})
    return client


def listing(db: sqlite_utils.Database, hub_id: str | None = None) -> list[KioskListing]:
    """Kiosks of one hub (None: every hub), in service first, newest first."""
    where, args = ("AND c.hub_id = ?", [hub_id]) if hub_id else ("", [])
    rows = db.execute(
        "SELECT c.id, COALESCE(c.label, ''), c.hub_id, h.name, s.name, c.created_at,"
        " c.last_seen, c.waiting, c.oldest_waiting_at, c.status_at, c.retiring_at,"
        " c.revoked_at FROM sync_clients c JOIN hubs h ON h.id = c.hub_id"
        " LEFT JOIN staff s ON c.registered_by = 'staff:' || s.id"
        f" WHERE c.kind = 'kiosk' {where}"
        " ORDER BY c.retiring_at IS NOT NULL OR c.revoked_at IS NOT NULL,"
        " c.created_at DESC LIMIT 500", args).fetchall()
    return [KioskListing(*row) for row in rows]


def retire(db: sqlite_utils.Database, client_id: str, actor: str) -> bool:
    """Out of service now; revoked once its queue is empty (report_status). Audited.
    False when it was retiring or revoked already."""
    cursor = db.execute(
        "UPDATE sync_clients SET retiring_at = ?, retired_by = ? WHERE id = ?"
        " AND kind = 'kiosk' AND retiring_at IS NULL AND revoked_at IS NULL",
        [now_iso(), actor, client_id])
    if cursor.rowcount != 1:
        return False
    audit.record(db, actor, "kiosk_revoked", f"sync_client:{client_id}", {})
    _revoke_if_empty(db, client_id)
    return True


def _revoke_if_empty(db: sqlite_utils.Database, client_id: str) -> None:
    row = db.execute("SELECT waiting FROM sync_clients WHERE id = ? AND retiring_at IS NOT NULL"
                     " AND revoked_at IS NULL", [client_id]).fetchone()
    if row is not None and row[0] == 0:
        sync_clients.revoke(db, client_id)


def report_status(db: sqlite_utils.Database, client_id: str, waiting: int,
                  oldest_at: str | None) -> None:
    """What the kiosk says it has waiting to send. A retiring kiosk with nothing left is
    revoked: its token stops working."""
    now = now_iso()
    db.execute("UPDATE sync_clients SET waiting = ?, oldest_waiting_at = ?, status_at = ?,"
               " last_seen = ? WHERE id = ?",
               [waiting, oldest_at if waiting else None, now, now, client_id])
    _revoke_if_empty(db, client_id)


def hub_of_kiosk(db: sqlite_utils.Database, client_id: str) -> str | None:
    row = db.execute("SELECT hub_id FROM sync_clients WHERE id = ?", [client_id]).fetchone()
    return row[0] if row else None


def timings(db: sqlite_utils.Database, hub_id: str | None = None) -> list[HubTiming]:
    where, args = ("WHERE id = ?", [hub_id]) if hub_id else ("", [])
    rows = db.execute(f"SELECT id, name, kiosk_idle_seconds, kiosk_warn_seconds FROM hubs"
                      f" {where} ORDER BY name", args).fetchall()
    return [HubTiming(*row) for row in rows]


def set_timing(db: sqlite_utils.Database, hub_id: str, idle_seconds: int,
               warn_seconds: int, actor: str) -> bool:
    """The caller checks the bounds (the database's CHECK is the backstop)."""
    cursor = db.execute("UPDATE hubs SET kiosk_idle_seconds = ?, kiosk_warn_seconds = ?"
                        " WHERE id = ?", [idle_seconds, warn_seconds, hub_id])
    if cursor.rowcount != 1:
        return False
    audit.record(db, actor, "kiosk_timing_changed", f"hub:{hub_id}",
                 {"idle_seconds": idle_seconds, "warn_seconds": warn_seconds})
    return True


def hubs(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in db.execute("SELECT id, name FROM hubs ORDER BY name")]
