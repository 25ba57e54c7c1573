"""tus uploads for synced requests: chunks, offsets, checksums, expiry, content checks,
and a request that is "incomplete" until its files arrive."""

from __future__ import annotations

import base64
import hashlib
import io
import uuid
from datetime import timedelta

import pytest
from PIL import Image

from server.db import sync_slots
from server.handlers.sync import uploads as sync_uploads
from tests import queries
from tests.support import tracking_url
from tests.sync_support import Device, mutation, payload, tree_answers

TUS = {"Tus-Resumable": "1.0.0"}
STREAM = "application/offset+octet-stream"


def photo_with_location() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (55.0, 53.0, 0.0), 3: "W", 4: (3.0, 4.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def slot_for(data: bytes, media_type: str = "image/jpeg") -> dict:
    return {"id": str(uuid.uuid4()), "question_id": "photos",
            "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
            "filename": "IMG_0001.jpg", "media_type": media_type}


def send_request_with(device: Device, *slots: dict) -> str:
    sent = mutation(1, body=payload(tree_answers([s["id"] for s in slots]),
                                    journey="tree-enquiry"), attachments=list(slots))
    result = device.results(sent)[0]
    assert result["status"] == "applied", result
    assert result["attachments_pending"] == sorted(s["id"] for s in slots) or \
        set(result["attachments_pending"]) == {s["id"] for s in slots}
    return str(sent["id"])


def metadata(slot: dict, request_id: str) -> str:
    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()
    return f"attachment_id {b64(slot['id'])},request_id {b64(request_id)},filename " \
           f"{b64(slot['filename'])}"


def create(device: Device, slot: dict, request_id: str, length: int | None = None):
    return device.http.post("/sync/v1/uploads", headers={
        **device.auth, **TUS, "Upload-Length": str(slot["size"] if length is None else length),
        "Upload-Metadata": metadata(slot, request_id)})


def patch(device: Device, url: str, offset: int, data: bytes, **headers: str):
    return device.http.patch(url, content=data, headers={
        **device.auth, **TUS, "Content-Type": STREAM, "Upload-Offset": str(offset), **headers})


def head(device: Device, url: str):
    return device.http.head(url, headers={**device.auth, **TUS})


@pytest.fixture
def device(client):
    return Device(client)


def test_upload_in_chunks_fills_the_slot_and_strips_the_location(device, store, client,
                                                                 settings):
    data = photo_with_location()
    assert b"Exif" in data
    slot = slot_for(data)
    request_id = send_request_with(device, slot)
    track = tracking_url(store, settings, request_id).removeprefix(settings.origin)
    assert "Incomplete" in client.get(track).text
    assert store.read_sync(sync_slots.is_incomplete, request_id)

    created = create(device, slot, request_id)
    assert created.status_code == 201 and created.headers["upload-expires"]
    url = created.headers["location"]
    offset = 0
    for start in range(0, len(data), 1000):
        part = data[start:start + 1000]
        digest = base64.b64encode(hashlib.sha256(part).digest()).decode()
        answer = patch(device, url, offset, part, **{"Upload-Checksum": f"sha256 {digest}"})
        assert answer.status_code == 204, answer.text
        offset = int(answer.headers["upload-offset"])
        assert offset == min(start + 1000, len(data))
        assert head(device, url).headers["upload-offset"] == str(offset)

    assert not store.read_sync(sync_slots.is_incomplete, request_id)
    assert "Incomplete" not in client.get(track).text
    files = store.read_sync(queries.request_files, request_id)
    assert [(f.id, f.media_type) for f in files] == [(slot["id"], "image/jpeg")]
    kept = store.read_sync(queries.file_data, slot["id"])
    assert b"Exif" not in kept and b"PhoneMaker" not in kept
    assert not Image.open(io.BytesIO(kept)).getexif()


def test_checksum_mismatch_is_460_and_nothing_is_kept(device):
    data = photo_with_location()
    slot = slot_for(data)
    url = create(device, slot, send_request_with(device, slot)).headers["location"]
    wrong = base64.b64encode(hashlib.sha1(b"other bytes").digest()).decode()
    answer = patch(device, url, 0, data, **{"Upload-Checksum": f"sha1 {wrong}"})
    assert answer.status_code == 460 and answer.json()["error"] == "checksum_mismatch"
    assert head(device, url).headers["upload-offset"] == "0"
    unknown = patch(device, url, 0, data, **{"Upload-Checksum": "md5 AAAA"})
    assert unknown.status_code == 400 and unknown.json()["error"] == "checksum_algorithm"


def test_wrong_offset_is_409_and_the_offset_is_unchanged(device):
    data = photo_with_location()
    slot = slot_for(data)
    url = create(device, slot, send_request_with(device, slot)).headers["location"]
    assert patch(device, url, 0, data[:100]).status_code == 204
    assert patch(device, url, 0, data[:100]).status_code == 409
    assert patch(device, url, 500, data[500:600]).status_code == 409
    assert head(device, url).headers["upload-offset"] == "100"


def test_expired_upload_is_410_and_unknown_is_404(device, monkeypatch):
    data = photo_with_location()
    slot = slot_for(data)
    request_id = send_request_with(device, slot)
    monkeypatch.setattr(sync_uploads, "LIFETIME", timedelta(0))
    url = create(device, slot, request_id).headers["location"]
    assert head(device, url).status_code == 410
    gone = patch(device, url, 0, data)
    assert gone.status_code == 410 and gone.json()["error"] == "upload_expired"
    assert head(device, "/sync/v1/uploads/nothing-here").status_code == 404


def test_non_image_declared_as_image_is_refused_and_the_request_stays_incomplete(
        device, store):
    data = b"MZ\x90\x00 this is a program, not a photo" * 20
    slot = slot_for(data)
    request_id = send_request_with(device, slot)
    url = create(device, slot, request_id).headers["location"]
    answer = patch(device, url, 0, data)
    assert answer.status_code == 422 and answer.json()["error"] == "file_type"
    assert store.read_sync(sync_slots.is_incomplete, request_id)
    assert store.read_sync(queries.request_files, request_id) == []


def test_bytes_that_are_not_the_declared_file_are_refused(device, store):
    data = photo_with_location()
    slot = slot_for(data)
    request_id = send_request_with(device, slot)
    url = create(device, slot, request_id).headers["location"]
    other = bytearray(data)
    other[-3] ^= 0xFF
    answer = patch(device, url, 0, bytes(other))
    assert answer.status_code == 422 and answer.json()["error"] == "sha256_mismatch"
    assert store.read_sync(sync_slots.is_incomplete, request_id)


def test_slots_belong_to_the_client_and_request_that_declared_them(device, client):
    data = photo_with_location()
    slot = slot_for(data)
    request_id = send_request_with(device, slot)
    stranger = Device(client)
    assert create(stranger, slot, request_id).status_code == 404
    assert create(device, slot, str(uuid.uuid4())).status_code == 404
    mismatch = create(device, slot, request_id, length=len(data) + 1)
    assert mismatch.status_code == 400 and mismatch.json()["error"] == "length_mismatch"
    too_big = create(device, slot, request_id, length=30 * 1024 * 1024)
    assert too_big.status_code == 413
    url = create(device, slot, request_id).headers["location"]
    assert patch(stranger, url, 0, data).status_code == 404
    assert patch(device, url, 0, data).status_code == 204
    assert create(device, slot, request_id).status_code == 409  # slot already filled


def test_tus_headers_are_required_and_options_describe_the_server(device, client):
    options = client.options("/sync/v1/uploads")
    assert options.status_code == 204
    assert options.headers["tus-extension"] == "creation,checksum,expiration"
    assert options.headers["tus-checksum-algorithm"] == "sha1,sha256"
    assert options.headers["tus-max-size"] == str(20 * 1024 * 1024)
    data = photo_with_location()
    slot = slot_for(data)
    request_id = send_request_with(device, slot)
    no_tus = client.post("/sync/v1/uploads", headers={
        **device.auth, "Upload-Length": str(len(data)),
        "Upload-Metadata": metadata(slot, request_id)})
    assert no_tus.status_code == 412
    url = create(device, slot, request_id).headers["location"]
    wrong_type = patch(device, url, 0, data, **{"Content-Type": "image/jpeg"})
    assert wrong_type.status_code == 415


def test_staff_inbox_and_request_page_show_incomplete_until_the_file_arrives(
        device, store, settings):
    from starlette.testclient import TestClient

    from tests.passkey_authenticator import sign_in_with_new_passkey, staff_id
    data = photo_with_location()
    slot = slot_for(data)
    request_id = send_request_with(device, slot)
    with TestClient(device.http.app, base_url=settings.origin) as officer:
        sign_in_with_new_passkey(officer, store, settings.origin, "staff",
                                 staff_id(store, "planning.officer@midlothian.example"))
        assert "Incomplete" in officer.get("/staff/inbox").text
        assert "Incomplete" in officer.get(f"/staff/requests/{request_id}").text
        url = create(device, slot, request_id).headers["location"]
        assert patch(device, url, 0, data).status_code == 204
        assert "Incomplete" not in officer.get("/staff/inbox").text
        assert "Incomplete" not in officer.get(f"/staff/requests/{request_id}").text


def test_residents_own_request_page_shows_incomplete(device, store, settings):
    from starlette.testclient import TestClient

    from tests.passkey_authenticator import resident, sign_in_with_new_passkey
    slot = slot_for(photo_with_location())
    request_id = send_request_with(device, slot)  # contact email ann@example.com
    with TestClient(device.http.app, base_url=settings.origin) as ann:
        sign_in_with_new_passkey(ann, store, settings.origin, "resident",
                                 resident(store, "ann@example.com"))
        page = ann.get(f"/account/requests/{request_id}")
        assert page.status_code == 200 and "Incomplete" in page.text


@pytest.mark.parametrize("size, refused", [(10 * 1024 * 1024, False),
                                           (10 * 1024 * 1024 + 1, True),
                                           (25 * 1024 * 1024, True)])
def test_a_declared_file_over_the_questions_limit_is_refused_as_the_web_form_does(
        device, size, refused):
    """The form's 10MB, as on the web and offline (not the 20 MB an upload may be)."""
    slot = {**slot_for(b"x"), "size": size}
    sent = mutation(1, body=payload(tree_answers([slot["id"]]), journey="tree-enquiry"),
                    attachments=[slot])
    [result] = device.results(sent)
    if not refused:
        assert result["status"] == "applied", result
        return
    assert result["status"] == "rejected"
    assert result["errors"] == [{"field": "photos",
                                 "message": "The selected file must be smaller than 10MB"}]


def test_an_image_with_too_many_pixels_is_refused_with_its_reason(device, store):
    """A 300 KB PNG of 8900 x 8900 was decoded whole (issue 10)."""
    out = io.BytesIO()
    Image.new("1", (8900, 8900)).save(out, "PNG")
    data = out.getvalue()
    slot = slot_for(data, "image/png")
    request_id = send_request_with(device, slot)
    url = create(device, slot, request_id).headers["location"]
    answer = patch(device, url, 0, data)
    assert answer.status_code == 422 and answer.json()["error"] == "file_pixels"
    assert "too many pixels" in answer.json()["message"]
    assert store.read_sync(sync_slots.is_incomplete, request_id)
    assert store.read_sync(queries.request_files, request_id) == []
