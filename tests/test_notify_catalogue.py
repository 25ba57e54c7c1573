"""Every text message in every language, measured in GSM 03.38 fragments: the report is
printed (pytest -s, or read it in the failure), and a text over its language's budget
fails. English and Gaelic fit one 160-character fragment (Gaelic only while its texts
keep to the lower-case accents À È Ì Ò Ù would turn them into 70-character Unicode);
Polish, Ukrainian and Arabic need Unicode whatever the words, so their budget is three
fragments. Measured with the longest date, status and a real council address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from server import i18n
from server.casework.status import STATUS
from server.db.notify_outbox import Claimed
from server.forms.registry import FormRegistry
from server.notify.compose import TEMPLATES, compose
from server.notify.sms_length import measure
from tests.support import make_settings

BUDGET = {"en": 1, "gd": 1, "pl": 3, "uk": 3, "ar": 3}
GSM_ONLY = {"en", "gd"}
SMS_TEMPLATES = ("acknowledgement", "status_changed", "information_requested", "closed",
                 "message")
ORIGIN = "https://www.midlothian.gov.uk"


def notice(template: str, code: str, created: datetime, status: str | None) -> Claimed:
    return Claimed(
        id="6f1c2d3e-0000-4000-8000-000000000000", channel="sms", recipient="+447912345678",
        template=template, locale=code, request_id="3b0d6f4e-1111-4111-8111-111111111111",
        event_id=1, params={}, attempts=0, created_at="", send_before=None, stopped=False,
        unreachable=False, reference="MLC-7K3P-Q9XD", journey="noise-complaint",
        form_version=1, service="environmental-health",
        request_created_at=created.isoformat().replace("+00:00", "Z"), event_status=status,
        event_message="We will visit on Monday.", tracking_public_id="0" * 32)


def longest_text(settings, forms, template: str, code: str) -> str:
    """The longest this text gets: every status, arrivals through a whole year."""
    statuses = list(STATUS) if template == "status_changed" else [None]
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    texts = [compose(settings, forms, notice(template, code, start + timedelta(days=d), s)).sms
             for d in range(0, 365, 5) for s in statuses]
    return max(texts, key=lambda t: (measure(t).fragments, measure(t).units))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("sms") / "data", TOLBOOTH_ORIGIN=ORIGIN)
    forms = FormRegistry()
    rows = {(t, c): longest_text(settings, forms, t, c)
            for t in SMS_TEMPLATES for c in i18n.OFFERED_CODES}
    lines = [f"{'template':<22} {'lang':<4} {'encoding':<6} {'units':>5} {'frags':>5}"]
    for (template, code), text in rows.items():
        length = measure(text)
        outside = f"  {length.outside_gsm}" if code in GSM_ONLY else ""
        lines.append(f"{template:<22} {code:<4} {length.encoding:<6} {length.units:>5} "
                     f"{length.fragments:>5}{outside}")
    print("\nText message fragments per language (longest case):\n" + "\n".join(lines))
    return rows, "\n".join(lines)


@pytest.mark.parametrize("code", i18n.OFFERED_CODES)
def test_every_text_is_within_its_languages_budget(report, code):
    rows, table = report
    over = [f"{t}: {measure(text)}\n  {text}" for (t, c), text in rows.items()
            if c == code and measure(text).fragments > BUDGET[code]]
    assert not over, f"over {BUDGET[code]} fragment(s) in {code}:\n" + "\n".join(over) + (
        "\n\n" + table)


@pytest.mark.parametrize("code", sorted(GSM_ONLY))
def test_gsm_languages_stay_in_the_gsm_alphabet(report, code):
    """À È Ì Ò Ù (capitals: the GSM alphabet has only É) would cost a Gaelic text 70
    characters a fragment: write the lower-case form, or another word."""
    rows, _table = report
    outside = {t: measure(text).outside_gsm for (t, c), text in rows.items() if c == code}
    assert not any(outside.values()), outside


def test_the_count_knows_gsm_from_unicode():
    assert measure("a" * 160).fragments == 1 and measure("a" * 161).fragments == 2
    assert measure("a" * 306).fragments == 2 and measure("a" * 307).fragments == 3
    assert measure("[" * 80).units == 160  # the extension table counts twice
    assert measure("ò" * 160).encoding == "GSM"  # lower-case Gaelic accents are GSM
    capital = measure("Ò" + "a" * 69)
    assert (capital.encoding, capital.fragments, capital.outside_gsm) == ("UCS-2", 1, "Ò")
    assert measure("Ò" + "a" * 70).fragments == 2  # 71 UCS-2 characters: 67 a fragment
    assert measure("ł" * 134).fragments == 2 and measure("ł" * 135).fragments == 3
    assert measure("😀" * 35).units == 70  # UTF-16 units: an emoji is two


def test_every_template_composes_in_every_language(tmp_path: Path):
    """Each template's words come from the catalogues in each language, without falling
    back to English where a translation exists."""
    settings = make_settings(tmp_path / "data", TOLBOOTH_ORIGIN=ORIGIN)
    forms = FormRegistry()
    created = datetime(2026, 3, 2, 10, tzinfo=UTC)
    for template, spec in TEMPLATES.items():
        if not spec.update:
            continue
        english = compose(settings, forms, notice(template, "en", created, "in_progress"))
        for code in i18n.OFFERED_CODES:
            if code == "en":
                continue
            words = compose(settings, forms, notice(template, code, created, "in_progress"))
            assert words.subject != english.subject and words.sms != english.sms, (template,
                                                                                   code)
