"""How many fragments a text costs (GSM 03.38).

A text in the GSM 7-bit alphabet takes 160 characters in one fragment, 153 a fragment
when split; the extension characters (^ { } \\ [ ~ ] | €) count twice. One character
outside it turns the whole text into UCS-2: 70 characters, 67 a fragment when split,
counted in UTF-16 units. The alphabet has à è ì ò ù but of the capitals only É, so a
Gaelic text with À È Ì Ò Ù costs more than twice as much.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
# Typographic marks our catalogues use, as GSM has them (GOV.UK Notify does the same).
PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                       "…": "...", "\u00a0": " ", "\u202f": " ", "\u2009": " "})
# Capital vowels with a grave accent are outside GSM; their lower-case forms are in it.
LOWER_GRAVE = str.maketrans({"À": "à", "È": "è", "Ì": "ì", "Ò": "ò", "Ù": "ù"})


def plain(text: str) -> str:
    """A text with typographic quotes, dashes and spaces made plain."""
    return text.translate(PLAIN)


def lower_grave(text: str) -> str:
    """For inserted words such as Gaelic month names ("dhen Ògmhios"): the lower-case
    form reads as well in a text and keeps it in GSM."""
    return text.translate(LOWER_GRAVE)


@dataclass(frozen=True)
class Length:
    encoding: str  # 'GSM' or 'UCS-2'
    units: int  # septets (GSM) or UTF-16 code units (UCS-2)
    fragments: int
    outside_gsm: str  # the characters that made it UCS-2, in order, once each


def measure(text: str) -> Length:
    outside = [c for c in text if c not in GSM_BASIC and c not in GSM_EXTENSION]
    if not outside:
        units = sum(2 if c in GSM_EXTENSION else 1 for c in text)
        return Length("GSM", units, _fragments(units, 160, 153), "")
    units = len(text.encode("utf-16-le")) // 2
    return Length("UCS-2", units, _fragments(units, 70, 67), "".join(dict.fromkeys(outside)))


def _fragments(units: int, single: int, each: int) -> int:
    return 1 if units <= single else math.ceil(units / each)
