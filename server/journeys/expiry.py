"""Deletes what a visitor's session kept once it has expired (drafts, contact details
offered again, draft files; server/db/session_data.py): when the app starts, then every
hour, as a task of the app's lifespan. Before, they were only hidden once a day old, and
kept for ever."""

from __future__ import annotations

import asyncio
import logging

from server.db import Store, session_data

log = logging.getLogger("tolbooth.expiry")
PURGE_EVERY_SECONDS = 3600.0


async def purge_periodically(store: Store, every_seconds: float = PURGE_EVERY_SECONDS
                             ) -> None:
    while True:
        try:
            deleted = await store.write(session_data.purge_expired)
            if deleted:
                log.info("deleted %s expired drafts, contact details and files", deleted)
        except Exception:  # noqa: BLE001 - the loop must outlive any one failure
            log.exception("purging expired session data failed; trying again later")
        await asyncio.sleep(every_seconds)
