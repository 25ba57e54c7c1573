"""What a resident sends about a request after sending it, from its tracking page or
their account: more information, photos or documents (checked exactly as the journey's
uploads are, by journeys/files.py), or their reason for withdrawing it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from server import i18n
from server.forms.normalise import clean_text
from server.i18n import lazy as _
from server.journeys.files import MAX_BYTES, CleanFile, UploadRejected, clean_upload_off_loop
from server.rendering import locale_of

INFORMATION_MAX = 5000
REASON_MAX = 2000
MAX_FILES = 5  # at a time, as a journey's file question allows by default

ENTER_SOMETHING = _("Enter the information to add, or choose a photo or document")
ENTER_REASON = _("Tell us why you are withdrawing this request")
CLOSED = _("This request is closed, so you cannot add to it. Make a new request instead.")
ALREADY_CLOSED = _("This request is already closed, so there is nothing to withdraw.")


@dataclass(frozen=True)
class Addition:
    message: str
    files: list[CleanFile]


def error(request: Request, field: str, message: str) -> dict[str, Any]:
    """One field's error, as the pages' error summary takes it, in the page language."""
    text = i18n.Gettext(locale_of(request))
    return {field: {"field": field, "message": text.gettext(message)}}


async def read_addition(request: Request) -> tuple[Addition, dict[str, Any]]:
    """The information and files posted, and the errors to show if any."""
    form = await request.form()
    message = clean_text(str(form.get("information", "")), multiline=True)[:INFORMATION_MAX]
    uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
    text = i18n.Gettext(locale_of(request))
    if len(uploads) > MAX_FILES:
        return Addition(message, []), {"files": {"field": "files", "message": text.ngettext(
            "You can add %(num)s file at a time", "You can add up to %(num)s files at a time",
            MAX_FILES)}}
    files = []
    for upload in uploads:
        data = await upload.read(MAX_BYTES + 1)
        try:
            files.append(await clean_upload_off_loop(upload.filename or "", data))
        except UploadRejected as rejected:
            return Addition(message, []), error(request, "files", rejected.message)
    if not message and not files:
        return Addition(message, []), error(request, "information", ENTER_SOMETHING)
    return Addition(message, files), {}


async def read_reason(request: Request) -> tuple[str, dict[str, Any]]:
    form = await request.form()
    reason = clean_text(str(form.get("reason", "")), multiline=True)[:REASON_MAX]
    return reason, ({} if reason else error(request, "reason", ENTER_REASON))
