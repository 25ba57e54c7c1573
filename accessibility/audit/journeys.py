"""Getting a browser session into a state: valid answers, a journey walked to check your
answers, a request sent. Done over HTTP with the browser context's own request client,
so the session cookie is the browser's."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from server.forms.definition import Journey
from server.journeys.contact import PAGE_ID as CONTACT_PAGE
from server.journeys.steps import page_by_id

# Valid answers come from the same helper the journey tests use, so a new question type
# is taught once. The audit runs from a checkout: make its root importable.
ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.append(ROOT)
from tests.journey_answers import CONTACT, page_fields  # noqa: E402
from tests.support import CSRF  # noqa: E402

SUBMISSION = re.compile(r'name="submission_id" value="([^"]+)"')
TRACK_LINK = re.compile(r'href="https?://[^"/]+(/track/[^"]+)"')


class SetupError(RuntimeError):
    """The audit could not put the session into the state a visit needs."""


def valid_fields(journey: Journey, page_id: str) -> dict[str, Any]:
    """Answers that pass validation for one page (contact details for the contact page)."""
    if page_id == CONTACT_PAGE:
        return dict(CONTACT)
    page = page_by_id(journey, page_id)
    if page is None:
        raise SetupError(f"{journey.journey} has no page {page_id!r}")
    return page_fields(page, {})


def _body(fields: dict[str, Any], csrf: str) -> str:
    pairs: list[tuple[str, str]] = [("csrf_token", csrf)]
    for name, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            pairs.append((name, str(v)))
    return urlencode(pairs)


class Session:
    """One browser context's server-side session: which journeys are walked or sent."""

    def __init__(self, context: Any, base_url: str, forms: Any) -> None:
        self.context = context
        self.base = base_url
        self.forms = forms
        self.walked: set[str] = set()
        self.sent: dict[str, str] = {}  # journey -> tracking link path

    def _get(self, path: str) -> str:
        r = self.context.request.get(urljoin(self.base, path))
        if r.status != 200:
            raise SetupError(f"GET {path}: {r.status}")
        return r.text()

    def _post(self, path: str, body: str) -> str:
        r = self.context.request.post(
            urljoin(self.base, path), data=body, max_redirects=0,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": self.base})
        if r.status != 303:
            raise SetupError(f"POST {path}: {r.status} (expected 303): {r.text()[:300]}")
        return urlsplit(urljoin(self.base, r.headers["location"])).path

    def walk(self, slug: str) -> None:
        """Answer every page validly up to check your answers."""
        if slug in self.walked:
            return
        journey = self.forms.latest(slug)
        chosen: dict[str, Any] = {}
        self._get(f"/services/{slug}")
        path = f"/services/{slug}/{journey.pages[0].id}"
        for _ in range(60):
            page_id = path.rsplit("/", 1)[1]
            if page_id == "check":
                break
            html = self._get(path)
            token = CSRF.search(html)
            if not token:
                raise SetupError(f"{path}: no CSRF token")
            if page_id == CONTACT_PAGE:
                fields = dict(CONTACT)
            else:
                page = page_by_id(journey, page_id)
                if page is None:
                    raise SetupError(f"{path}: not a page of {slug}")
                fields = page_fields(page, chosen)
            path = self._post(path, _body(fields, token.group(1)))
        else:
            raise SetupError(f"{slug}: check your answers not reached in 60 pages")
        self.walked.add(slug)

    def send(self, slug: str) -> str:
        """Walk and send; return the tracking link path from the confirmation."""
        if slug in self.sent:
            return self.sent[slug]
        self.walk(slug)
        html = self._get(f"/services/{slug}/check")
        token, submission = CSRF.search(html), SUBMISSION.search(html)
        if not token or not submission:
            raise SetupError(f"/services/{slug}/check: no form to send")
        where = self._post(f"/services/{slug}/check",
                           urlencode({"csrf_token": token.group(1),
                                      "submission_id": submission.group(1)}))
        if where != f"/services/{slug}/done":
            raise SetupError(f"sending {slug} led to {where}")
        link = TRACK_LINK.search(self._get(where))
        self.sent[slug] = link.group(1) if link else ""
        self.walked.discard(slug)
        return self.sent[slug]
