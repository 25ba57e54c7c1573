import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "pwa" / "templates"


def test_every_page_sends_the_content_security_policy(client):
    for path in ("/", "/help", "/accessibility", "/privacy", "/no-such-page"):
        csp = client.get(path).headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "object-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "base-uri 'self'" in csp


def test_security_headers(client):
    headers = client.get("/").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "microphone=()" in headers["permissions-policy"]
    assert "strict-transport-security" not in headers  # plain http on localhost


def test_hsts_only_when_the_origin_is_https(make_app):
    with make_app(TOLBOOTH_ORIGIN="https://council.example").client() as c:
        assert "max-age=" in c.get("/").headers["strict-transport-security"]


def test_the_500_page_also_has_the_security_headers(app, client):
    def broken(request):
        raise RuntimeError("boom")
    app.add_route("/broken", broken)
    response = client.get("/broken")
    assert response.status_code == 500
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "Sorry, there is a problem with the service" in response.text
    assert "boom" not in response.text  # no internals shown to people


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    # A javascript: URL in any attribute (the words "needs JavaScript:" in text are fine).
    (re.compile(r"=\s*[\"']?\s*javascript:", re.I), "javascript: URL"),
    (re.compile(r"\s(data-)?hx-on", re.I), "hx-on (evaluated handler)"),
]


def test_no_template_contains_inline_script_or_style():
    templates = list(TEMPLATES.rglob("*.html"))
    assert templates
    problems = [f"{t.relative_to(ROOT)}: {what}" for t in templates
                for pattern, what in INLINE if pattern.search(t.read_text())]
    assert not problems, problems


def test_inline_check_catches_what_it_should():
    """The check above must be able to fail."""
    bad = ['<script>alert(1)</script>', '<style>p{}</style>', '<p style="x">',
           '<a onclick="x()">', '<button hx-on:click="x">']
    for sample in bad:
        assert any(p.search(sample) for p, _ in INLINE), sample
    assert not any(p.search('<script src="/static/x.js" defer></script>') for p, _ in INLINE)


def test_rendered_pages_have_no_inline_script(client):
    for path in ("/", "/help", "/accessibility", "/privacy", "/missing"):
        html = client.get(path).text
        for pattern, what in INLINE:
            assert not pattern.search(html), f"{path}: {what}"


def test_session_cookie_flags(app, client):
    async def with_form(request):
        from starlette.responses import PlainTextResponse

        from server.web.csrf import csrf_token
        return PlainTextResponse(csrf_token(request))
    app.add_route("/with-form", with_form)
    cookie = client.get("/with-form").headers["set-cookie"]
    assert "tolbooth_session=" in cookie
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()


def test_session_cookie_is_secure_on_https(make_app):
    from starlette.responses import PlainTextResponse

    from server.web.csrf import csrf_token
    built = make_app(TOLBOOTH_ORIGIN="https://council.example")
    built.app.add_route("/with-form", lambda r: PlainTextResponse(csrf_token(r)))
    with built.client() as c:
        assert "secure" in c.get("/with-form").headers["set-cookie"].lower()


def test_no_cookie_is_set_on_pages_without_forms(client):
    """Reading the site should not start a session."""
    assert "set-cookie" not in client.get("/").headers


def test_security_md_names_only_tests_that_exist():
    """SECURITY.md lists what is tested: each file and test it names must be there."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    text = (root / "SECURITY.md").read_text()
    named = 0
    for cell in re.findall(r"^\|[^|]+\|(.+)\|$", text, flags=re.M):
        current = None
        for ref in re.findall(r"`([^`]+)`", cell):
            file, _, test = ref.partition("::")
            if file.endswith(".py"):
                current = root / (file if file.startswith("tests/") else f"tests/{file}")
                assert current.exists(), ref
            elif file.endswith(".json"):
                assert (root / file).exists(), ref
                continue
            if test:
                assert current is not None, ref
                name = test.rstrip("`")
                assert f"def {name}" in current.read_text(), ref
                named += 1
    assert named >= 15
