"""The data on disk and what a fresh start puts in it (issue 10): the database is readable
by the server's user only, and a plain start seeds no staff accounts."""

from __future__ import annotations

import stat

import pytest

from server import cli
from server.db import Store
from server.db.schema import migrate
from server.db.staff import token_hash
from tests.support import make_settings


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_directory_and_database_files_are_private(make_app):
    world = make_app()
    with world.client() as client:
        client.get("/")
    db = world.settings.db_path
    assert mode(db.parent) == 0o700
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        assert path.exists(), path
        assert mode(path) == 0o600, f"{path.name} is {oct(mode(path))}"


def test_an_existing_world_readable_database_is_made_private(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "tolbooth.db").touch(mode=0o644)
    store = Store(make_settings(data).db_path)
    try:
        migrate(store)
    finally:
        store.close()
    assert mode(data) == 0o700
    assert mode(data / "tolbooth.db") == 0o600


def staff_emails(settings) -> list[str]:
    store = Store(settings.db_path)
    try:
        return store.read_sync(
            lambda db: [r[0] for r in db.execute("SELECT email FROM staff ORDER BY email")])
    finally:
        store.close()


@pytest.fixture
def env(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("TOLBOOTH_DATA_DIR", str(data))
    monkeypatch.setenv("TOLBOOTH_SECRET_KEY", "x" * 40)
    return data


def test_a_plain_start_seeds_the_council_but_no_staff(env):
    cli._prepare(make_settings(env))
    assert staff_emails(make_settings(env)) == []
    store = Store(make_settings(env).db_path)
    try:
        assert store.read_sync(lambda db: db.execute("SELECT COUNT(*) FROM services")
                               .fetchone()[0]) == 3
    finally:
        store.close()


def test_a_demo_start_seeds_the_demo_staff(env):
    cli._prepare(make_settings(env, TOLBOOTH_DEMO="true"))
    assert "admin@midlothian.example" in staff_emails(make_settings(env))


def test_seed_adds_demo_staff_only_with_demo(env, capsys):
    assert cli.main(["seed"]) == 0
    assert staff_emails(make_settings(env)) == []
    assert cli.main(["seed", "--demo"]) == 0
    assert "admin@midlothian.example" in staff_emails(make_settings(env))


def test_invite_admin_prints_an_enrolment_link_for_an_admin(env, capsys):
    assert cli.main(["invite-admin", "first.admin@council.example"]) == 0
    link = capsys.readouterr().out.strip()
    assert link.startswith("http://localhost:8000/enrol/")
    token = link.rsplit("/", 1)[1]
    store = Store(make_settings(env).db_path)
    try:
        row = store.read_sync(lambda db: db.execute(
            "SELECT s.email, s.role FROM staff_invites i JOIN staff s ON s.id = i.staff_id"
            " WHERE i.token_hash = ?", [token_hash(token)]).fetchone())
    finally:
        store.close()
    assert tuple(row) == ("first.admin@council.example", "admin")
