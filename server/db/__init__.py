"""The only package that holds SQL. Functions take `db` first and return dataclasses."""

from server.db.store import Store, connect, transaction

__all__ = ["Store", "connect", "transaction"]
