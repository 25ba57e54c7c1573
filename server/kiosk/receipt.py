"""A kiosk receipt's QR code: the tracking page, with the reference (or the local receipt
code) filled in, to open on the person's own phone."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno

from server.db.kiosk_sealed import normalise_receipt
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
