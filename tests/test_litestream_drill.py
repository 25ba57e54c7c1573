"""Disaster drill with the real Litestream binary: every acknowledged write survives.

`tolbooth serve` runs as a real process tree (litestream replicate -exec server), rows
are committed through the app's own write path while it replicates, the whole tree is
SIGKILLed, and the database comes back with `tolbooth restore`.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import httpx
import pytest

from server import litestream
from server.db import Store
from server.db.schema import migrate
from server.db.staff import create_invite
from server.settings import Settings
from tests.support import free_port

SECRET = "drill-secret-key-0123456789-0123456789ab"  # 40 characters
N = 20  # rows replicated before the crash
M = 10  # rows committed just before the crash
ROLE = "planning_officer"

Start = Callable[..., subprocess.Popen]


def tolbooth_env(data_dir: Path, replica: str | None, port: int = 8000) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TOLBOOTH_", "_TOLBOOTH_"))}
    env.update(TOLBOOTH_DATA_DIR=str(data_dir), TOLBOOTH_SECRET_KEY=SECRET,
               TOLBOOTH_ORIGIN=f"http://localhost:{port}", TOLBOOTH_LOG_LEVEL="warning")
    if replica is not None:
        env["TOLBOOTH_REPLICA_URL"] = replica
    return env


def settings_for(env: dict[str, str]) -> Settings:
    return Settings.from_env({k: v for k, v in env.items() if k.startswith("TOLBOOTH_")})


def tolbooth(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "server.cli", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def tail(path: Path, lines: int = 30) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    """Starts processes each in its own session; kills every one's whole process group
    afterwards, whatever happened."""
    started: list[subprocess.Popen] = []

    def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
        with log.open("ab") as out:
            proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        started.append(proc)
        return proc

    yield _start
    for proc in started:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait(timeout=10)


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{tail(log)}")
        try:
            response = httpx.get(f"{url}/healthz", timeout=2)
            if response.status_code == 200:
                return response.json()
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{url}/healthz did not answer 200 within {timeout} s:\n{tail(log)}")
        time.sleep(0.1)


def cmdline(pid: int) -> list[str]:
    raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    return [part.decode() for part in raw.split(b"\0") if part]


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        ppid = int(text[text.rindex(")") + 2:].split()[1])  # comm may hold spaces
        if ppid == pid:
            found.append(int(stat.parent.name))
    return found


def assert_server_runs_under_litestream(pid: int) -> None:
    argv = cmdline(pid)
    assert Path(argv[0]).name == "litestream" and argv[1] == "replicate", argv
    servers = [c for c in children(pid) if cmdline(c)[1:4] == ["-m", "server.cli", "serve"]]
    assert len(servers) == 1, f"no server child under {argv}"
    assert os.getpgid(servers[0]) == os.getpgid(pid)  # one SIGKILL takes both


def invites(db_path: Path) -> dict[str, list[tuple]]:
    """Everything an invitation writes, per table, in a stable order."""
    conn = sqlite3.connect(db_path)
    try:
        return {
            "emails": sorted(r[0] for r in conn.execute(
                "SELECT s.email FROM staff_invites i JOIN staff s ON s.id = i.staff_id"
                " WHERE s.email LIKE 'drill%'")),
            "staff": conn.execute("SELECT * FROM staff ORDER BY id").fetchall(),
            "staff_invites": conn.execute(
                "SELECT * FROM staff_invites ORDER BY token_hash").fetchall(),
            "audit_log": conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall(),
        }
    finally:
        conn.close()


def integrity(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return "\n".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def restore_copy(settings: Settings, out: Path) -> list[str]:
    """Restore the replica's latest state into a scratch file; the drill emails in it."""
    for stale in (out, Path(f"{out}-wal"), Path(f"{out}-shm")):
        stale.unlink(missing_ok=True)
    config = settings.data_dir / "litestream.yml"
    result = subprocess.run(
        [litestream.executable(), "restore", "-config", str(config), "-o", str(out),
         str(settings.db_path)], capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        return []  # nothing replicated yet
    return invites(out)["emails"]


def wait_replicated(settings: Settings, out: Path, want: set[str], timeout: float) -> float:
    """Seconds until a restore holds every email in `want`."""
    began = time.monotonic()
    while True:
        got = set(restore_copy(settings, out))
        if want <= got:
            return time.monotonic() - began
        if time.monotonic() - began > timeout:
            pytest.fail(f"replica still lacks {sorted(want - got)} after {timeout} s")
        time.sleep(0.1)


def email(i: int) -> str:
    return f"drill{i:02d}@example.org"


def add_invites(db_path: Path, people: Iterable[int], migrate_first: bool = False) -> None:
    """Invite drill people (by number) through the app's own write path, each in its
    own committed transaction."""
    store = Store(db_path)
    try:
        if migrate_first:
            migrate(store)
        for i in people:
            store.write_sync(create_invite, email(i), ROLE, f"Drill {i}", "drill")
    finally:
        store.close()


@pytest.mark.slow
def test_every_acknowledged_invite_survives_a_crash_and_a_restore(
        tmp_path: Path, start: Start, record_property: Callable[[str, object], None]) -> None:
    port = free_port()
    url = f"http://localhost:{port}"
    data = tmp_path / "data"
    env = tolbooth_env(data, str(tmp_path / "replica"), port)
    settings = settings_for(env)
    serve_log = tmp_path / "serve.log"

    server = start([sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
                   env, serve_log)
    wait_healthy(url, server, serve_log)
    # `tolbooth serve` exec'd into `litestream replicate`, which runs the server.
    assert_server_runs_under_litestream(server.pid)

    # N committed transactions through the app's write path while Litestream replicates:
    # the first with the real command, the rest through the same Store in this process.
    first = tolbooth("invite-staff", "--email", email(0), "--role", ROLE, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"{url}/enrol/")
    add_invites(settings.db_path, range(1, N))
    acknowledged = {email(i) for i in range(N)}

    # (a) Replication is asynchronous: wait until a restore has all N.
    lag = wait_replicated(settings, tmp_path / "scratch.db", acknowledged, timeout=20)
    record_property("replication_lag_s", round(lag, 2))
    print(f"replication lag after the last commit: {lag:.2f} s")

    # (b) M more commits, then the machine dies at once: Litestream and the server.
    add_invites(settings.db_path, range(N, N + M))  # the server's connections keep the WAL
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=10)
    committed = {email(i) for i in range(N + M)}

    # If the disk were lost now, the replica is all we have. Litestream ships the WAL
    # about once a second, asynchronously: rows committed in the last ~1 s before a
    # disk loss can be missing. Every row it had already shipped (all N) must be there.
    after_crash = set(restore_copy(settings, tmp_path / "crash.db"))
    assert acknowledged <= after_crash, sorted(acknowledged - after_crash)
    shipped = len(after_crash - acknowledged)
    record_property("rows_of_last_batch_replicated_before_kill", shipped)
    print(f"of the {M} rows committed just before the kill, {shipped} were replicated")

    # (c) The machine came back with its disk: Litestream alone, on the same data dir,
    # ships what it had not yet sent. This is what recovers the last rows.
    config = data / "litestream.yml"
    assert config.exists()
    replicator_log = tmp_path / "replicate.log"
    replicator = start([litestream.executable(), "replicate", "-config", str(config)],
                       env, replicator_log)
    wait_replicated(settings, tmp_path / "scratch.db", committed, timeout=20)
    replicator.send_signal(signal.SIGTERM)
    assert replicator.wait(timeout=10) == 0, tail(replicator_log)
    original = invites(settings.db_path)
    assert set(original["emails"]) == committed

    # (d) A new machine: `tolbooth restore` into a data dir that does not exist yet.
    new_data = tmp_path / "new-machine" / "data"
    new_port = free_port()
    new_env = tolbooth_env(new_data, env["TOLBOOTH_REPLICA_URL"], new_port)
    restored = tolbooth("restore", env=new_env)
    assert restored.returncode == 0, restored.stderr
    new_db = new_data / "tolbooth.db"
    assert "Restored" in restored.stdout
    got = invites(new_db)
    assert len(got["emails"]) == N + M
    assert set(got["emails"]) == committed
    assert got == original  # every staff, invite and audit row, byte for byte
    assert integrity(new_db) == "ok"

    # ...and serves from it (under Litestream again), with migrations current.
    new_url = f"http://localhost:{new_port}"
    new_log = tmp_path / "serve-restored.log"
    new_server = start([sys.executable, "-m", "server.cli", "serve", "--port", str(new_port)],
                       new_env, new_log)
    health = wait_healthy(new_url, new_server, new_log)
    assert health["migrations"] == "current"
    assert_server_runs_under_litestream(new_server.pid)
    # Replication carries on from the restored state.
    new_settings = settings_for(new_env)
    add_invites(new_settings.db_path, [99])
    wait_replicated(new_settings, tmp_path / "scratch2.db", committed | {email(99)}, 20)
    new_server.send_signal(signal.SIGTERM)  # Litestream forwards it to the server
    assert new_server.wait(timeout=15) == 0, tail(new_log)


def _replicated_database(tmp_path: Path, people: list[int]) -> dict[str, str]:
    """A data dir whose database (with these invites) has been shipped to its replica."""
    env = tolbooth_env(tmp_path / "data", (tmp_path / "replica").resolve().as_uri())
    settings = settings_for(env)
    add_invites(settings.db_path, people, migrate_first=True)
    config = litestream.write_config(settings)
    subprocess.run([litestream.executable(), "replicate", "-once", "-config", str(config)],
                   check=True, capture_output=True, timeout=30)
    return env


def test_restore_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    env = _replicated_database(tmp_path, [1])
    db = tmp_path / "data" / "tolbooth.db"
    # A row the replica never saw, so we can tell which database we have.
    add_invites(db, [2])

    refused = tolbooth("restore", env=env)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert invites(db)["emails"] == [email(1), email(2)]  # untouched

    forced = tolbooth("restore", "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert invites(db)["emails"] == [email(1)]
    assert not Path(f"{db}-wal").exists()  # no stale WAL beside the restored database
    assert integrity(db) == "ok"


def test_restore_needs_a_replica_url(tmp_path: Path) -> None:
    result = tolbooth("restore", env=tolbooth_env(tmp_path / "data", None))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "TOLBOOTH_REPLICA_URL" in result.stderr


def test_restore_from_an_empty_replica_fails_cleanly(tmp_path: Path) -> None:
    result = tolbooth("restore", env=tolbooth_env(tmp_path / "data", str(tmp_path / "none")))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "no matching backup" in result.stderr
    assert not (tmp_path / "data" / "tolbooth.db").exists()
