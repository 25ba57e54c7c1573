"""Checks an uploaded file by its content, not its name, and keeps only what is safe to
store and show.

Images: photos from phones carry EXIF data, often including where they were taken, and
JPEG comments, XMP packets and colour profiles that can carry any text. A resident
reporting a neighbour must not hand over their own location by accident, so every image
is decoded and a new file is written from its pixels alone: nothing of the original file
but the picture survives. Decoding is bounded: `Image.open` tries only the formats we
accept, an image over MAX_PIXELS is refused from its header before any pixel is decoded
(Pillow itself only warns up to twice its own limit: issue 10 froze the server with a
252 KB PNG of 8900 x 8900), and the work runs in a worker thread, at most
DECODERS at a time, never on the event loop (`clean_upload_off_loop`).

PDFs are not rewritten; they are checked and served only as attachments. The check: the
file starts with `%PDF-`, ends with an `%%EOF` trailer, and names none of the features
that run or carry something when the file is opened (ACTIVE_PDF_NAMES: JavaScript,
Launch, embedded files, an OpenAction that is an action rather than a page to open at).
Names are read with their `#xx` escapes decoded and in compressed streams too. What a
PDF may still hold (a PDF/HTML polyglot, say) never runs in our origin: every stored
file is sent by server/web/downloads.py as a sandboxed, nosniff attachment.
"""

from __future__ import annotations

import asyncio
import io
import re
import warnings
import weakref
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import anyio
from anyio import to_thread
from PIL import Image, ImageOps, UnidentifiedImageError

from server.i18n import lazy as _

MAX_BYTES = 10 * 1024 * 1024
# Room for a phone's photo as it saves by default (12-24 Mpx; a 200 Mpx sensor saves
# 12.5 Mpx); refused from the header above it. Cleaning an image at the limit peaks at
# about 170 MB (measured: decoded pixels, their copy and the encoder).
MAX_MEGAPIXELS = 25
MAX_PIXELS = MAX_MEGAPIXELS * 1_000_000
DECODERS = 2  # images decoded at once (two cores); so at most ~340 MB for decoding
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp",
              "application/pdf": ".pdf"}
# What a PDF may not name. /OpenAction is refused only as an action (a dictionary or a
# reference to one): as an array it is just the page to open at, and LibreOffice writes
# one in every PDF it exports.
ACTIVE_PDF_NAMES = frozenset({b"JavaScript", b"JS", b"Launch", b"EmbeddedFile",
                              b"EmbeddedFiles", b"RichMedia"})
PDF_INFLATE_BUDGET = 64 * 1024 * 1024  # bytes of compressed streams read, in all

# Pillow's own bomb check, at our limit, and its warning (between the limit and twice
# it) made an error as well: open_image refuses both, then checks the size itself too,
# as a test runner may reset warning filters.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


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
REJECT_PIXELS = _("The selected image has too many pixels. Choose a smaller photo, or save "
                  "it at a lower resolution, then choose it again")
REJECT_ACTIVE_PDF = _("The selected PDF contains scripts, actions or attached files. Save or "
                      "print it again as a plain PDF, then choose it again")


def clean_upload(filename: str, data: bytes, max_bytes: int = MAX_BYTES) -> CleanFile:
    """Blocking: call it through clean_upload_off_loop from async code."""
    if not data:
        raise UploadRejected("empty", REJECT_EMPTY)
    if len(data) > max_bytes:
        raise UploadRejected("size", REJECT_SIZE)
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise UploadRejected("type", REJECT_TYPE)
        if pdf_is_active(data):
            raise UploadRejected("unsafe", REJECT_ACTIVE_PDF)
        return CleanFile(_safe_name(filename, "application/pdf"), "application/pdf", data)
    cleaned, media_type = _clean_image(data)
    if len(cleaned) > max_bytes:
        raise UploadRejected("size", REJECT_SIZE)
    return CleanFile(_safe_name(filename, media_type), media_type, cleaned)


_decoders: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = \
    weakref.WeakKeyDictionary()


def _decoder_limiter() -> anyio.CapacityLimiter:
    """One limiter per event loop (tests run several loops in one process)."""
    loop = asyncio.get_running_loop()
    limiter = _decoders.get(loop)
    if limiter is None:
        limiter = _decoders[loop] = anyio.CapacityLimiter(DECODERS)
    return limiter


async def clean_upload_off_loop(filename: str, data: bytes, max_bytes: int = MAX_BYTES
                                ) -> CleanFile:
    """clean_upload in a worker thread, at most DECODERS at once: a large image takes a
    second or more to decode and must hold up no other request (issue 10)."""
    return await to_thread.run_sync(clean_upload, filename, data, max_bytes,
                                    limiter=_decoder_limiter())


