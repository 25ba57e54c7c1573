"""Point 15: every serialised page through the Nu Html Checker in one Java run."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "pwa" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


class VnuUnavailable(RuntimeError):
    pass


def command(directory: Path) -> list[str]:
    java = shutil.which("java")
    if not java:
        raise VnuUnavailable("java not found (Java 17+ is needed: apt-get install "
                             "openjdk-17-jre-headless)")
    if not VNU_JAR.exists():
        raise VnuUnavailable(f"{VNU_JAR.relative_to(ROOT)} missing (cd pwa && npm ci)")
    return [java, "-Xss8m", "-XX:+UseSerialGC", "-jar", str(VNU_JAR), "--format", "json",
            "--stdout", "--errors-only", "--no-langdetect", "--skip-non-html", str(directory)]


def validate(directory: Path, timeout: float = 300) -> dict[str, list[str]]:
    """Errors per file name (every .html file in `directory`; [] when valid)."""
    names = sorted(p.name for p in directory.glob("*.html"))
    if not names:
        return {}
    done = subprocess.run(command(directory), capture_output=True, text=True,
                          timeout=timeout, check=False)
    try:
        messages = json.loads(done.stdout or "{}").get("messages", [])
    except json.JSONDecodeError as exc:
        raise VnuUnavailable(f"vnu gave no JSON (exit {done.returncode}): "
                             f"{(done.stderr or done.stdout)[:500]}") from exc
    found: dict[str, list[str]] = {name: [] for name in names}
    for m in messages:
        if m.get("type") not in ("error", "non-document-error"):
            continue
        name = Path(m.get("url", "")).name
        where = f"line {m['lastLine']}: " if "lastLine" in m else ""
        extract = " ".join((m.get("extract") or "").split())[:160]
        found.setdefault(name, []).append(
            f"{where}{m.get('message', '')}" + (f" — “{extract}”" if extract else ""))
    return found
