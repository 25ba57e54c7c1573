"""Checks an uploaded file by its content, not its name, and strips image metadata.

Photos from phones carry EXIF data, often including where they were taken. A resident
reporting a neighbour must not hand over their own location by accident, so every image
is decoded and saved again without any metadata.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from server.i18n import lazy as _

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuses decompression bombs well before they use real memory
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp",
              "application/pdf": ".pdf"}

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class UploadRejected(ValueError):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass(frozen=True)
class CleanFile:
    filename: str
    media_type: str
    data: bytes


REJECT_TYPE = _("The selected file must be a JPG, PNG, WebP or PDF")
REJECT_SIZE = _("The selected file must be smaller than 10MB")
REJECT_EMPTY = _("The selected file is empty")


def clean_upload(filename: str, data: bytes, max_bytes: int = MAX_BYTES) -> CleanFile:
    if not data:
        raise UploadRejected("empty", REJECT_EMPTY)
    if len(data) > max_bytes:
        raise UploadRejected("size", REJECT_SIZE)
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise UploadRejected("type", REJECT_TYPE)
        return CleanFile(_safe_name(filename, "application/pdf"), "application/pdf", data)
    cleaned, media_type = _clean_image(data)
    if len(cleaned) > max_bytes:
        raise UploadRejected("size", REJECT_SIZE)
    return CleanFile(_safe_name(filename, media_type), media_type, cleaned)


def _clean_image(data: bytes) -> tuple[bytes, str]:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()  # checks the file's structure without decoding all of it
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in IMAGE_FORMATS:
                raise UploadRejected("type", REJECT_TYPE)
            image_format = image.format
            # Turn the photo upright before the orientation tag goes with the metadata.
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if image_format == "JPEG":
                upright.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
            elif image_format == "PNG":
                upright.save(out, "PNG", optimize=True)
            else:
                upright.save(out, "WEBP", quality=88)
    except UploadRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError):
        raise UploadRejected("type", REJECT_TYPE) from None
    return out.getvalue(), IMAGE_FORMATS[image_format]


def _safe_name(filename: str, media_type: str) -> str:
    """A name safe to show and to send back in a download header."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^\w\- ]+", "", stem, flags=re.UNICODE).strip()[:80] or "file"
    return stem + EXTENSIONS[media_type]