async def decode_off_loop(work: Callable[[bytes], bytes], data: bytes) -> bytes:
    """Other Pillow work on stored images (previews), in a thread under the same limit."""
    return await to_thread.run_sync(work, data, limiter=_decoder_limiter())


def open_image(data: bytes) -> Image.Image:
    """Opens (reads the header of) an image of an accepted format and size; decodes
    nothing yet. Raises UploadRejected."""
    try:
        image = Image.open(io.BytesIO(data), formats=list(IMAGE_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected("pixels", REJECT_PIXELS) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadRejected("type", REJECT_TYPE) from None
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise UploadRejected("pixels", REJECT_PIXELS)
    return image


def _clean_image(data: bytes) -> tuple[bytes, str]:
    with open_image(data) as probe:
        try:
            probe.verify()  # checks the file's structure without decoding all of it
        except (OSError, SyntaxError, ValueError):
            raise UploadRejected("type", REJECT_TYPE) from None
    try:
        with open_image(data) as image:
            image_format = str(image.format)
            # Turn the photo upright before the orientation tag goes with the metadata.
            ImageOps.exif_transpose(image, in_place=True)
            pixels = _pixels_only(image, JPEG_MODES if image_format == "JPEG" else SAVE_MODES)
        out = io.BytesIO()
        if image_format == "JPEG":
            pixels.save(out, "JPEG", quality=88, optimize=True)
        elif image_format == "PNG":
            pixels.save(out, "PNG", optimize=True)
        else:
            pixels.save(out, "WEBP", quality=88)
    except UploadRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError):
        raise UploadRejected("type", REJECT_TYPE) from None
    return out.getvalue(), IMAGE_FORMATS[image_format]


JPEG_MODES = ("L", "RGB")
SAVE_MODES = ("1", "L", "LA", "P", "RGB", "RGBA")


def _pixels_only(image: Image.Image, modes: tuple[str, ...]) -> Image.Image:
    """A new image of the pixels (and palette) alone, with no `info`: the encoders write
    a JPEG comment, XMP, an ICC profile or EXIF from `info`, so nothing of the original
    file can be written back (issue 10: a JPEG comment survived)."""
    mode = image.mode if image.mode in modes else modes[-1]
    source = image if image.mode == mode else image.convert(mode)
    fresh = Image.new(mode, source.size)
    fresh.paste(source)
    if mode == "P":
        fresh.putpalette(source.getpalette() or [])
    if "transparency" in source.info and mode != "RGBA":
        fresh.info["transparency"] = source.info["transparency"]  # a pixel value, not text
    return fresh


_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_OPEN_ACTION = re.compile(rb"/OpenAction\s*(\S)")
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def pdf_is_active(data: bytes) -> bool:
    """True when the PDF's dictionaries name an active feature, or hide dictionaries in
    an object stream this cannot read. Stream bodies (images, page contents) are skipped:
    binary data would match a short name such as /JS by chance."""
    texts = _pdf_dictionaries(data)
    if texts is None:
        return True
    for text in texts:
        text = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), text)
        if any(name in ACTIVE_PDF_NAMES for name in _NAME.findall(text)):
            return True
        if any(after != b"[" for after in _OPEN_ACTION.findall(text)):
            return True
    return False


def _pdf_dictionaries(data: bytes) -> list[bytes] | None:
    """The file without its stream bodies, and the inflated bodies of its object streams
    (where PDF 1.5 and later keep dictionaries); None when an object stream cannot be read
    within PDF_INFLATE_BUDGET."""
    texts, budget, pos = [], PDF_INFLATE_BUDGET, 0
    while (found := _STREAM.search(data, pos)) is not None:
        head = data[pos:found.start()]
        texts.append(head)
        end = data.find(b"endstream", found.end())
        end = len(data) if end < 0 else end
        header = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]),
                             head[head.rfind(b"obj"):])
        if b"/ObjStm" in header:
            try:
                inflated = zlib.decompressobj().decompress(data[found.end():end], budget)
            except zlib.error:
                return None
            budget -= len(inflated)
            if budget <= 0:
                return None
            texts.append(inflated)
        pos = end + len(b"endstream")
    texts.append(data[pos:])
    return texts


def _safe_name(filename: str, media_type: str) -> str:
    """A name safe to show and to send back in a download header."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^\w\- ]+", "", stem, flags=re.UNICODE).strip()[:80] or "file"
    return stem + EXTENSIONS[media_type]
