"""A field worker's photo (of a visit or a note) as the devices get it: a small WebP
thumbnail, made once when its upload finishes, fed with its case (sync/PROTOCOL.md:
`photo` changes, at most 64 KiB of base64)."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

from PIL import Image

from server.journeys.files import open_image
from sync.field_messages import MAX_THUMBNAIL_CHARS

THUMBNAIL_SIZE = (160, 160)  # the device shows them at most 80 px wide: sharp at 2x
THUMBNAIL_TYPE = "image/webp"


@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    width: int
    height: int

    def as_item(self, parent_kind: str, parent_id: str, sha256: str) -> dict[str, Any]:
        return {"parent": {"kind": parent_kind, "id": parent_id},
                "media_type": THUMBNAIL_TYPE, "width": self.width, "height": self.height,
                "sha256": sha256, "thumbnail": base64.b64encode(self.data).decode("ascii")}


def make_thumbnail(data: bytes) -> bytes:
    """Blocking (run it through files.decode_off_loop): a checked image's thumbnail as
    WebP, smaller in quality until it fits the protocol's size."""
    with open_image(data) as image:
        image.draft("RGB", THUMBNAIL_SIZE)
        image.thumbnail(THUMBNAIL_SIZE)
        flat = image.convert("RGB")
        flat.info.clear()
        for quality in (70, 50, 30, 10):
            out = io.BytesIO()
            flat.save(out, "WEBP", quality=quality, method=4)
            if len(base64.b64encode(out.getvalue())) <= MAX_THUMBNAIL_CHARS:
                break
    return out.getvalue()


def measure(made: bytes) -> Thumbnail:
    """A thumbnail make_thumbnail made, with its size (reads the header only)."""
    with Image.open(io.BytesIO(made)) as image:
        return Thumbnail(made, image.width, image.height)
