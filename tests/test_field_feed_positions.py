"""The change feed's positions (migration 0018, server/db/store.py tb_txn): one per write
transaction, shared by all its feed rows, increasing; a transaction begun some other
way after one of the store's never joins that one's position (a device may have pulled
it already: joining it would be a gap)."""

from __future__ import annotations

from server.db import case_fields, connect
from tests.field_db_world import build
from tests.test_field_sync import MORAG_CASE, SOUTH_CASE, SPEC


def positions(db) -> list[tuple[int, str]]:
    return db.execute("SELECT position, kind FROM feed ORDER BY seq").fetchall()


def test_one_position_per_transaction_and_never_an_old_one(make_app):
    app = make_app()
    app.store.write_sync(build, SPEC, app.settings.secret_key)
    head = app.store.read_sync(lambda db: db.execute(
        "SELECT max(position) FROM feed_positions").fetchone()[0])

    def two_cases(db):
        case_fields.set_fields(db, MORAG_CASE, {"hazards": "Dog"}, case_fields.OFFICE)
        case_fields.add_item(db, "note", "n1", MORAG_CASE, {"text": "x"})
        case_fields.set_fields(db, SOUTH_CASE, {"hazards": "Cat"}, case_fields.OFFICE)
    app.store.write_sync(two_cases)
    app.store.write_sync(case_fields.set_fields, MORAG_CASE, {"hazards": "Dogs"},
                         case_fields.OFFICE)
    rows = app.store.read_sync(positions)
    new = [p for p, _kind in rows if p > head]
    assert new == [head + 1] * 3 + [head + 2]
    # The writer's own connection, used outside `transaction` (a script, a migration):
    # its next transaction gets positions of its own, after everything before.
    def by_hand() -> None:
        db = app.store._db()  # the writer thread's connection, as transaction() left it
        db.execute("BEGIN IMMEDIATE")
        case_fields.set_fields(db, SOUTH_CASE, {"hazards": "Cats"}, case_fields.OFFICE)
        db.execute("COMMIT")
    app.store._writer.submit(by_hand).result()
    last = app.store.read_sync(positions)[-1][0]
    assert last > head + 2
    # Another connection entirely (connect() registers tb_txn on every connection).
    other = connect(app.settings.db_path)
    other.execute("BEGIN IMMEDIATE")
    case_fields.set_fields(other, MORAG_CASE, {"hazards": None}, case_fields.OFFICE)
    other.execute("COMMIT")
    other.close()
    assert app.store.read_sync(positions)[-1][0] > last
