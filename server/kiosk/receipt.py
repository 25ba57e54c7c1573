"""A kiosk receipt's QR code: the tracking page, with the reference (or the local receipt
code) filled in, to open on the person's own phone."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import phonenumbers
import segno

from server.db.kiosk_sealed import normalise_receipt
from server.forms.formats import email_address, normalise_uk_phone
from server.forms.references import normalise_reference


def receipt_code(typed: str, prefix: str) -> str | None:
    """A reference or a local receipt code, normalised; None for anything else."""
    return normalise_reference(typed, prefix) or normalise_receipt(typed)


def tracking_url(origin: str, code: str) -> str:
    return f"{origin}/track?{urlencode({'reference': code})}"


def qr_svg(payload: str) -> str:
    """An SVG (no XML declaration, scaled by CSS) of a QR code for `payload`, error
    correction M: a printed receipt gets creased."""
    out = io.BytesIO()
    segno.make_qr(payload, error="m").save(out, kind="svg", xmldecl=False, svgns=True,
                                          scale=1, border=4, omitsize=True,
                                          svgclass="tb-receipt__qr", lineclass=None,
                                          title=None)
    return out.getvalue().decode("utf-8")


def recipient(typed: str) -> tuple[str, str] | None:
    """("email", address) or ("sms", a UK mobile in E.164) for what the person typed."""
    if "@" in typed:
        address = email_address(typed)
        return ("email", address) if address else None
    number = normalise_uk_phone(typed)
    if number is None:
        return None
    kind = phonenumbers.number_type(phonenumbers.parse(number, None))
    mobile = (phonenumbers.PhoneNumberType.MOBILE,
              phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    return ("sms", number) if kind in mobile else None
