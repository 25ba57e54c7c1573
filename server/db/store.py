"""The one way into the database: a single writer thread and a pool of readers.

SQLite allows one writer at a time. Funnelling every write through one thread (as
Datasette does) means writers queue in Python instead of spinning on the file lock, and
every unit of work runs in one `BEGIN IMMEDIATE` transaction that commits or rolls back
whole. Readers use their own connections and see the last committed state (WAL).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from server.db.clock import now_iso

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000


def connect(path: Path) -> sqlite_utils.Database:
    """Open a connection with the pragmas every connection needs."""
    make_private(path)
    # isolation_level=None: we issue BEGIN ourselves; sqlite-utils then nests its own
    # writes inside our transaction as savepoints instead of committing early.
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a transaction we acknowledged survives power loss, not only a crash.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    db = sqlite_utils.Database(conn)
    db.feed_txn = register_feed_functions(conn)  # type: ignore[attr-defined]
    return db


class _Txn:
    """The token of the connection's current write transaction, for the change feed's
    triggers (migration 0018): the first feed row a transaction writes allocates a feed
    position under this token, the later ones find it. `transaction` renews it at each
    BEGIN; outside one (autocommit) every call is a new token, so a position is never
    shared with an earlier transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.token = ""

    def current(self) -> str:
        if not self.conn.in_transaction or not self.token:
            return uuid.uuid4().hex
        return self.token

    def renew(self) -> None:
        self.token = uuid.uuid4().hex

    def end(self) -> None:
        """After COMMIT or ROLLBACK: a transaction begun some other way never inherits
        this one's token (and so never its position, which devices may have pulled)."""
        self.token = ""


def register_feed_functions(conn: sqlite3.Connection) -> _Txn:
    txn = _Txn(conn)
    conn.create_function("tb_txn", 0, txn.current)
    conn.create_function("tb_now", 0, now_iso)
    return txn


def new_transaction(db: sqlite_utils.Database, begin: bool = True) -> None:
    txn = getattr(db, "feed_txn", None)
    if txn is not None and begin:
        txn.renew()
    elif txn is not None:
        txn.end()


def make_private(path: Path) -> None:
    """The data directory 0700 and the database 0600, whatever the umask: the file holds
    people's requests and files. SQLite gives its -wal and -shm files the database's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if extra.exists():
            os.chmod(extra, 0o600)


def transaction(db: sqlite_utils.Database, fn: Callable[..., T], *args: Any) -> T:
    """Run fn(db, *args) in one BEGIN IMMEDIATE transaction."""
    db.execute("BEGIN IMMEDIATE")
    new_transaction(db)
    try:
        result = fn(db, *args)
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    finally:
        new_transaction(db, begin=False)
    db.execute("COMMIT")
    return result


class Store:
    def __init__(self, path: Path, readers: int = 4) -> None:
        self.path = path
        self._local = threading.local()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-writer")
        self._readers = ThreadPoolExecutor(max_workers=readers, thread_name_prefix="db-reader")
        self._connections: list[sqlite_utils.Database] = []
        self._lock = threading.Lock()

    def _db(self) -> sqlite_utils.Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path)
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    def _write_now(self, fn: Callable[..., T], *args: Any) -> T:
        return transaction(self._db(), fn, *args)

    def _read_now(self, fn: Callable[..., T], *args: Any) -> T:
        return fn(self._db(), *args)

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writer, self._write_now, fn, *args)

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, self._read_now, fn, *args)

    def write_sync(self, fn: Callable[..., T], *args: Any) -> T:
        """For the CLI and start-up: the same writer thread, waited on."""
        return self._writer.submit(self._write_now, fn, *args).result()

    def read_sync(self, fn: Callable[..., T], *args: Any) -> T:
        return self._readers.submit(self._read_now, fn, *args).result()

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self._readers.shutdown(wait=True)
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
