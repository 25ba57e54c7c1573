"""Expired drafts, contact details offered again and draft files are deleted (issue 9:
they were only hidden, and kept for ever): when the app starts, every hour, and by
`tolbooth purge`. The rows must be gone from the database, not just out of sight."""

from __future__ import annotations

import time

from server import cli
from server.db import attachments, session_data
from server.db.clock import iso_in

OLD = "old-session"
LIVE = "live-session"


def keep_sessions(db) -> None:
    """An expired session and a live one, each with a draft, contact details and a file."""
    for sid in (OLD, LIVE):
        session_data.put(db, sid, "draft:noise-complaint", {"answers": {"x": "y"}})
        session_data.put(db, sid, "contact", {"name": "Ann", "how": "email"})
        attachments.add_draft_file(db, sid, "noise-complaint", "photos", "a.jpg",
                                   "image/jpeg", b"jpeg")
    two_days_ago = iso_in(-session_data.LIFETIME * 2)
    db.execute("UPDATE session_data SET updated_at = ? WHERE sid = ?", [two_days_ago, OLD])
    db.execute("UPDATE attachments SET created_at = ? WHERE sid = ?", [two_days_ago, OLD])


def rows_by_session(db) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in ("session_data", "attachments"):
        for sid, n in db.execute(f"SELECT sid, COUNT(*) FROM {table} GROUP BY sid"):
            counts[f"{table}:{sid}"] = n
    return counts


def test_the_app_deletes_expired_session_data_when_it_starts(world):
    world.store.write_sync(keep_sessions)
    assert world.store.read_sync(session_data.get, OLD, "contact") is None  # hidden...
    assert world.store.read_sync(rows_by_session)[f"session_data:{OLD}"] == 2  # ...but kept
    with world.client():  # the lifespan starts the purge
        deadline = time.monotonic() + 10
        while f"session_data:{OLD}" in world.store.read_sync(rows_by_session):
            assert time.monotonic() < deadline, "the expired rows were not deleted"
            time.sleep(0.02)
    assert world.store.read_sync(rows_by_session) == {
        f"session_data:{LIVE}": 2, f"attachments:{LIVE}": 1}


def test_tolbooth_purge_deletes_them_too(world, monkeypatch, capsys):
    world.store.write_sync(keep_sessions)
    for name, value in {"TOLBOOTH_DATA_DIR": str(world.settings.data_dir),
                        "TOLBOOTH_SECRET_KEY": world.settings.secret_key}.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["purge"]) == 0
    assert "Deleted 3 expired" in capsys.readouterr().out
    assert world.store.read_sync(rows_by_session) == {
        f"session_data:{LIVE}": 2, f"attachments:{LIVE}": 1}
