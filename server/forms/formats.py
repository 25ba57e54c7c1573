"""Email addresses, UK phone numbers and UK postcodes: recognised and put in one form.

The email, phone and postcode rules are written out the same way in
pwa/scripts/forms/formats.js; the example cases hold them together. The server also asks
`phonenumbers` whether a number that passes the rule is really in use, so a number in an
unallocated range can pass offline and be refused when it is sent (it then "needs
attention" and the person can correct it).
"""

from __future__ import annotations

import re

import phonenumbers

from server.forms.normalise import (
    WHITESPACE,
    ascii_digits,
    ascii_lower,
    ascii_upper,
    clean_text,
    remove_whitespace,
)

MAX_EMAIL = 254
_LOCAL_PART = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}\Z")
_DOMAIN_LABEL = re.compile(r"^[A-Za-z0-9-]{1,63}\Z")
_TOP_LEVEL = re.compile(r"^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})\Z")


def normalise_email(text: str) -> str | None:
    """The address with its domain lower-cased, or None when it is not one."""
    if len(text) > MAX_EMAIL or text.count("@") != 1:
        return None
    local, domain = text.split("@")
    if not _LOCAL_PART.match(local) or local.startswith(".") or local.endswith(".") \
            or ".." in local:
        return None
    labels = domain.split(".")
    if len(labels) < 2 or not _TOP_LEVEL.match(labels[-1]):
        return None
    for label in labels:
        if not _DOMAIN_LABEL.match(label) or label.startswith("-") or label.endswith("-"):
            return None
    return f"{local}@{ascii_lower(domain)}"


def email_address(typed: str) -> str | None:
    """THE check of an email address from anywhere outside a form definition (sign-in,
    tracking, the command line; the sender checks what it sends with it too): the form
    engine's rule, so `victim<attacker@evil.example>`, a display name, a comma list, CR/LF
    or a look-alike letter from another alphabet is refused everywhere alike (issue 10)."""
    return normalise_email(clean_text(typed))


def is_normalised_email(address: str) -> bool:
    """Stored and about to be sent: exactly what email_address would have made of it."""
    return email_address(address) == address


MAX_PHONE_INPUT = 40
_PHONE_SEPARATORS = set(WHITESPACE) | set("-()")
# The national number after the 0: geographic (01, 02), non-geographic 03, and mobile 07
# (71-75, 77-79, and 7624 on the Isle of Man). Not 070 personal numbers, 076 pagers,
# 08 freephone or 09 premium rate.
_UK_NATIONAL = re.compile(r"^(?:[123][0-9]{9}|7(?:[1-57-9][0-9]{8}|624[0-9]{6}))\Z")
_IN_USE = {
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    phonenumbers.PhoneNumberType.UAN,  # 03 numbers
}


def uk_phone_by_rule(text: str) -> str | None:
    """E.164 for a UK number written +44…, 0044… or 0…, or None. The shared rule only."""
    if len(text) > MAX_PHONE_INPUT:
        return None
    compact = ascii_digits("".join(c for c in text if c not in _PHONE_SEPARATORS))
    international = True
    if compact.startswith("+44"):
        national = compact[3:]
    elif compact.startswith("0044"):
        national = compact[4:]
    elif compact.startswith("0"):
        national, international = compact[1:], False
    else:
        return None
    if international and national.startswith("0"):
        national = national[1:]  # "+44 (0)7700 900982", as often printed
    return f"+44{national}" if _UK_NATIONAL.match(national) else None


def normalise_uk_phone(text: str) -> str | None:
    e164 = uk_phone_by_rule(text)
    if e164 is None:
        return None
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return e164 if phonenumbers.number_type(number) in _IN_USE else None


MAX_POSTCODE_INPUT = 16
_POSTCODE = re.compile(
    r"^(?:GIR0AA|[A-PR-UWYZ](?:[0-9][0-9]?|[A-HK-Y][0-9][0-9]?|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY])[0-9][ABD-HJLNP-UW-Z]{2})\Z"
)


def normalise_postcode(text: str) -> str | None:
    """Upper case with one space before the last three characters (`EH22 1AE`), or None."""
    compact = ascii_upper(remove_whitespace(text))
    if len(compact) > MAX_POSTCODE_INPUT or not _POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"
