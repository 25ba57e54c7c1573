from babel.support import Translations

from server import i18n


def test_choice_then_browser_then_english():
    assert i18n.negotiate("gd", "pl,en;q=0.5") == "gd"
    assert i18n.negotiate(None, "fr-FR, pl;q=0.8, en;q=0.5") == "pl"
    assert i18n.negotiate(None, "uk-UA") == "uk"
    assert i18n.negotiate("xx", "fr") == "en"
    assert i18n.negotiate(None, "ar;q=0, pl;q=0.1") == "pl"  # q=0 means "not this"
    assert i18n.negotiate(None, ";;;,,q=abc") == "en"


def test_broken_translation_falls_back_to_english_instead_of_failing(monkeypatch, caplog):
    """Regression: a translation with a wrong placeholder raised KeyError: a 500 page."""
    broken = Translations()
    broken._catalog = {"Call %(phone)s": "Cuir fòn gu %(fon)s"}
    monkeypatch.setattr(i18n, "translations", lambda code: broken)
    text = i18n.Gettext("gd", autoescape=True)
    assert text.gettext("Call %(phone)s", phone="999") == "Call 999"
    assert "broken gd translation" in caplog.text


def test_language_switch_sets_the_cookie_and_only_redirects_locally(client):
    r = client.get("/language/pl?next=/help", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/help"
    assert "tolbooth_lang=pl" in r.headers["set-cookie"]
    for hostile in ("//evil.example", "https://evil.example", "/\\\\evil.example"):
        r = client.get(f"/language/pl?next={hostile}", follow_redirects=False)
        assert r.headers["location"] == "/"
    assert client.get("/language/xx", follow_redirects=False).status_code == 404


def test_page_is_served_in_the_chosen_language(client):
    client.cookies.set("tolbooth_lang", "ar")
    html = client.get("/").text
    assert '<html lang="ar" dir="rtl">' in html
    assert 'hreflang="gd"' in html and 'lang="gd"' in html and "Gàidhlig" in html


def test_language_links_keep_the_query_so_search_results_survive(client):
    """The audit found the switcher dropping ?q= (and htmx swaps leaving it stale)."""
    page = client.get("/services?q=noise")
    assert 'href="/language/gd?next=/services%3Fq%3Dnoise"' in page.text
    assert client.get("/language/gd?next=/services%3Fq%3Dnoise",
                      follow_redirects=False).headers["location"] == "/services?q=noise"
