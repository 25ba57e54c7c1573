"""Every catalogue complete, current with the code, and its plurals right."""

import subprocess
import sys
from gettext import c2py  # evaluates a Plural-Forms C expression, as gettext does
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations

from server import i18n

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
CODES = [lang.code for lang in i18n.LANGUAGES]
PYBABEL = [sys.executable, "-m", "babel.messages.frontend"]


def catalogue(code):
    with (LOCALES / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=code)


def test_every_language_has_a_catalogue():
    missing = [c for c in CODES if not (LOCALES / c / "LC_MESSAGES" / "messages.po").exists()]
    assert not missing
    assert [lang.code for lang in i18n.OFFERED] == CODES


@pytest.mark.parametrize("code", CODES)
def test_no_untranslated_or_fuzzy_entries(code):
    problems = []
    for message in catalogue(code):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {message.id!r}")
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
    assert not problems, f"{len(problems)} problems, e.g. {problems[:5]}"


@pytest.mark.parametrize("code", CODES)
def test_placeholders_match(code):
    errors = [(m.id, errs) for m, errs in catalogue(code).check()]
    assert not errors, errors[:5]


def test_catalogues_are_current_with_the_code(tmp_path):
    """The template extracted now must equal the committed one, and every catalogue must
    be up to date with it (what `make extract` does)."""
    fresh = tmp_path / "messages.pot"
    subprocess.run([*PYBABEL, "extract", "-F", "locales/babel.cfg", "-k", "lazy",
                    "-o", str(fresh), "--sort-by-file", "--add-location=file",
                    "--add-comments=Translators:", "."],
                   cwd=ROOT, check=True, capture_output=True)
    with fresh.open("rb") as f:
        extracted = {m.id for m in read_po(f) if m.id}
    with (LOCALES / "messages.pot").open("rb") as f:
        committed = {m.id for m in read_po(f) if m.id}
    assert extracted == committed, (
        f"run `make extract`: new {sorted(extracted - committed)[:5]}, "
        f"gone {sorted(committed - extracted)[:5]}")
    check = subprocess.run([*PYBABEL, "update", "--check", "-D", "messages", "-i", str(fresh),
                            "-d", "locales", "--no-fuzzy-matching", "--ignore-obsolete",
                            "--ignore-pot-creation-date"],
                           cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


GAELIC = {1: 0, 2: 1, 3: 2, 11: 0, 12: 1, 13: 2, 20: 3}


@pytest.mark.parametrize("n, form", GAELIC.items())
def test_gaelic_plural_forms(n, form):
    po = catalogue("gd")
    assert po.num_plurals == 4
    assert c2py(po.plural_expr)(n) == form  # the header's C expression, evaluated


def test_gaelic_plural_is_used_when_rendering():
    """The compiled catalogue picks the form the header says (with a real message)."""
    mo = LOCALES / "gd" / "LC_MESSAGES" / "messages.mo"
    if not mo.exists():
        pytest.fail("compile the catalogues first: make translations")
    t = Translations.load(str(LOCALES), ["gd"])
    po = catalogue("gd")
    plural = next(m for m in po if isinstance(m.id, tuple))
    for n, form in GAELIC.items():
        assert t.ngettext(plural.id[0], plural.id[1], n) == plural.string[form]
