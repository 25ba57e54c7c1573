"""Turning a finished upload into a request's attachment: the bytes must be the file
its slot declared (sha256), and pass the same content checks as a web upload (images
decoded and saved again without metadata)."""

from __future__ import annotations

import hashlib

import sqlite_utils

from server.db import Store, case_fields, sync_slots, uploads
from server.db import requests as requests_db
from server.db.sync_slots import Slot
from server.db.uploads import Upload
from server.errors import FileRefused
from server.journeys.field_photos import Thumbnail, make_thumbnail, measure
from server.journeys.files import (
    CleanFile,
    UploadRejected,
    clean_upload_off_loop,
    decode_off_loop,
)


def _family(media_type: str) -> str:
    return media_type.split("/")[0] if media_type.startswith("image/") else media_type


async def finish(store: Store, upload: Upload, max_bytes: int) -> None:
    slot = await store.read(sync_slots.slot, upload.attachment_id)
    assert slot is not None  # slots are never deleted
    raw = await store.read(uploads.data, upload.id)
    refusal, message = None, None
    if hashlib.sha256(raw).hexdigest() != slot.sha256:
        refusal = "sha256_mismatch"
    else:
        try:
            clean = await clean_upload_off_loop(slot.filename, raw, max_bytes)
            if _family(clean.media_type) != _family(slot.media_type):
                refusal = "file_type"  # a PDF declared as a photo, or the other way round
        except UploadRejected as rejected:
            refusal, message = f"file_{rejected.key}", rejected.message
    if refusal is not None:
        await store.write(uploads.discard, upload.id)
        raise FileRefused(message, code=refusal)
    # A field worker's photo of a visit or note: its thumbnail reaches the devices.
    parent = await store.read(case_fields.photo_parent, slot.request_id, slot.attachment_id)
    small = None
    if parent is not None:
        small = measure(await decode_off_loop(make_thumbnail, clean.data))
    await store.write(_store_file, upload.id, slot, clean, parent, small)


def _store_file(db: sqlite_utils.Database, upload_id: str, slot: Slot, clean: CleanFile,
                parent: tuple[str, str] | None = None, small: Thumbnail | None = None
                ) -> bool:
    request = requests_db.by_id(db, slot.request_id)
    assert request is not None  # a slot is made with its request, in one transaction
    filled = sync_slots.fill(db, slot, request.journey, clean.filename, clean.media_type,
                             hashlib.sha256(clean.data).hexdigest(), clean.data)
    if filled and parent is not None and small is not None:
        case_fields.add_item(db, "photo", slot.attachment_id, slot.request_id,
                             small.as_item(parent[0], parent[1], slot.sha256))
    uploads.complete(db, upload_id)
    return filled
