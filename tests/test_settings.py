import re
from pathlib import Path

import pytest

from server.settings import SETTINGS, Settings, SettingsError

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    table_rows = {m.group(1) for m in re.finditer(r"^\|\s*`(TOLBOOTH_[A-Z_]+)`", readme, re.M)}
    missing = {s.env for s in SETTINGS} - table_rows
    assert not missing, f"settings missing from the README table: {sorted(missing)}"
    stale = table_rows - {s.env for s in SETTINGS}
    assert not stale, f"README documents settings that do not exist: {sorted(stale)}"


def test_every_setting_read_in_code_is_declared():
    used = set()
    for path in [*ROOT.joinpath("server").rglob("*.py"), *ROOT.joinpath("sync").rglob("*.py")]:
        used |= set(re.findall(r"(?<![A-Z_])TOLBOOTH_[A-Z_]+", path.read_text()))
    internal: set[str] = set()
    assert used - internal <= {s.env for s in SETTINGS}


def readme_defaults() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text()
    return {m.group(1): m.group(2) for m in re.finditer(
        r"^\|\s*`(TOLBOOTH_[A-Z_]+)`\s*\|\s*(.*?)\s*\|", readme, re.M)}


def documented(cell: str) -> str | None:
    """A default as the README's table writes it: `value`, or (unset)."""
    if cell == "(unset)":
        return None
    assert cell.startswith("`") and cell.endswith("`"), cell
    return cell[1:-1]


def test_defaults_are_the_documented_ones(tmp_path, monkeypatch):
    """Every setting, unset, takes the default the README gives it (this test once
    checked 3 of 23 and never read the README)."""
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({})
    table = readme_defaults()
    assert set(table) == {s.env for s in SETTINGS}
    for setting in SETTINGS:
        default = documented(table[setting.env])
        assert default == setting.default, setting.env
        value = getattr(settings, setting.env.removeprefix("TOLBOOTH_").lower())
        if setting.env == "TOLBOOTH_SECRET_KEY":
            assert value == (tmp_path / "data" / "secret_key").read_text().strip()
        elif default is None:
            assert value is None, setting.env
        elif isinstance(value, bool):
            assert value is (default == "true"), setting.env
        elif isinstance(value, Path):
            assert value == (tmp_path / default).resolve(), setting.env
        else:
            assert value == type(value)(default), setting.env


def test_secret_key_is_made_once_and_kept(tmp_path):
    env = {"TOLBOOTH_DATA_DIR": str(tmp_path)}
    first = Settings.from_env(env).secret_key
    assert len(first) >= 32
    assert Settings.from_env(env).secret_key == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("name, value", [
    ("TOLBOOTH_ORIGIN", "localhost:8000"),
    ("TOLBOOTH_ORIGIN", "http://example.org"),  # plain http only on localhost
    ("TOLBOOTH_ORIGIN", "https://example.org/path"),
    ("TOLBOOTH_COUNCIL_PREFIX", "mlc"),
    ("TOLBOOTH_COUNCIL_PREFIX", "TOOLONG"),
    ("TOLBOOTH_SMTP_PORT", "seventy"),
    ("TOLBOOTH_SMTP_PORT", "70000"),
    ("TOLBOOTH_SMTP_STARTTLS", "maybe"),
    ("TOLBOOTH_MAX_BODY_BYTES", "-1"),
    ("TOLBOOTH_LOG_LEVEL", "loud"),
    ("TOLBOOTH_SECRET_KEY", "short"),
    ("TOLBOOTH_SPELLING_MISTAKE", "1"),
])
def test_bad_values_fail_loudly_naming_the_setting(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({"TOLBOOTH_DATA_DIR": str(tmp_path), name: value})


def test_https_origin_turns_on_secure_behaviour(tmp_path):
    settings = Settings.from_env({"TOLBOOTH_DATA_DIR": str(tmp_path),
                                  "TOLBOOTH_ORIGIN": "https://services.example.gov.uk"})
    assert settings.https
    assert settings.rp_id == "services.example.gov.uk"
