"""Resumable uploads over real HTTP against a live uvicorn, with tuspy (tusclient) as an
independent tus client: a photo of nearly 10 MB cut at 60% carries on from the server's
offset."""

from __future__ import annotations

import io
import random
import socket
import time

import httpx
import pytest
from PIL import Image
from tusclient.client import TusClient

from server.db import sync_slots
from tests import queries
from tests.sync_support import Device
from tests.test_sync_uploads import TUS, create, head, send_request_with, slot_for

pytestmark = pytest.mark.slow


def big_photo() -> bytes:
    """A real JPEG of about 9.8 MiB (noise does not compress), just within the form's
    10 MiB limit for a photo: a larger one is refused when its request is pushed."""
    size = 2280
    pixels = random.Random(4).randbytes(size * size * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (size, size), pixels).save(out, "JPEG", quality=100)
    return out.getvalue()


@pytest.fixture
def device(base_url):
    with httpx.Client(base_url=base_url, timeout=60) as http:
        yield Device(http)


def _patch_and_cut(port: int, url: str, token: str, data: bytes, sent: int) -> None:
    """A PATCH announcing all of `data`, whose connection drops after `sent` bytes."""
    with socket.create_connection(("localhost", port)) as sock:
        sock.sendall(f"PATCH {url} HTTP/1.1\r\nHost: localhost\r\n"
                     f"Authorization: Bearer {token}\r\nTus-Resumable: 1.0.0\r\n"
                     "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
                     f"Content-Length: {len(data)}\r\n\r\n".encode())
        sock.sendall(data[:sent])


def _settled_offset(device: Device, url: str) -> int:
    """The server's offset once the cut connection has been dealt with."""
    deadline = time.monotonic() + 30
    last, steady_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        offset = int(head(device, url).headers["upload-offset"])
        if offset != last:
            last, steady_since = offset, time.monotonic()
        elif offset > 0 and time.monotonic() - steady_since > 1.0:
            return offset
        time.sleep(0.1)
    raise AssertionError(f"the offset never settled (last {last})")


def test_ten_megabyte_upload_cut_at_60_percent_resumes_from_the_servers_offset(
        device, live_server, base_url):
    data = big_photo()
    assert 9.5 * 1024 * 1024 < len(data) <= 10 * 1024 * 1024
    slot = slot_for(data)
    request_id = send_request_with(device, slot)
    url = create(device, slot, request_id).headers["location"]
    cut = int(len(data) * 0.6)
    _patch_and_cut(live_server.port, url, device.token, data, cut)
    kept = _settled_offset(device, url)
    # What arrived before the drop is kept. (uvicorn may drop bytes it had read but not
    # yet handed over when the connection closed, so "at most", not "exactly".)
    assert cut // 2 < kept <= cut

    tus = TusClient(f"{base_url}/sync/v1/uploads", headers=device.auth)
    uploader = tus.uploader(file_stream=io.BytesIO(data), url=f"{base_url}{url}",
                            chunk_size=2 * 1024 * 1024, upload_checksum=True)
    assert uploader.offset == kept  # tuspy asked the server (HEAD) where to go on from
    uploader.upload()
    assert head(device, url).headers["upload-offset"] == str(len(data))
    store = live_server.app.state.store
    assert not store.read_sync(sync_slots.is_incomplete, request_id)
    files = store.read_sync(queries.request_files, request_id)
    assert [f.id for f in files] == [slot["id"]]


def test_tuspy_creates_and_uploads_a_photo_with_checksums(device, live_server, base_url):
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 90, 200)).save(out, "PNG")
    data = out.getvalue()
    slot = dict(slot_for(data, "image/png"), filename="garden.png")
    request_id = send_request_with(device, slot)
    tus = TusClient(f"{base_url}/sync/v1/uploads", headers=device.auth)
    uploader = tus.uploader(file_stream=io.BytesIO(data), chunk_size=1000,
                            upload_checksum=True, metadata={
                                "attachment_id": slot["id"], "request_id": request_id,
                                "filename": slot["filename"]})
    uploader.upload()
    assert uploader.offset == len(data)
    store = live_server.app.state.store
    assert [(f.id, f.media_type) for f in store.read_sync(queries.request_files,
                                                          request_id)] == [
        (slot["id"], "image/png")]
    assert TUS["Tus-Resumable"] == uploader.get_headers()["Tus-Resumable"]
