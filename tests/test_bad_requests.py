"""Issue 10: a form body of more than 1,000 fields gave an unhandled 500, without the
security headers, and two tracebacks. Every malformed request gets a clear 4xx page with
the security headers, and no traceback; an error raised inside any middleware still gets
its page and its headers."""

from __future__ import annotations

import logging
import re

import pytest

from server.web.csrf import CsrfMiddleware
from tests.support import csrf

ORIGIN = {"Origin": "http://localhost:8000"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


def heading(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


@pytest.fixture
def token(client) -> str:
    return csrf(client.get("/feedback").text)


def many(n: int) -> str:
    return "&".join(f"f{i}=x" for i in range(n))


CASES = {
    "over 1,000 fields, token in the body": lambda c, t: c.post(
        "/feedback", content=f"csrf_token={t}&{many(1001)}", headers={**ORIGIN, **FORM}),
    "over 1,000 fields, token in the header": lambda c, t: c.post(
        "/feedback", content=many(1001), headers={**ORIGIN, **FORM, "X-CSRF-Token": t}),
    "over 1,000 multipart fields": lambda c, t: c.post(
        "/feedback", data={"csrf_token": t, **{f"f{i}": "x" for i in range(1001)}},
        files={"f": ("a.jpg", b"x", "image/jpeg")}, headers=ORIGIN),
    "over 1,000 files": lambda c, t: c.post(
        "/feedback", data={"csrf_token": t}, headers=ORIGIN,
        files=[("f", (f"{i}.jpg", b"x", "image/jpeg")) for i in range(1001)]),
    "multipart without a boundary": lambda c, t: c.post(
        "/feedback", content=b"abc", headers={**ORIGIN, "X-CSRF-Token": t,
                                              "content-type": "multipart/form-data"}),
}


@pytest.mark.parametrize("case", CASES)
def test_an_unreadable_form_gets_a_clear_400_page(client, token, caplog, case):
    with caplog.at_level(logging.WARNING):
        r = CASES[case](client, token)
    assert r.status_code == 400
    assert heading(r.text) == "We could not read the form you sent"
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert not [rec for rec in caplog.records if rec.exc_info], "a traceback was logged"


def test_a_form_part_over_its_size_gets_413(client, token):
    r = client.post("/feedback", data={"csrf_token": token, "comment": "x" * (1024 * 1024 + 1)},
                    files={"f": ("a.jpg", b"x", "image/jpeg")}, headers=ORIGIN)
    assert r.status_code == 413 and heading(r.text) == "What you sent is too large"
    assert "content-security-policy" in r.headers


@pytest.mark.parametrize("body", [
    b"satisfaction=satisfied&comment=%zz%FF%&csrf_token=",  # bad percent-encoding
    b"satisfaction=satisfied&comment=\xff\xfe\xfd&csrf_token=",  # not UTF-8
])
def test_odd_bytes_in_a_form_are_no_server_error(client, token, body):
    r = client.post("/feedback", content=body + token.encode(), headers={**ORIGIN, **FORM})
    assert r.status_code in (200, 400) and "content-security-policy" in r.headers


def test_a_broken_multipart_body_is_no_server_error(client, token):
    body = (b'--zz\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            + token.encode() + b"\r\n--zz\r\ngarbage with no end")
    r = client.post("/feedback", content=body,
                    headers={**ORIGIN, "content-type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 400 and "content-security-policy" in r.headers


def test_huge_headers_get_a_clear_431_page(client):
    r = client.get("/", headers={"X-Padding": "a" * 40_000})
    assert r.status_code == 431
    assert heading(r.text) == "Your browser sent too much with the request"
    assert "content-security-policy" in r.headers


def test_an_error_inside_a_middleware_gets_the_page_and_the_headers(client, token, caplog,
                                                                    monkeypatch):
    def broken(self, headers):
        raise RuntimeError("deliberate failure inside the CSRF middleware")
    monkeypatch.setattr(CsrfMiddleware, "_check_origin", broken)
    with caplog.at_level(logging.WARNING):
        r = client.post("/feedback", data={"csrf_token": token}, headers=ORIGIN)
    assert r.status_code == 500
    assert heading(r.text) == "Sorry, there is a problem with the service"
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert len([rec for rec in caplog.records if rec.exc_info]) == 1  # one traceback


def test_the_error_page_of_a_middleware_is_in_the_persons_language(client, token):
    r = client.post("/feedback", content=f"csrf_token={token}&{many(1001)}",
                    headers={**ORIGIN, **FORM, "Accept-Language": "pl"})
    assert r.status_code == 400 and 'lang="pl"' in r.text
    assert heading(r.text) != "We could not read the form you sent"


def test_the_error_pages_wrap_every_middleware_but_those_that_dress_them(app):
    """Outside the error pages only what gives an error page its address, log line,
    headers and language; a new middleware goes inside, where its errors get a page."""
    from server.errors import ErrorPagesMiddleware
    names = [m.cls.__name__ for m in app.user_middleware]
    outside = names[:names.index(ErrorPagesMiddleware.__name__)]
    assert outside == ["ClientAddressMiddleware", "AccessLogMiddleware",
                       "SecurityHeadersMiddleware", "LocaleMiddleware"]
    assert len(names) - len(outside) > 4
