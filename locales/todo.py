"""Translating new strings: list what each catalogue lacks, fill it from a JSON file, or
take translations from another copy of the catalogues (after a merge).

    python -m locales.todo list > todo.json      # every msgid untranslated somewhere
    (edit todo.json: a translation per language; plurals as a list of forms)
    python -m locales.todo fill todo.json        # writes them into the catalogues
    python -m locales.todo take OTHER_LOCALES_DIR  # fills gaps from another checkout

Run `make extract` first, so the catalogues list every string the code has. English
is filled from the source strings by `make extract` itself.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

LOCALES = Path(__file__).resolve().parent
LANGUAGES = ("gd", "pl", "uk", "ar")


def _path(root: Path, code: str) -> Path:
    return root / code / "LC_MESSAGES" / "messages.po"


def _read(root: Path, code: str) -> Catalog:
    with _path(root, code).open("rb") as f:
        return read_po(f, locale=code)


def _write(catalog: Catalog, code: str) -> None:
    with _path(LOCALES, code).open("wb") as f:
        write_po(f, catalog)


def _missing(message: object) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)  # type: ignore[attr-defined]
    return not all(strings) or message.fuzzy  # type: ignore[attr-defined]


def _key(message: object) -> str:
    msgid = message.id  # type: ignore[attr-defined]
    return msgid[0] if isinstance(msgid, tuple) else msgid


def todo() -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for code in LANGUAGES:
        catalog = _read(LOCALES, code)
        for message in catalog:
            if message.id and _missing(message):
                entry = found.setdefault(_key(message), {})
                if isinstance(message.id, tuple):
                    entry["plural"] = message.id[1]
                    entry[code] = [""] * catalog.num_plurals
                else:
                    entry[code] = ""
    return found


def fill(entries: dict[str, dict[str, object]]) -> list[str]:
    problems = []
    for code in LANGUAGES:
        catalog = _read(LOCALES, code)
        for message in catalog:
            if not message.id or _key(message) not in entries:
                continue
            value = entries[_key(message)].get(code)
            if not value:
                continue
            if isinstance(message.id, tuple):
                if not isinstance(value, list) or len(value) != catalog.num_plurals:
                    problems.append(f"{code}: {_key(message)!r} needs "
                                    f"{catalog.num_plurals} plural forms")
                    continue
                message.string = tuple(value)
            else:
                message.string = str(value)
            message.flags.discard("fuzzy")
        _write(catalog, code)
    return problems


def take(other: Path) -> int:
    taken = 0
    for code in LANGUAGES:
        catalog, source = _read(LOCALES, code), _read(other, code)
        for message in catalog:
            if message.id and _missing(message):
                found = source.get(message.id)
                if found is not None and not _missing(found):
                    message.string = found.string
                    message.flags.discard("fuzzy")
                    taken += 1
        _write(catalog, code)
    return taken


def main(argv: list[str]) -> int:
    if argv[:1] == ["list"]:
        json.dump(todo(), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if len(argv) == 2 and argv[0] == "fill":
        problems = fill(json.loads(Path(argv[1]).read_text(encoding="utf-8")))
        print("\n".join(problems) or "filled")
        return 1 if problems else 0
    if len(argv) == 2 and argv[0] == "take":
        print(f"took {take(Path(argv[1]))} translations")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
