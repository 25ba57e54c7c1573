"""References a person can read aloud and type back: `MLC-7K3P-Q9X2`.

31 characters with none that look or sound alike (no 0/O, 1/I/L), 7 random ones and a
check character. 31 is prime and the weights 1..8 are distinct and non-zero mod 31, so
the check catches every single wrong character (the sum moves by w*d, d != 0) and every
swap of two neighbours (it moves by (w_i - w_j)*(b - a), both non-zero).

7 random characters give 31**7 (about 2.75e10) references per prefix: two requests can
still draw the same one (about 1 in 5 chance somewhere among 100,000), so whoever stores
a reference must keep it unique (a UNIQUE index) and draw again on a clash.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 7
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = range(1, RANDOM_LENGTH + 2)  # the check character has the last weight, 8
_PREFIX = re.compile(r"^[A-Z]{2,4}\Z")
_BODIES = len(ALPHABET) ** RANDOM_LENGTH
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")  # spaces and any kind of dash


def _check_character(body: str) -> str:
    """The character that makes the weighted sum of all eight 0 mod 31."""
    total = sum(w * _VALUE[c] for w, c in zip(_WEIGHTS, body, strict=False))
    last_weight = _WEIGHTS[-1]
    # last_weight * x == -total (mod 31): multiply by the inverse of last_weight.
    return ALPHABET[(-total * pow(last_weight, -1, len(ALPHABET))) % len(ALPHABET)]


def _random_body(number: int) -> str:
    """`number` (0 <= number < 31**7) written in base 31 with ALPHABET as the digits:
    one draw from the OS for the whole body, as uniform as one draw per character."""
    digits = []
    for _ in range(RANDOM_LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[digit])
    return "".join(digits)


def is_well_formed(body: str) -> bool:
    """Eight alphabet characters whose check character is right."""
    if len(body) != RANDOM_LENGTH + 1 or any(c not in _VALUE for c in body):
        return False
    return sum(w * _VALUE[c] for w, c in zip(_WEIGHTS, body, strict=True)) % len(ALPHABET) == 0


def new_reference(prefix: str) -> str:
    return new_references(prefix, 1)[0]


def new_references(prefix: str, count: int) -> list[str]:
    """`count` independent references from one draw: a number below 31**(7 * count) is
    `count` uniform numbers below 31**7, one per reference (a sync push needs up to 100,
    and each call to the OS for randomness lets go of the GIL)."""
    if not _PREFIX.match(prefix):
        raise ValueError(f"a reference prefix is 2 to 4 capital letters, not {prefix!r}")
    number = secrets.randbelow(_BODIES ** count)
    references = []
    for _ in range(count):
        number, one = divmod(number, _BODIES)
        body = _random_body(one)
        references.append(f"{prefix}-{body[:4]}-{body[4:]}{_check_character(body)}")
    return references


def reference_maker(prefix: str, batch: int) -> Callable[[], str]:
    """new_reference for one unit of work, drawing `batch` references at a time."""
    waiting: list[str] = []

    def make() -> str:
        if not waiting:
            waiting.extend(new_references(prefix, max(batch, 1)))
        return waiting.pop()
    return make


def normalise_reference(text: str, prefix: str) -> str | None:
    """`PREFIX-XXXX-XXXX` from what a person typed (any case, spaces or dashes anywhere or
    none, prefix optional), or None when it is not one of ours or the check fails.

    0, O, 1, I and L are not read as anything: they are never in a reference, so a person
    who types one has misread it, and guessing could lead them to someone else's request."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    compact = _SEPARATORS.sub("", text)
    if not compact.isascii():  # before upper(): "ß".upper() is "SS"
        return None
    compact = compact.upper()
    if len(compact) == len(prefix) + RANDOM_LENGTH + 1 and compact.startswith(prefix):
        compact = compact[len(prefix):]
    if not is_well_formed(compact):
        return None
    return f"{prefix}-{compact[:4]}-{compact[4:]}"
