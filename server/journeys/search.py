"""Finding a service in a person's own words: typos forgiven ("nosie"), plain words matched
through synonyms per journey ("mum needs help at home"), in every language (the synonyms
are translated like any text), and things the council does elsewhere (bins, council tax)
pointed to its main website (server/councils/<council>.toml)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from server import i18n
from server.councils import Council, Elsewhere
from server.forms.definition import Journey
from server.i18n import lazy as _

# Words people use that the forms do not: per journey, translated in the catalogues.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "noise-complaint": (_("loud neighbours"), _("noisy neighbour"), _("party"), _("music"),
                        _("barking dog"), _("alarm"), _("can't sleep")),
    "pest-control": (_("rats"), _("mice"), _("wasps nest"), _("bed bugs"), _("cockroaches"),
                     _("vermin"), _("infestation")),
    "food-safety-complaint": (_("food poisoning"), _("takeaway"), _("restaurant"),
                              _("dirty kitchen"), _("out of date food"), _("ill after eating")),
    "pre-application-advice": (_("extension"), _("build a house"), _("planning permission"),
                               _("loft conversion"), _("garage"), _("advice before applying")),
    "report-planning-breach": (_("building without permission"), _("illegal building"),
                               _("neighbour building"), _("fence too high"),
                               _("unauthorised work")),
    "tree-enquiry": (_("cut down a tree"), _("tree surgeon"), _("overhanging branches"),
                     _("hedge")),
    "adult-protection-concern": (_("worried about an older person"), _("abuse"),
                                 _("neglect"), _("someone at risk"), _("vulnerable adult")),
    "care-needs-assessment": (_("help at home"), _("mum needs help"), _("dad needs help"),
                              _("elderly parent"), _("carer"), _("home care"),
                              _("can't cope at home"), _("disability support")),
    "child-protection-concern": (_("worried about a child"), _("child abuse"),
                                 _("child at risk"), _("child neglect")),
}
# Words that say nothing about what someone needs.
STOP = {"a", "an", "the", "to", "of", "at", "in", "on", "my", "i", "is", "and", "for",
        "with", "me", "it", "be", "do", "need", "needs", "want", "about", "report"}
MIN_FUZZY = 4  # shorter words must match exactly: "rat" is not "cat"
SCORE_CUTOFF = 80


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(texts: Iterable[str]) -> set[str]:
    return {w.strip(".,;:!?()“”\"'’") for t in texts for w in fold(t).split()} - {""}


@dataclass(frozen=True)
class Found:
    journeys: list[Journey]
    elsewhere: list[Elsewhere]


def _score(query: list[str], vocabulary: set[str]) -> float:
    """The share of the query's words this vocabulary has: the word, a longer word it
    starts ("pest", "pests"), or nearly the word (a typo)."""
    hits = 0
    for word in query:
        if word in vocabulary or (len(word) >= 3 and any(v.startswith(word) for v in vocabulary)):
            hits += 1
        elif len(word) >= MIN_FUZZY and process.extractOne(
                # A typo seldom changes the first letter; "tree" is not "street".
                word, [v for v in vocabulary if v[:1] == word[:1]], scorer=fuzz.ratio,
                score_cutoff=SCORE_CUTOFF):
            hits += 1
    return hits / len(query) if query else 0.0


def search(journeys: Iterable[Journey], council: Council, query: str,
           text: i18n.Gettext) -> Found:
    words = [w for w in _words([query]) if w not in STOP] or sorted(_words([query]))
    listed = list(journeys)
    if not words:
        return Found(listed, [])

    def texts(sources: Iterable[str]) -> list[str]:
        sources = list(sources)
        return sources + [text.gettext(s) for s in sources]

    scored = []
    for journey in listed:
        own = texts([journey.title, journey.summary, *journey.keywords,
                     *SYNONYMS.get(journey.journey, ())])
        scored.append((_score(words, _words(own)), journey))
    best = max((s for s, _ in scored), default=0.0)
    found = [j for s, j in scored if s >= 0.5 and s >= best * 0.8]
    places = [(_score(words, _words(texts([p.title, *p.keywords]))), p) for p in council.elsewhere]
    best_place = max((s for s, _ in places), default=0.0)
    elsewhere = [p for s, p in places if s >= 0.5 and s >= best_place * 0.8]
    return Found(found, elsewhere)
