"""Every published version of every journey, loaded and checked once at start-up.

Layout: `<definitions>/<journey-slug>/v<N>.json`. A file that does not parse, or breaks
SCHEMA.md, stops start-up with its path: a form that is wrong must never half-work.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from server.forms.definition import SERVICES, DefinitionError, Journey, parse_definition

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
_VERSION_FILE = re.compile(r"^v([1-9][0-9]*)\.json\Z")


class FormRegistry:
    def __init__(self, directory: Path | str = DEFINITIONS_DIR) -> None:
        self.directory = Path(directory)
        self._versions: dict[str, dict[int, Journey]] = {}
        if not self.directory.is_dir():
            raise DefinitionError(f"{self.directory}: no such directory of form definitions")
        for folder in sorted(self.directory.iterdir()):
            if folder.name.startswith("."):
                continue
            if not folder.is_dir():
                if folder.suffix == ".json":
                    raise DefinitionError(f"{folder}: definitions go in <journey>/v<N>.json")
                continue
            self._versions[folder.name] = self._load_journey(folder)

    def _load_journey(self, folder: Path) -> dict[int, Journey]:
        versions: dict[int, Journey] = {}
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            found = _VERSION_FILE.match(path.name)
            if not found or not path.is_file():
                raise DefinitionError(f"{path}: expected only files named v<N>.json here")
            versions[int(found.group(1))] = load_definition(path, folder.name,
                                                            int(found.group(1)))
        if not versions:
            raise DefinitionError(f"{folder}: no v<N>.json in this journey folder")
        services = {j.service for j in versions.values()}
        if len(services) > 1:
            raise DefinitionError(f"{folder}: versions disagree about the service "
                                  f"({', '.join(sorted(services))})")
        return dict(sorted(versions.items()))

    def latest(self, slug: str) -> Journey:
        """The version new visitors get. KeyError when there is no such journey."""
        versions = self._versions[slug]
        return versions[max(versions)]

    def get(self, slug: str, version: int) -> Journey:
        """A given version (drafts and queued submissions keep theirs). KeyError if gone."""
        return self._versions[slug][version]

    def versions(self, slug: str) -> list[int]:
        return list(self._versions[slug])

    def journeys(self) -> list[Journey]:
        """The latest of each journey: by service (in SERVICES order), then by slug."""
        latest = [self.latest(slug) for slug in self._versions]
        return sorted(latest, key=lambda j: (SERVICES.index(j.service), j.journey))

    def __contains__(self, slug: object) -> bool:
        return slug in self._versions


def load_definition(path: Path, slug: str | None = None, version: int | None = None
                    ) -> Journey:
    try:
        data = json.loads(path.read_text(encoding="utf-8"),
                          object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
        return parse_definition(data, slug=slug, version=version)
    except (OSError, UnicodeDecodeError, ValueError) as error:  # JSON and definition errors
        raise DefinitionError(f"{path}: {error}") from error


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys without a word; in a definition that
    # is always a mistake (two "errors" objects, one silently lost).
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
