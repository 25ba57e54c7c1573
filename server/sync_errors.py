"""Errors the sync endpoints answer with: types with a status and a machine reason
(`code`), rendered as JSON by the one error handler in server/errors.py."""

from __future__ import annotations

from .errors import BadRequest, Forbidden, NotFound, PayloadTooLarge, ServiceError, TooManyRequests
from .i18n import lazy as _

TUS_VERSION = "1.0.0"
TUS_HEADERS = {"Tus-Resumable": TUS_VERSION}


class SyncRefused(BadRequest):
    """Malformed JSON, a schema violation, a hash mismatch, an unknown protocol."""
    code = "malformed"
    title = _("The app sent something the service could not read")
    message = _("Nothing has been changed. Your request is still saved on this device. "
                "Update the app, then send it again.")


class SyncUnauthorized(ServiceError):
    status_code = 401
    code = "bad_token"
    title = _("This device is not signed up to send requests")
    message = _("Nothing has been changed. Your request is still saved on this device and "
                "will be sent when the app has signed up again.")

    def __init__(self, code: str = "bad_token") -> None:
        super().__init__(code=code, headers={"WWW-Authenticate": "Bearer"})


class KindNotAllowed(Forbidden):
    code = "kind_not_allowed"
    title = _("Only council staff can set up this kind of device")
    message = _("Sign in as a member of staff with the right role, then try again.")


class SyncTooLarge(PayloadTooLarge):
    message = _("Nothing has been changed. Send fewer requests at once, or a smaller file.")


class SyncRateLimited(TooManyRequests):
    message = _("Nothing has been changed. The app will try again in a few minutes.")


class UploadNotFound(NotFound):
    code = "upload_not_found"


class UploadExpired(ServiceError):
    status_code = 410
    code = "upload_expired"
    title = _("This upload has expired")
    message = _("Start the upload again. The app does this by itself.")


class UploadConflict(ServiceError):
    status_code = 409
    code = "offset_mismatch"
    title = _("The upload is not where the app thought")
    message = _("The app will ask where to carry on from, then continue.")


class ChecksumMismatch(ServiceError):
    status_code = 460
    code = "checksum_mismatch"
    title = _("Part of the file arrived damaged")
    message = _("The app will send that part again.")


class TusVersionRequired(ServiceError):
    status_code = 412
    code = "tus_version"
    title = _("The app sent something the service could not read")
    message = _("Update the app, then try again.")


class WrongContentType(ServiceError):
    status_code = 415
    code = "content_type"
    title = _("The app sent something the service could not read")
    message = _("Update the app, then try again.")


class FileRefused(ServiceError):
    """The finished file is not what its slot declared, or not an allowed file."""
    status_code = 422
    code = "file_refused"
    title = _("We could not accept this file")
    message = _("The selected file must be a JPG, PNG, WebP or PDF")
