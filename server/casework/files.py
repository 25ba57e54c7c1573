"""A request's files as people open them: the file itself, or a small preview of an
image, made once on first view and kept beside the file (Pillow, in a worker thread under
the same limit as uploads: journeys/files.py).

Who may open them is the caller's check; how they are sent is server/web/downloads.py.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from server.db import Store
from server.db import attachments as attachments_db
from server.db.attachments import Attachment
from server.errors import NotFound
from server.journeys.files import UploadRejected, decode_off_loop, open_image

PREVIEW_SIZE = (320, 320)  # CSS shows them at most 160 px wide: sharp at 2x
PREVIEW_TYPE = "image/jpeg"
VARIANTS = ("download", "thumbnail")
_FILE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


@dataclass(frozen=True)
class FileContent:
    filename: str
    media_type: str
    data: bytes


def make_preview(data: bytes) -> bytes:
    """A JPEG at most PREVIEW_SIZE of a stored image. Stored images were decoded and
    saved again on upload (journeys/files.py), so this decodes only checked images."""
    with open_image(data) as image:  # accepted formats and sizes only
        image.draft("RGB", PREVIEW_SIZE)  # JPEG: decode at a smaller scale, much faster
        image.thumbnail(PREVIEW_SIZE)
        if image.mode in ("RGBA", "LA", "P"):
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
        else:
            flat = image.convert("RGB")
        # convert() keeps `info`, which the encoder writes back (comment, XMP, ICC): files
        # stored before uploads were rewritten from pixels (issue 10) may still hold them.
        flat.info.clear()
        out = io.BytesIO()
        flat.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


async def preview(store: Store, found: Attachment) -> bytes | None:
    """The image's preview, made and kept on first use; None for a PDF."""
    if not found.is_image:
        return None
    kept = await store.read(attachments_db.thumbnail, found.id)
    if kept is not None:
        return kept[1]
    data = await store.read(attachments_db.file_data, found.id)
    if data is None:
        return None
    try:
        made = await decode_off_loop(make_preview, data)
    except (UploadRejected, UnidentifiedImageError, OSError, ValueError,
            Image.DecompressionBombError):
        return None
    await store.write(attachments_db.store_thumbnail, found.id, PREVIEW_TYPE, made)
    return made


def file_id(value: str) -> str:
    """A file id from a URL, checked before it goes anywhere (the audit log, say)."""
    if not _FILE_ID.match(value):
        raise NotFound()
    return value


async def request_file(store: Store, request_id: str, file_id: str) -> Attachment:
    found = await store.read(attachments_db.request_file, request_id, file_id)
    if found is None:
        raise NotFound()
    return found


async def file_content(store: Store, request_id: str, file_id: str,
                       variant: str) -> FileContent:
    """One of the request's files, or its preview; NotFound for anything else."""
    if variant not in VARIANTS:
        raise NotFound()
    found = await request_file(store, request_id, file_id)
    if variant == "thumbnail":
        made = await preview(store, found)
        if made is None:
            raise NotFound()
        stem = found.filename.rsplit(".", 1)[0]
        return FileContent(f"{stem}-preview.jpg", PREVIEW_TYPE, made)
    data = await store.read(attachments_db.file_data, found.id)
    if data is None:
        raise NotFound()
    return FileContent(found.filename, found.media_type, data)
