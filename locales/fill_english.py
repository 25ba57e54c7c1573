"""Fill the English catalogue from its source strings: English msgstr = msgid.

Run by `make extract` after `pybabel update`, so English never shows as untranslated
and a wording change in English can still be made in the catalogue alone.
"""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

PATH = Path(__file__).parent / "en" / "LC_MESSAGES" / "messages.po"


def main() -> None:
    with PATH.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not any(message.string):
                message.string = (message.id[0], message.id[1])
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with PATH.open("wb") as f:
        # Babel's default width: `pybabel update --check` compares line numbers.
        write_po(f, catalog)  # and the template's order, as `pybabel update` writes it


if __name__ == "__main__":
    main()
