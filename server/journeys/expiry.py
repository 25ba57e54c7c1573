"""Deletes what a visitor's session kept once it has expired (drafts, contact details
offered again, draft files; server/db/session_data.py): when the app starts, then every
hour. Before, they were only hidden once a day old, and kept for ever."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from server.db import Store, session_data

log = logging.getLogger("tolbooth.expiry")
PURGE_EVERY_SECONDS = 3600.0


class ExpiredDataPurge:
    def __init__(self, store: Store, every_seconds: float = PURGE_EVERY_SECONDS) -> None:
        self.store = store
        self.every_seconds = every_seconds
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is not None and not self._task.done():
            return  # one purge loop per app
        self._task = asyncio.create_task(self._run(), name="expired-data-purge")

    async def stop(self) -> None:
        # Only the lifespan that started the loop stops it (tests run one app under
        # several clients, each with its own event loop).
        if self._task is not None and self._task.get_loop() is asyncio.get_running_loop():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                deleted = await self.store.write(session_data.purge_expired)
                if deleted:
                    log.info("deleted %s expired drafts, contact details and files", deleted)
            except Exception:  # noqa: BLE001 - the loop must outlive any one failure
                log.exception("purging expired session data failed; trying again later")
            await asyncio.sleep(self.every_seconds)
