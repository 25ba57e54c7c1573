import io

import pytest
from PIL import Image

from server.journeys.files import UploadRejected, clean_upload

GPS_TAG = 0x8825


def photo_with_location(fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # orientation: rotated 90°
    exif.get_ifd(GPS_TAG).update({1: "N", 2: (55.0, 53.0, 40.0), 3: "W", 4: (3.0, 4.0, 5.0)})
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def test_exif_location_is_removed_from_a_jpeg():
    original = photo_with_location()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_TAG)  # the test can fail
    cleaned = clean_upload("IMG_0001.JPG", original)
    image = Image.open(io.BytesIO(cleaned.data))
    assert not image.getexif()
    assert b"PhoneMaker" not in cleaned.data
    assert cleaned.media_type == "image/jpeg" and cleaned.filename == "IMG_0001.jpg"


def test_photo_is_turned_upright_before_its_orientation_tag_is_dropped():
    cleaned = clean_upload("p.jpg", photo_with_location())
    assert Image.open(io.BytesIO(cleaned.data)).size == (48, 64)


def test_png_metadata_is_removed():
    cleaned = clean_upload("x.png", photo_with_location("PNG"))
    assert cleaned.media_type == "image/png"
    assert not Image.open(io.BytesIO(cleaned.data)).getexif()


@pytest.mark.parametrize("name, data", [
    ("holiday.jpg", b"MZ\x90\x00 this is really a program"),
    ("holiday.jpg", b"<html><script>alert(1)</script></html>"),
    ("scan.pdf", b"not a pdf at all"),
    ("truncated.pdf", b"%PDF-1.7\n1 0 obj\n"),
    ("photo.jpg", photo_with_location()[:200]),
    ("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
])
def test_files_are_checked_by_content_not_name(name, data):
    with pytest.raises(UploadRejected) as caught:
        clean_upload(name, data)
    assert caught.value.key == "type"
    assert "JPG, PNG, WebP or PDF" in caught.value.message


def test_pdf_is_accepted_by_content():
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    cleaned = clean_upload("../../etc/Plan<script>.pdf", pdf)
    assert cleaned.media_type == "application/pdf" and cleaned.data == pdf
    assert cleaned.filename == "Planscript.pdf"


def test_size_and_empty_limits():
    with pytest.raises(UploadRejected, match="smaller than 10MB"):
        clean_upload("big.jpg", b"x" * 11, max_bytes=10)
    with pytest.raises(UploadRejected) as caught:
        clean_upload("empty.jpg", b"")
    assert caught.value.key == "empty"


def test_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (10000, 10000)).save(out, "PNG")
    with pytest.raises(UploadRejected):
        clean_upload("bomb.png", out.getvalue())


def test_a_web_upload_between_10mb_and_the_body_limit_gets_the_size_error(client):
    """Answered 500: the size error was made without its %(max)s (issue 9)."""
    from tests.support import ORIGIN, csrf
    url = "/services/food-safety-complaint/photos"
    token = csrf(client.get(url).text)
    big = b"\xff\xd8\xff" + b"\0" * (11 * 1024 * 1024)  # under the 12 MiB body limit
    response = client.post(url, data={"csrf_token": token}, headers={"Origin": ORIGIN},
                           files={"photos": ("big.jpg", big, "image/jpeg")})
    assert response.status_code == 200
    assert "The selected file must be smaller than 10MB" in response.text
    assert 'href="#photos"' in response.text  # in the error summary, linked to the field
