"""Sync v1 attachments: tus 1.0 (core, creation, checksum, expiration) at
/sync/v1/uploads. An upload fills a slot declared by an applied mutation of the same
client; when the last byte arrives the file is checked and joins its request."""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response

from server.auth.sync_clients import authenticate, limit_address
from server.db import sync_slots, uploads
from server.db.sync_clients import SyncClient
from server.db.uploads import Upload
from server.errors import (
    ChecksumMismatch,
    SyncRefused,
    UploadConflict,
    UploadExpired,
    UploadNotFound,
    WrongContentType,
)
from server.journeys.sync_files import finish
from server.web.sync_io import read_capped
from server.web.tus import (
    CHECKSUMS,
    EXTENSIONS,
    OFFSET_STREAM,
    TUS_HEADERS,
    TUS_VERSION,
    checksum,
    checksum_matches,
    expiry,
    http_date,
    metadata,
    require_tus,
    upload_length,
    whole_number,
)

LIFETIME = timedelta(hours=24)  # from the last byte received


async def tus_options(request: Request) -> Response:
    limit_address(request)
    return Response(status_code=204, headers={
        **TUS_HEADERS, "Tus-Version": TUS_VERSION, "Tus-Extension": EXTENSIONS,
        "Tus-Max-Size": str(request.app.state.settings.sync_max_upload_bytes),
        "Tus-Checksum-Algorithm": ",".join(CHECKSUMS)})


async def tus_create(request: Request) -> Response:
    client = await authenticate(request)
    require_tus(request)
    length = upload_length(request, request.app.state.settings.sync_max_upload_bytes)
    meta = metadata(request.headers.get("upload-metadata", ""))
    store = request.app.state.store
    slot = await store.read(sync_slots.slot, meta.get("attachment_id", ""))
    if slot is None or slot.client_id != client.id \
            or slot.request_id != meta.get("request_id"):
        raise UploadNotFound(code="unknown_slot")
    if slot.filled:
        raise UploadConflict(code="slot_filled")
    if length != slot.size:
        raise SyncRefused(code="length_mismatch")
    expires_at, expires = expiry(LIFETIME)
    await store.write(uploads.delete_expired, expiry(timedelta(0))[0])
    upload = await store.write(uploads.create, client.id, slot.attachment_id,
                               slot.request_id, length, expires_at)
    return Response(status_code=201, headers={
        **TUS_HEADERS, "Location": f"/sync/v1/uploads/{upload.id}", "Upload-Expires": expires})


async def _own_upload(request: Request, client: SyncClient) -> Upload:
    upload = await request.app.state.store.read(uploads.get, request.path_params["upload_id"])
    if upload is None or upload.client_id != client.id:
        raise UploadNotFound()
    if upload.expired:
        raise UploadExpired()
    return upload


def _progress(upload: Upload) -> dict[str, str]:
    headers = {**TUS_HEADERS, "Upload-Offset": str(upload.offset)}
    if not upload.completed:
        headers["Upload-Expires"] = http_date(upload.expires_at)
    return headers


async def tus_offset(request: Request) -> Response:
    upload = await _own_upload(request, await authenticate(request))
    return Response(status_code=200, headers={**_progress(upload),
                                              "Upload-Length": str(upload.length)})


async def tus_patch(request: Request) -> Response:
    client = await authenticate(request)
    require_tus(request)
    if request.headers.get("content-type", "").split(";")[0].strip() != OFFSET_STREAM:
        raise WrongContentType()
    offset = whole_number(request.headers.get("upload-offset"), "bad_upload_offset")
    expected = checksum(request.headers.get("upload-checksum"))
    upload = await _own_upload(request, client)
    if offset != upload.offset or upload.completed:
        raise UploadConflict(headers={"Upload-Offset": str(upload.offset)})
    data, cut = await _receive(request, upload.length - offset)
    if expected is not None and (cut or not checksum_matches(expected, data)):
        raise ChecksumMismatch()  # nothing kept: the client sends this part again
    store = request.app.state.store
    moved = await store.write(uploads.append, upload.id, offset, data, expiry(LIFETIME)[0])
    if moved is None:
        raise UploadConflict()
    if moved.offset == moved.length:
        await finish(store, moved, request.app.state.settings.sync_max_upload_bytes)
        moved = await store.read(uploads.get, upload.id)
    return Response(status_code=204, headers=_progress(moved))


async def _receive(request: Request, room: int) -> tuple[bytes, bool]:
    """The body, and whether the connection dropped before its end. What arrived before
    a drop is kept (without a checksum to check it against), so the client resumes from
    there: that is the point of tus."""
    return await read_capped(request, room, "past_upload_length")
