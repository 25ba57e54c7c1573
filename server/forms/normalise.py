"""Text clean-up every answer goes through, defined character by character so the
JavaScript interpreter (pwa/scripts/forms/normalise.js) can do exactly the same.

WHITESPACE is the set JavaScript's trim() strips; Python's str.strip() differs (it strips
U+001C..U+001F and U+0085, and keeps U+FEFF), so both sides use this list. Python's int()
and re's \\d accept any Unicode digit, and re's $ also matches before a final newline:
none of them is used on answers (patterns here end in \\Z, in JS in $).

UNSEEN is what clean_text removes anywhere in the text, because it changes how text
around it looks without being seen itself, or is not text at all (issue 10: officers
were shown them): C0 controls but tab and newline, DEL and the C1 controls, NUL
included; the bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069), which
can make "exe.txt" read as "txt.exe"; the zero-width space, non-joiner and joiner
(U+200B-200D), the word joiner (U+2060) and the byte order mark (U+FEFF), which hide
inside names and references; and lone surrogates, which are not characters. The choice:
ZWJ also joins some emoji sequences (those fall apart into their parts, still readable)
and ZWNJ shapes Persian and some Indic writing; the council's languages (English,
Gaelic, Polish, Ukrainian, Arabic) need neither. The left-to-right and right-to-left
marks (U+200E, U+200F) stay: they are how Arabic text mixed with numbers is written
right, and cannot reorder text as the overrides do.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

# Tab, LF, VT, FF, CR, space, and the Unicode space separators, line and paragraph
# separators and the byte order mark. The same list is in normalise.js.
WHITESPACE = (
    "\t\n\x0b\x0c\r \u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)

UNSEEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u202a-\u202e\u2060"
                    "\u2066-\u2069\ufeff\ud800-\udfff]")  # the same class is in normalise.js

# Digits people type on Arabic and full-width keyboards, read as 0-9 in dates and numbers.
_DIGITS = str.maketrans(
    {chr(base + n): str(n) for base in (0x0660, 0x06F0, 0xFF10) for n in range(10)}
)
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

COUNCIL_TIME_ZONE = ZoneInfo("Europe/London")


def clean_text(value: str, multiline: bool = False) -> str:
    """Line endings made \\n (multiline only), UNSEEN removed, NFC, whitespace trimmed at
    both ends. Every answer and every other text a person sends goes through it."""
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", UNSEEN.sub("", value)).strip(WHITESPACE)


def ascii_digits(value: str) -> str:
    return value.translate(_DIGITS)


def ascii_upper(value: str) -> str:
    return value.translate(_ASCII_UPPER)


def ascii_lower(value: str) -> str:
    return value.translate(_ASCII_LOWER)


def remove_whitespace(value: str) -> str:
    return "".join(c for c in value if c not in WHITESPACE)


def length(value: str) -> int:
    """Characters as a person counts them: code points, not UTF-16 units."""
    return len(value)


def council_today() -> date:
    """Today where the council is: "in the past" means the same thing at 00:30 BST."""
    return datetime.now(COUNCIL_TIME_ZONE).date()
