"""What happens in the transaction a request arrives in, whichever way it came (the web
form, an app's sync push): its acknowledgement queued, the automation rules run, and
possible duplicates linked. The web path (server/journeys/submission.py) and the sync
path (server/db/sync_ledger.py's on_created) both call `requests_created`.

Arrivals is the app's Notices (server/app.py): every status change is announced through
`request_event`, whoever makes it (an officer, a bulk action, a merge), so the rules
that run when a status changes are run there, in the same transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlite_utils

from server import i18n
from server.casework.duplicates import link_possible_duplicates
from server.casework.rules import run_rules
from server.db.requests import NewRequest, StoredRequest, by_id
from server.db.rules import release, roll_back_to, savepoint
from server.forms.registry import FormRegistry
from server.notify.notices import Notices

logger = logging.getLogger(__name__)


class Arrivals(Notices):
    def __init__(self, forms: FormRegistry | None = None) -> None:
        super().__init__()
        self.forms = forms

    def service_title(self, found: StoredRequest) -> str:
        """The request's form title in the resident's language (a templated reply's
        {service})."""
        if self.forms is None:
            return found.journey
        try:
            title = self.forms.get(found.journey, found.form_version).title
        except Exception:  # a form gone since: its id says enough
            return found.journey
        return str(i18n.Gettext(found.locale).gettext(title))

    def requests_created(self, db: sqlite_utils.Database,
                         created: Sequence[tuple[NewRequest, str]]) -> None:
        super().requests_created(db, created)
        for new, _reference in created:
            run_rules(db, new.id, self, self.service_title)
            found = by_id(db, new.id)
            if found is None:
                continue
            # Linking reads answers as sent; a shape it does not expect must not stop
            # the request arriving.
            savepoint(db, "duplicates")
            try:
                link_possible_duplicates(db, found)
            except Exception:
                logger.exception("linking possible duplicates of %s failed", found.id)
                roll_back_to(db, "duplicates")
            else:
                release(db, "duplicates")

    def request_event(self, db: sqlite_utils.Database, request: StoredRequest,
                      event_id: int, kind: str, status: str | None) -> None:
        super().request_event(db, request, event_id, kind, status)
        if kind == "status_changed":
            run_rules(db, request.id, self, self.service_title, "status_changed")
