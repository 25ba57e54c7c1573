"""Issue 15, "officers cannot see what was sent": every journey's answers reach the
officer and the resident exactly as check your answers showed them (labels, order,
formatted values, files), never as codes or raw data; and every route that sends a
stored file sends it one way (attachment, nosniff, sandboxed), to whom may have it."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from starlette.routing import Route

from server.db import attachments as attachments_db
from server.db import audit
from server.db import requests as requests_db
from server.forms.conditions import is_met
from server.forms.registry import FormRegistry
from server.web.downloads import SANDBOX
from tests.journey_answers import CONTACT, page_fields
from tests.passkey_authenticator import make_request, sign_in_with_new_passkey, staff_id
from tests.support import csrf, tracking_token

ORIGIN = "http://localhost:8000"
JOURNEYS = [j.journey for j in FormRegistry().journeys()]
PHONE_CONTACT = {"name": "Morag MacLeod", "how": "phone", "phone": "07912345678"}
ADMIN = "admin@midlothian.example"
PLANNER = "planning.officer@midlothian.example"
SOCIAL = "sw.officer@midlothian.example"
REFERENCE = re.compile(r"\bMLC-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}\b")


def photo(size: tuple[int, int] = (900, 600), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128)).save(
        out, "JPEG" if mode == "RGB" else "PNG")
    return out.getvalue()


def post(client: Any, path: str, data: dict[str, Any], page: str, files: Any = None) -> Any:
    return client.post(path, data={"csrf_token": csrf(client.get(page).text), **data},
                       files=files, headers={"Origin": ORIGIN}, follow_redirects=False)


def send(client: Any, app: Any, slug: str, contact: dict[str, str] = CONTACT) -> str:
    """Walk a journey (a photo on every file question shown), keep check your answers'
    rows, send; return (the request's id, those rows)."""
    journey = app.state.forms.latest(slug)
    chosen: dict[str, Any] = {}
    url = f"/services/{slug}/{journey.pages[0].id}"
    for _ in range(40):
        page_id = url.rsplit("/", 1)[1]
        if page_id == "check":
            break
        page = client.get(url)
        files = None
        if page_id == "contact":
            data: dict[str, Any] = dict(contact)
        else:
            shown = next(p for p in journey.pages if p.id == page_id)
            data = page_fields(shown, chosen)
            files = [(q.id, ("Back garden.jpg", photo(), "image/jpeg"))
                     for q in shown.questions
                     if q.type == "file" and (q.show_if is None or is_met(q.show_if, chosen))]
        r = client.post(url, data={**data, "csrf_token": csrf(page.text)}, files=files or None,
                        headers={"Origin": ORIGIN}, follow_redirects=False)
        assert r.status_code == 303, (url, r.text[:2000])
        url = r.headers["location"]
    check = client.get(f"/services/{slug}/check").text
    submission = re.search(r'name="submission_id" value="([^"]+)"', check).group(1)
    r = post(client, f"/services/{slug}/check", {"submission_id": submission},
             f"/services/{slug}/check")
    assert r.status_code == 303
    return submission, rows(check, "key-")


def rows(html: str, prefix: str) -> list[tuple[str, list[str]]]:
    """(label, what is shown) of each summary row whose key id starts with `prefix`."""
    found = []
    for item in html.split('<li class="ds_summary-list__item">')[1:]:
        key = re.search(rf'id="{prefix}[^"]+">([^<]*)<', item)
        if key is None:
            continue
        item = re.sub(r'<a [^>]*href="tel:[^"]*">([^<]*)</a>', r"\1", item)  # tel: links
        shown = re.findall(r'<q class="ds_summary-list__answer" dir="auto">([^<]*)</q>'
                           r'|<span class="tb-files__name" dir="auto">([^<]*)</span>'
                           r'|<span class="ds_summary-list__answer">([^<]*)</span>', item)
        found.append((unescape(key.group(1)), [unescape("".join(s)) for s in shown]))
    return found


def as_staff(client: Any, store: Any, settings: Any, email: str) -> Any:
    sign_in_with_new_passkey(client, store, settings.origin, "staff", staff_id(store, email))
    return client


@pytest.mark.parametrize("slug", JOURNEYS)
def test_officer_and_resident_see_what_was_sent_as_check_your_answers_showed_it(
        world, slug):
    # Only social work may read a social work record (admins neither, issue 10).
    reader = SOCIAL if world.app.state.forms.latest(slug).special_category else ADMIN
    resident, officer = world.client(), as_staff(world.client(), world.store,
                                                 world.settings, reader)
    contact = PHONE_CONTACT if slug == "noise-complaint" else CONTACT
    request_id, checked = send(resident, world.app, slug, contact)
    assert checked and checked[-1][0] in ("Email address", "UK phone number")
    staff_page = officer.get(f"/staff/requests/{request_id}").text
    token = tracking_token(world.store, world.settings, request_id)
    track_page = resident.get(f"/track/{token}").text
    for page in (staff_page, track_page):
        assert rows(page, "sent-") == checked
        assert "{&#39;" not in page and "&#39;line1&#39;" not in page  # no raw data
    journey = world.app.state.forms.latest(slug)
    for q in journey.questions:  # labels, never internal question ids
        assert f'id="sent-{q.id}">{q.id}<' not in staff_page


def test_formatted_values_reach_the_officer(world):
    resident, officer = world.client(), as_staff(world.client(), world.store,
                                                 world.settings, ADMIN)
    request_id, _rows = send(resident, world.app, "noise-complaint", PHONE_CONTACT)
    shown = dict(rows(officer.get(f"/staff/requests/{request_id}").text, "sent-"))
    assert shown["UK phone number"] == ["07912 345678"]
    stored = world.store.read_sync(requests_db.by_id, request_id)
    assert stored.contact_phone == "+447912345678"
    addresses = [v for v in shown.values() if "EH22 1AE" in v]
    assert addresses == [["2 White Hart Street", "Dalkeith", "EH22 1AE"]]
    assert any(v == ["3 November 2026"] for v in shown.values())


# --- serving stored files ---------------------------------------------------------------

FILE_ROUTES = ("/staff/requests/{request_id}/files/{file_id}/{variant}",
               "/track/{token}/files/{file_id}/{variant}")
POLYGLOT = (b"%PDF-1.4\n<html><script>alert(document.domain)</script></html>\n"
            b"1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def test_every_route_that_sends_a_stored_file_is_checked_here(app):
    served = {r.path for r in app.routes if isinstance(r, Route) and "{variant}" in r.path}
    assert served == set(FILE_ROUTES)


# Readers of a stored file's bytes, and what each may do with them (issue 10: every path
# that serves a stored file must send it through web/downloads.py).
BYTE_READERS = {"file_data", "file_content", "uploads.data", "attachments.thumbnail",
                "attachments_db.thumbnail"}
MAY_READ_BYTES = {"server/casework/files.py": "makes previews and hands files to handlers",
                  "server/journeys/sync_files.py": "checks an upload, never sends it"}


def test_stored_file_bytes_leave_only_through_stored_file():
    root = Path(__file__).resolve().parent.parent
    readers = {}
    for path in sorted((root / "server").rglob("*.py")):
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        if name.startswith("server/db/") or name in MAY_READ_BYTES:
            continue
        if any(re.search(rf"\b{re.escape(r)}\b", text) for r in BYTE_READERS):
            readers[name] = "stored_file(" in text and "Response(" not in text
    assert readers == {"server/handlers/public/track_files.py": True,
                       "server/handlers/staff/files.py": True}


def _attach(store: Any, request_id: str, name: str, data: bytes, media_type: str) -> str:
    def add(db: Any) -> str:
        event = requests_db.add_event(db, request_id, "information_added", None, True, None,
                                      "resident")
        return attachments_db.add_request_file(db, request_id, "tree-enquiry", name,
                                               media_type, data, event).id
    return store.write_sync(add)


@pytest.mark.parametrize("route", FILE_ROUTES)
def test_stored_files_are_sent_as_sandboxed_attachments(world, route):
    store, settings = world.store, world.settings
    request_id = make_request(store, "planning", "a@example.com", "tree-enquiry")
    image = _attach(store, request_id, "Tree – ŵ.jpg", photo(), "image/jpeg")
    pdf = _attach(store, request_id, 'plan"; x=.pdf', POLYGLOT, "application/pdf")
    client = world.client()
    if route.startswith("/staff"):
        as_staff(client, store, settings, PLANNER)
    base = route.format(request_id=request_id, token=tracking_token(store, settings, request_id),
                        file_id="{file_id}", variant="{variant}")
    for file_id, variant, media_type in ((image, "download", "image/jpeg"),
                                         (image, "thumbnail", "image/jpeg"),
                                         (pdf, "download", "application/pdf")):
        r = client.get(base.format(file_id=file_id, variant=variant))
        assert r.status_code == 200, (file_id, variant)
        assert r.headers["content-type"] == media_type
        assert r.headers["content-disposition"].startswith("attachment; filename=\"")
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["content-security-policy"] == SANDBOX
        assert "no-store" in r.headers["cache-control"]
    # The name cannot break out of the header; the real one rides in filename*.
    r = client.get(base.format(file_id=pdf, variant="download"))
    assert r.content == POLYGLOT
    assert r.headers["content-disposition"] == (
        "attachment; filename=\"plan x_.pdf\"; filename*=UTF-8''plan%20x%3D.pdf")
    r = client.get(base.format(file_id=image, variant="download"))
    assert "filename*=UTF-8''Tree%20%E2%80%93%20%C5%B5.jpg" in r.headers["content-disposition"]
    # Previews: small JPEGs, made once and kept.
    preview = Image.open(io.BytesIO(client.get(base.format(file_id=image,
                                                           variant="thumbnail")).content))
    assert preview.format == "JPEG" and max(preview.size) <= 320
    assert store.read_sync(attachments_db.thumbnail, image) is not None
    # A PDF has no preview; anything else is not found.
    for file_id, variant in ((pdf, "thumbnail"), (image, "inline"), ("../etc", "download"),
                             ("00000000-0000-4000-8000-000000000000", "download")):
        assert client.get(base.format(file_id=file_id, variant=variant)).status_code == 404


def test_a_preview_of_a_file_stored_with_metadata_keeps_none_of_it(world):
    """Files stored before uploads were rewritten from pixels kept a JPEG comment, and
    convert() handed it on to the preview (issue 10)."""
    from tests.test_uploads import SECRET, crafted_jpeg, jpeg_segments
    store, settings = world.store, world.settings
    request_id = make_request(store, "planning", "a@example.com", "tree-enquiry")
    old = _attach(store, request_id, "old.jpg", crafted_jpeg(), "image/jpeg")
    base = f"/track/{tracking_token(store, settings, request_id)}/files/{old}"
    preview = world.client().get(f"{base}/thumbnail").content
    assert SECRET not in preview
    assert not {0xFE, 0xE1, 0xE2, 0xED} & set(jpeg_segments(preview))


def test_a_file_opens_only_through_its_own_request(world):
    store, settings = world.store, world.settings
    mine = make_request(store, "planning", "a@example.com", "tree-enquiry")
    theirs = make_request(store, "planning", "b@example.com", "tree-enquiry")
    their_photo = _attach(store, theirs, "theirs.jpg", photo(), "image/jpeg")
    client = world.client()
    token = tracking_token(store, settings, mine)
    assert client.get(f"/track/{token}/files/{their_photo}").status_code == 404
    assert client.get(f"/track/{token}/files/{their_photo}/download").status_code == 404
    as_staff(client, store, settings, PLANNER)
    assert client.get(f"/staff/requests/{mine}/files/{their_photo}/download"
                      ).status_code == 404


def test_special_category_files_are_kept_to_social_work_and_every_read_is_audited(world):
    store, settings = world.store, world.settings
    record = make_request(store, "social-work", "d@example.com", "adult-protection-concern",
                          special=True)
    file_id = _attach(store, record, "bruise.jpg", photo(), "image/jpeg")
    planner = as_staff(world.client(), store, settings, PLANNER)
    assert planner.get(f"/staff/requests/{record}/files/{file_id}/download"
                       ).status_code == 403
    social = as_staff(world.client(), store, settings, SOCIAL)
    assert social.get(f"/staff/requests/{record}/files/{file_id}").status_code == 200
    assert social.get(f"/staff/requests/{record}/files/{file_id}/thumbnail"
                      ).status_code == 200
    resident = world.client()
    token = tracking_token(store, settings, record)
    assert resident.get(f"/track/{token}/files/{file_id}/download").status_code == 200
    entries = [e for e in store.read_sync(audit.entries, 200)
               if e.subject == f"request:{record}" and e.detail.get("file") == file_id]
    actors = sorted((e.actor.split(":")[0], e.action) for e in entries)
    assert actors == [("resident", "read_special_category"),
                      ("staff", "read_refused"),
                      ("staff", "read_special_category"),
                      ("staff", "read_special_category")]


def test_the_full_view_shows_the_photo_and_a_separate_download(world):
    store, settings = world.store, world.settings
    request_id = make_request(store, "planning", "a@example.com", "tree-enquiry")
    file_id = _attach(store, request_id, "Oak.jpg", photo(), "image/jpeg")
    officer = as_staff(world.client(), store, settings, PLANNER)
    base = f"/staff/requests/{request_id}/files/{file_id}"
    page = officer.get(base).text
    assert f'<img class="tb-file-view__image" src="{base}/download"' in page
    assert f'href="{base}/download" download' in page and "<h1" in page and "Oak.jpg" in page
    request_page = officer.get(f"/staff/requests/{request_id}").text
    assert f'src="{base}/thumbnail"' in request_page and f'href="{base}"' in request_page
