"""Compacting the field devices' change feed (`tolbooth compact-feed --keep-days N`, also
hourly): old positions go, and a device whose cursor is older than what is kept gets an
`expired` reset with its cases restored whole, then goes on incrementally."""

from __future__ import annotations

from server import cli
from server.db import case_fields
from tests.field_db_world import build
from tests.test_field_sync import MORAG_CASE, SPEC


def test_compact_feed_expires_old_cursors_and_the_device_restores(make_app, monkeypatch,
                                                                   capsys):
    app = make_app()
    world = app.store.write_sync(build, SPEC, app.settings.secret_key)
    auth = {"Authorization": f"Bearer {world.devices['a'].token}"}
    with app.client() as http:
        old = http.get("/sync/v1/pull?protocol=2", headers=auth).json()["cursor"]
        app.store.write_sync(case_fields.set_fields, MORAG_CASE, {"risk_level": "high"},
                             case_fields.OFFICE)
        # Everything written so far is a year old; nothing was written since.
        app.store.write_sync(lambda db: db.execute(
            "UPDATE feed_positions SET at = '2025-12-01T00:00:00.000Z'"))
        before = app.store.read_sync(lambda db: db.execute(
            "SELECT count(*), max(position) FROM feed").fetchone())
        assert before[0] > 0
        monkeypatch.setenv("TOLBOOTH_DATA_DIR", str(app.settings.data_dir))
        monkeypatch.setenv("TOLBOOTH_SECRET_KEY", app.settings.secret_key)
        assert cli.main(["compact-feed", "--keep-days", "0"]) == 2
        assert cli.main(["compact-feed", "--keep-days", "7"]) == 0
        assert f"Deleted {before[0]} change feed rows" in capsys.readouterr().out
        left = app.store.read_sync(lambda db: (
            db.execute("SELECT count(*) FROM feed").fetchone()[0],
            db.execute("SELECT oldest FROM feed_meta").fetchone()[0]))
        assert left == (0, before[1])
        page = http.get(f"/sync/v1/pull?protocol=2&cursor={old}", headers=auth).json()
        assert page["reset"] == {"reason": "expired", "drop": [], "drop_all": True}
        cases = [c for c in page["changes"] if c["kind"] == "case"]
        assert [(c["id"], c["data"]["risk_level"]) for c in cases] == [(MORAG_CASE, "high")]
        after = http.get(f"/sync/v1/pull?protocol=2&cursor={page['cursor']}",
                         headers=auth).json()
        assert after["changes"] == [] and after["reset"] is None
        # Written after the compaction: an incremental pull again.
        app.store.write_sync(case_fields.set_fields, MORAG_CASE, {"hazards": "Dog"},
                             case_fields.OFFICE)
        later = http.get(f"/sync/v1/pull?protocol=2&cursor={after['cursor']}",
                         headers=auth).json()
        assert later["reset"] is None
        assert [c["data"]["hazards"] for c in later["changes"]] == ["Dog"]
