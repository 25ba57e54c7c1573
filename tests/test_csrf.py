"""Every state-changing request needs a valid token and, from a browser, our origin."""

import re

import pytest
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

from server.web.csrf import EXEMPT_PREFIXES, csrf_token

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def form_app(app):
    async def form(request):
        return HTMLResponse(f'<input name="csrf_token" value="{csrf_token(request)}">')

    async def change(request):
        form = await request.form()
        return PlainTextResponse(f"changed:{form.get('thing', '')}")

    app.add_route("/form", form)
    app.add_route("/change", change, methods=["POST", "PUT", "DELETE"])
    return app


def token_from(client):
    return re.search(r'value="([^"]+)"', client.get("/form").text).group(1)


def test_post_with_token_and_our_origin_is_accepted(form_app, client, settings):
    token = token_from(client)
    r = client.post("/change", data={"csrf_token": token, "thing": "x"},
                    headers={"Origin": settings.origin})
    assert r.status_code == 200 and r.text == "changed:x"


def test_post_without_token_is_refused(form_app, client, settings):
    token_from(client)
    r = client.post("/change", data={"thing": "x"}, headers={"Origin": settings.origin})
    assert r.status_code == 403
    assert "This form has expired" in r.text


def test_post_with_wrong_token_is_refused(form_app, client, settings):
    token_from(client)
    r = client.post("/change", data={"csrf_token": "guess", "thing": "x"},
                    headers={"Origin": settings.origin})
    assert r.status_code == 403


def test_token_from_another_session_is_refused(form_app, client, app, settings):
    from starlette.testclient import TestClient
    with TestClient(app, base_url=settings.origin) as other:
        stolen = token_from(other)
    token_from(client)
    r = client.post("/change", data={"csrf_token": stolen}, headers={"Origin": settings.origin})
    assert r.status_code == 403


def test_post_from_another_origin_is_refused_even_with_token(form_app, client):
    token = token_from(client)
    r = client.post("/change", data={"csrf_token": token},
                    headers={"Origin": "https://evil.example"})
    assert r.status_code == 403


def test_referer_from_another_site_is_refused(form_app, client):
    token = token_from(client)
    r = client.post("/change", data={"csrf_token": token},
                    headers={"Referer": "http://localhost:8000.evil.example/page"})
    assert r.status_code == 403


def test_header_token_works_for_htmx(form_app, client, settings):
    token = token_from(client)
    r = client.put("/change", headers={"X-CSRF-Token": token, "Origin": settings.origin})
    assert r.status_code == 200


def test_multipart_form_token_is_found(form_app, client, settings):
    token = token_from(client)
    r = client.post("/change", data={"csrf_token": token, "thing": "y"},
                    files={"photo": ("a.jpg", b"\xff\xd8data", "image/jpeg")},
                    headers={"Origin": settings.origin})
    assert r.status_code == 200 and r.text == "changed:y"


def test_oversized_body_is_refused_before_the_handler(form_app, client, settings):
    token = token_from(client)
    big = "x" * (settings.max_body_bytes + 1)
    r = client.post("/change", data={"csrf_token": token, "thing": big},
                    headers={"Origin": settings.origin})
    assert r.status_code == 413


def test_refusal_is_json_for_json_clients(form_app, client, settings):
    r = client.post("/change", headers={"Accept": "application/json", "Origin": settings.origin})
    assert r.status_code == 403
    assert r.json()["error"] == "csrf_failed"


def test_every_state_changing_route_is_protected(form_app, client, settings):
    """Walks the real route table: a new POST route is covered without being listed."""
    token_from(client)
    checked = 0
    for route in form_app.routes:
        if not isinstance(route, Route) or route.path.startswith(EXEMPT_PREFIXES):
            continue
        for method in (route.methods or set()) & UNSAFE:
            path = re.sub(r"\{[^}]+\}", "x", route.path)
            r = client.request(method, path, headers={"Origin": settings.origin})
            assert r.status_code == 403, f"{method} {route.path} accepted a request without token"
            checked += 1
    assert checked >= 1


def test_each_render_carries_a_new_masking_of_the_token_and_both_work(form_app, client,
                                                                      settings):
    """BREACH (issue 10): a token that repeats on every compressed page beside reflected
    input can be read a byte at a time from response sizes. Masked per response, it
    never repeats."""
    first, second = token_from(client), token_from(client)
    assert first != second
    for token in (first, second, first):
        r = client.post("/change", data={"csrf_token": token, "thing": "x"},
                        headers={"Origin": settings.origin})
        assert r.status_code == 200
    r = client.put("/change", headers={"X-CSRF-Token": second, "Origin": settings.origin})
    assert r.status_code == 200


def test_the_bare_session_token_is_refused(form_app, client, settings):
    import base64
    import secrets

    from server.web.csrf import SESSION_KEY, mask, unmask
    token_from(client)

    async def session_token(request):
        return PlainTextResponse(request.session[SESSION_KEY])
    form_app.add_route("/bare", session_token)
    bare = client.get("/bare").text
    assert unmask(mask(bare)) == bare.encode()
    for refused in (bare, mask(bare)[:-2], mask("another-token-of-the-same-length-xxxxxxxxxx"),
                    base64.urlsafe_b64encode(secrets.token_bytes(86)).decode(), "", "%%%"):
        r = client.post("/change", data={"csrf_token": refused},
                        headers={"Origin": settings.origin})
        assert r.status_code == 403, refused
