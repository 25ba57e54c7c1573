"""Deletes what a visitor's session kept once it has expired (drafts, contact details
offered again, draft files; server/db/session_data.py): when the app starts, then every
hour, as a task of the app's lifespan. Before, they were only hidden once a day old, and
kept for ever."""

from __future__ import annotations

import asyncio
import logging

from server.db import Store, feed_compaction, session_data

log = logging.getLogger("tolbooth.expiry")
PURGE_EVERY_SECONDS = 3600.0


async def purge_periodically(store: Store, every_seconds: float = PURGE_EVERY_SECONDS,
                             feed_keep_days: int = 30) -> None:
    """Also compacts the field devices' change feed to its last `feed_keep_days`."""
    while True:
        try:
            deleted = await store.write(session_data.purge_expired)
            if deleted:
                log.info("deleted %s expired drafts, contact details and files", deleted)
            _oldest, gone = await store.write(feed_compaction.compact_older_than,
                                              feed_keep_days)
            if gone:
                log.info("deleted %s change feed rows older than %s days", gone,
                         feed_keep_days)
        except Exception:  # noqa: BLE001 - the loop must outlive any one failure
            log.exception("purging expired session data failed; trying again later")
        await asyncio.sleep(every_seconds)
