"""A field worker's status change (protocol 2: `status` in a case.update) is an officer's
status update: merged like the case's other fields (its own history kept by migration
0025), then applied through the back office's change_status: a timeline event with the
worker as its author, the audit, the resident told; a status conflict resolved by a
supervisor is applied the same way. Runs sync/examples/push-v2-status.json over HTTP."""

from __future__ import annotations

from server.casework import field_conflicts
from sync.field_memory import conflict_id
from tests.sync_support import EXAMPLES, load
from tests.test_field_sync_examples import run_example

CASE = "ca5e0001-7c1d-4a5e-9b2f-000000000001"
THIRD_UPDATE = "c4a90013-5e6f-4a7b-9c9d-000000000013"
EXAMPLE = next(p for p in EXAMPLES if p.stem == "push-v2-status")


def rows(app, sql: str, *args: object) -> list[tuple]:
    return app.store.read_sync(lambda db: db.execute(sql, list(args)).fetchall())


def test_a_status_from_the_field_is_an_officers_update_and_a_conflict_is_resolved_so(make_app):
    app = make_app()
    run_example(app, load(EXAMPLE), EXAMPLE.stem)
    [(worker,)] = rows(app, "SELECT id FROM staff WHERE name = 'Morag Fraser'")
    [(client,)] = rows(app, "SELECT id FROM sync_clients WHERE kind = 'field'"
                            " AND registered_by = ?", f"staff:{worker}")

    # Both of the device's changes are on the timeline, by the worker, public, audited.
    events = rows(app, "SELECT status, actor, public FROM request_events WHERE request_id = ?"
                       " AND kind = 'status_changed' ORDER BY id", CASE)
    assert events == [("waiting_resident", f"staff:{worker}", 1),
                      ("in_progress", f"staff:{worker}", 1)]
    assert rows(app, "SELECT count(*) FROM audit_log WHERE action = 'status_changed'"
                     " AND subject = ? AND actor = ?", f"request:{CASE}",
                f"staff:{worker}") == [(2,)]
    # The merge's history: the device's two changes, then the office's.
    assert rows(app, "SELECT before, changed_by FROM case_status_history WHERE case_id = ?"
                     " ORDER BY version", CASE) == [
        ("in_progress", client), ("waiting_resident", client), ("in_progress", "office")]
    # The third update met the office's change: the office's status stands, both kept.
    assert rows(app, "SELECT status FROM requests WHERE id = ?", CASE) == [("waiting_other",)]
    # The refused closing changed nothing.
    assert rows(app, "SELECT count(*) FROM request_events WHERE request_id = ?"
                     " AND status = 'resolved'", CASE) == [(0,)]

    # A supervisor keeps the worker's value: applied as an officer's update, by them.
    kept = conflict_id(THIRD_UPDATE, "status")
    [(version,)] = rows(app, "SELECT case_version FROM requests WHERE id = ?", CASE)
    done = app.store.write_sync(field_conflicts.resolve, CASE, kept, field_conflicts.WORKER,
                                version, "staff:supervisor-1", app.app.state.notices)
    assert isinstance(done, field_conflicts.Resolved)
    assert rows(app, "SELECT status FROM requests WHERE id = ?", CASE) == [("waiting_resident",)]
    assert rows(app, "SELECT status, actor FROM request_events WHERE request_id = ?"
                     " AND kind = 'status_changed' ORDER BY id DESC LIMIT 1", CASE) == [
        ("waiting_resident", "staff:supervisor-1")]
    # Keeping the office's value of a status conflict changes nothing more.
    assert rows(app, "SELECT json_extract(data, '$.status') FROM case_items WHERE id = ?",
                kept) == [("resolved",)]
