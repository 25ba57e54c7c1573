"""The layout of server/ (see ../shared/DESIGN.md), kept by two checks: no loose top-level
module outside the allowed list, and imports that point the right way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

TOP_LEVEL = {"__init__", "__main__", "app", "cli", "settings", "routes", "errors", "i18n",
             "rendering", "htmx", "litestream"}
# Areas of the design, those still to come included, so a new one is a decision made here.
PACKAGES = {"web", "auth", "forms", "journeys", "casework", "offline", "notify", "kiosk",
            "field", "appointments", "open311", "opendata", "privacy", "councils",
            "handlers", "db"}
# What may never be imported from where (module prefixes).
ENTRY_POINTS = ("server.routes", "server.app", "server.cli", "server.__main__")


def loose_modules(server: Path) -> list[str]:
    return sorted(p.stem for p in server.glob("*.py") if p.stem not in TOP_LEVEL)


def unknown_packages(server: Path) -> list[str]:
    return sorted(p.name for p in server.iterdir()
                  if p.is_dir() and (p / "__init__.py").exists() and p.name not in PACKAGES)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(root: Path, path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import of server.* or sync.*; relative ones resolved."""
    found = []
    package = module_name(root, path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from server.db import audit` imports the module server.db.audit
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return [(line, m) for line, m in found if m.split(".")[0] in ("server", "sync")]


def rule_broken(importer: str, imported: str) -> str | None:
    def within(name: str, *prefixes: str) -> bool:
        return any(name == p or name.startswith(p + ".") for p in prefixes)

    if within(importer, "sync"):
        return "sync imports nothing from server" if within(imported, "server") else None
    if within(importer, "server.db"):
        if not within(imported, "server.db", "sync"):
            return "db imports only db and sync"
        return None
    if within(imported, *ENTRY_POINTS) and not within(importer, *ENTRY_POINTS):
        return "only the entry points import routes, app and cli"
    if within(imported, "server.handlers") and not within(
            importer, "server.handlers", "server.routes"):
        return "nothing below the handlers imports them"
    if within(importer, "server.forms") and not within(
            imported, "server.forms", "server.i18n"):
        return "the form engine imports only itself and i18n (no HTTP, no SQL)"
    return None


def broken_imports(root: Path) -> list[str]:
    problems = []
    for path in sorted([*(root / "server").rglob("*.py"), *(root / "sync").rglob("*.py")]):
        importer = module_name(root, path)
        for line, imported in imports(root, path):
            why = rule_broken(importer, imported)
            if why:
                problems.append(f"{path.relative_to(root)}:{line} imports {imported}: {why}")
    return problems


def import_cycles(root: Path) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for path in [*(root / "server").rglob("*.py"), *(root / "sync").rglob("*.py")]:
        graph[module_name(root, path)] = set()
    for path in [*(root / "server").rglob("*.py"), *(root / "sync").rglob("*.py")]:
        importer = module_name(root, path)
        for _line, imported in imports(root, path):
            while imported and imported not in graph:  # `from x import name` -> x
                imported = imported.rpartition(".")[0]
            if imported and imported != importer:
                graph[importer].add(imported)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_server_has_no_loose_top_level_module():
    assert loose_modules(ROOT / "server") == []
    assert unknown_packages(ROOT / "server") == []


def test_imports_point_the_right_way():
    assert broken_imports(ROOT) == []


def test_no_module_imports_itself_round_a_loop():
    """Type-only imports count too: a cycle through them is a knot in the design."""
    assert import_cycles(ROOT) == []


def test_the_cycle_check_finds_a_loop(tmp_path):
    (tmp_path / "server" / "forms").mkdir(parents=True)
    (tmp_path / "sync").mkdir()
    for package in ("server", "server/forms", "sync"):
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "server/forms/a.py").write_text("from server.forms.b import thing\n")
    (tmp_path / "server/forms/b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from server.forms.a import x\n")
    assert import_cycles(tmp_path) == [["server.forms.a", "server.forms.b"]]


@pytest.mark.parametrize("place, source, expected", [
    ("server/helpers.py", "", "loose"),
    ("server/db/things.py", "from server.auth import roles\n", "db imports only db and sync"),
    ("server/journeys/x.py", "from server.handlers.public import track\n",
     "nothing below the handlers imports them"),
    ("server/forms/x.py", "from server.db import requests\n", "the form engine"),
    ("server/auth/x.py", "from ..routes import routes\n", "only the entry points"),
    ("sync/x.py", "import server.db\n", "sync imports nothing from server"),
])
def test_the_checks_catch_what_they_are_for(tmp_path, place, source, expected):
    for package in ("server", "server/db", "server/journeys", "server/forms", "server/auth",
                    "sync"):
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / place).write_text(source)
    if expected == "loose":
        assert loose_modules(tmp_path / "server") == ["helpers"]
    else:
        found = broken_imports(tmp_path)
        assert len(found) == 1 and expected in found[0], found
