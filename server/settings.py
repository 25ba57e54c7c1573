"""Settings: read once from the environment, passed explicitly, fail loudly.

Every setting is declared in SETTINGS below; the README's settings table is checked
against it by tests/test_settings.py, so a new setting cannot go undocumented.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")


class SettingsError(ValueError):
    """A setting has a value we cannot use. The message names the variable."""


@dataclass(frozen=True)
class Setting:
    env: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("TOLBOOTH_DATA_DIR", "./data",
            "Directory holding the SQLite database, its Litestream state and the secret key. "
            "The only state the server has."),
    Setting("TOLBOOTH_ORIGIN", "http://localhost:8000",
            "Public origin (scheme://host[:port]) people reach the service on. Used for links "
            "in messages, the CSRF origin check, passkeys, and to switch on Secure cookies and "
            "HSTS when it is https."),
    Setting("TOLBOOTH_COUNCIL_NAME", "Midlothian Council",
            "Name of the council shown in the header, titles and messages."),
    Setting("TOLBOOTH_COUNCIL_PREFIX", "MLC",
            "Two to four capital letters that start every request reference (MLC-7K3P-Q9X2)."),
    Setting("TOLBOOTH_CONTACT_PHONE", "0131 270 7500",
            "Phone number for help, shown in the same place on every page."),
    Setting("TOLBOOTH_COUNCIL", "midlothian",
            "Which council's data file (server/councils/NAME.toml) to use: its postcode "
            "districts and neighbours, where the map opens, and the links to its main website "
            "for things this service does not do."),
    Setting("TOLBOOTH_MAP_TILE_URL", None,
            "Map tiles for location questions: a URL template with {z}, {x} and {y}, e.g. the "
            "OS Maps API's https://api.os.uk/maps/raster/v1/zxy/Road_3857/{z}/{x}/{y}.png?key=KEY "
            "(https; http only for localhost). When unset there is no map: a location question "
            "offers the phone's location and says so."),
    Setting("TOLBOOTH_MAP_ATTRIBUTION", None,
            "The copyright line the tile service requires, shown on the map."),
    Setting("TOLBOOTH_CONTACT_EMAIL", "enquiries@midlothian.gov.uk",
            "Email address for help, shown on the help page."),
    Setting("TOLBOOTH_SECRET_KEY", None,
            "Key that signs sessions, links and tokens (at least 32 characters). When unset, "
            "one is made on first start and kept in DATA_DIR/secret_key (mode 600)."),
    Setting("TOLBOOTH_KIOSK_KEY_GRACE_DAYS", "30",
            "Days a retired kiosk sealing key still opens what kiosks sealed to it before "
            "`tolbooth rotate-kiosk-key` (an offline kiosk may hold items that long). After "
            "that its private half is dropped and such an item is refused as key_retired, "
            "kept for hub staff. The key pairs live in DATA_DIR/kiosk_keys.json (mode 600)."),
    Setting("TOLBOOTH_REPLICA_URL", None,
            "Litestream replica for the database: a directory path or file:// URL, or an "
            "s3:// (or other Litestream) URL. When set, `tolbooth serve` runs under "
            "`litestream replicate -exec` and `tolbooth restore` reads from it."),
    Setting("TOLBOOTH_SMTP_HOST", None,
            "SMTP server for email. When unset, email is not sent: on a localhost origin "
            "it is kept for the developers' outbox at /dev/outbox; elsewhere only the fact "
            "that one was dropped is logged."),
    Setting("TOLBOOTH_SMTP_PORT", "25", "SMTP server port."),
    Setting("TOLBOOTH_SMTP_USERNAME", None, "SMTP user name, when the server needs one."),
    Setting("TOLBOOTH_SMTP_PASSWORD", None, "SMTP password, when the server needs one."),
    Setting("TOLBOOTH_SMTP_STARTTLS", "false", "Use STARTTLS with the SMTP server (true/false)."),
    Setting("TOLBOOTH_MAIL_FROM", "Midlothian Council <no-reply@midlothian.gov.uk>",
            "From address of emails the service sends."),
    Setting("TOLBOOTH_NOTIFY_API_KEY", None,
            "GOV.UK Notify API key for text messages (name-serviceid-secret, as Notify shows "
            "it). When unset, texts are not sent: on a localhost origin they are written to "
            "the log for development; elsewhere only the fact that one was dropped is logged."),
    Setting("TOLBOOTH_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk",
            "GOV.UK Notify API address (https; http only for localhost, as in the tests)."),
    Setting("TOLBOOTH_NOTIFY_SMS_TEMPLATE_ID", None,
            "Id of the one Notify text message template, whose whole content is ((body)). "
            "The words come from the service's own translated catalogues, so every language "
            "uses this template. Needed when TOLBOOTH_NOTIFY_API_KEY is set."),
    Setting("TOLBOOTH_NOTIFY_CALLBACK_TOKEN", None,
            "Bearer token GOV.UK Notify sends with its callbacks (delivery receipts to "
            "/notify/callbacks/delivery, received texts to /notify/callbacks/received-text): "
            "the same token, at least 10 characters, in Notify's callback settings. When "
            "unset, callbacks are refused."),
    Setting("TOLBOOTH_NOTIFY_RETRY_FIRST_SECONDS", "1",
            "Seconds before a message that failed for a temporary reason (SMTP 4xx or down, "
            "Notify 5xx or 429) is tried again; the wait doubles after each try."),
    Setting("TOLBOOTH_NOTIFY_RETRY_LONGEST_SECONDS", "900",
            "Longest wait, in seconds, between two tries of a message (each wait is "
            "jittered between half and all of it). Messages are tried until they are no "
            "longer worth sending."),
    Setting("TOLBOOTH_STAFF_IDLE_MINUTES", "30",
            "Minutes without activity after which a staff member is signed out. They are "
            "warned, and can stay signed in, 3 minutes before (at least 5 minutes)."),
    Setting("TOLBOOTH_MAX_BODY_BYTES", "12582912",
            "Largest request body accepted, in bytes; larger ones get 413."),
    Setting("TOLBOOTH_LOG_LEVEL", "info", "Log level: debug, info, warning or error."),
    Setting("TOLBOOTH_SYNC_RATE_PER_CLIENT", "120",
            "Sync calls (pushes and upload requests) one installed app may make per minute; "
            "more get 429 with Retry-After."),
    Setting("TOLBOOTH_SYNC_RATE_PER_ADDRESS", "1200",
            "Sync calls one network address may make per minute (a library hub's kiosks "
            "share one address); more get 429 with Retry-After."),
    Setting("TOLBOOTH_TRUSTED_PROXIES", None,
            "Addresses or CIDR ranges of the proxies in front of the service (e.g. the TLS "
            "proxy an https origin needs), comma-separated: `127.0.0.1, 10.0.0.0/8`. Only "
            "for a request from one of them is the client's address taken from "
            "X-Forwarded-For (the rightmost hop that is not one of them); otherwise it is "
            "the socket's peer. Rate limits and the access log use that address. Unset: "
            "X-Forwarded-For is ignored."),
    Setting("TOLBOOTH_FIELD_FEED_KEEP_DAYS", "30",
            "Days the field devices' change feed is kept (compacted hourly, and by "
            "`tolbooth compact-feed`); a device whose last pull is older downloads its cases "
            "again."),
    Setting("TOLBOOTH_SYNC_CREATES_PER_CLIENT_HOUR", "60",
            "New requests one installed app may send per hour (at least the apps' batch of "
            "50); a push over it gets 429 rate_limited_creates and nothing in it is applied."),
    Setting("TOLBOOTH_SYNC_REGISTRATIONS_PER_ADDRESS_HOUR", "20",
            "Installed apps one network address may sign up per hour; more get 429 "
            "rate_limited_address."),
    Setting("TOLBOOTH_SYNC_MAX_UPLOAD_BYTES", "20971520",
            "Largest file, in bytes, an app may upload for a queued request; larger ones "
            "get 413."),
    Setting("TOLBOOTH_DEMO", "false",
            "true: `tolbooth serve` seeds an empty database with the demo staff (an admin "
            "among them), as `make run` does. Never in production: there, invite the first "
            "admin with `tolbooth invite-admin EMAIL`."),
    Setting("TOLBOOTH_STAFF_SESSION_HOURS", "12",
            "Hours after signing in that a staff member's session ends, however active they "
            "are (the idle time-out still applies)."),
    Setting("TOLBOOTH_RESIDENT_SESSION_DAYS", "30",
            "Days after signing in that a resident's session ends, however active they are "
            "(the 7-day idle time-out still applies)."),
)

_DOCUMENTED = {s.env for s in SETTINGS}
_PREFIX = re.compile(r"^[A-Z]{2,4}$")
_LOG_LEVELS = ("debug", "info", "warning", "error")


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    origin: str
    council_name: str
    council_prefix: str
    contact_phone: str
    contact_email: str
    secret_key: str
    replica_url: str | None
    smtp_host: str | None
    smtp_port: int
    smtp_username: str | None
    smtp_password: str | None
    smtp_starttls: bool
    mail_from: str
    max_body_bytes: int
    log_level: str
    staff_idle_minutes: int = 30
    sync_rate_per_client: int = 120
    sync_rate_per_address: int = 1200
    sync_creates_per_client_hour: int = 60
    field_feed_keep_days: int = 30
    sync_registrations_per_address_hour: int = 20
    sync_max_upload_bytes: int = 20 * 1024 * 1024
    notify_api_key: str | None = None
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    notify_sms_template_id: str | None = None
    council: str = "midlothian"
    map_tile_url: str | None = None
    map_attribution: str | None = None

    @property
    def map_tile_origin(self) -> str | None:
        if not self.map_tile_url:
            return None
        parts = urlsplit(self.map_tile_url)
        return f"{parts.scheme}://{parts.netloc}"
    notify_callback_token: str | None = None
    notify_retry_first_seconds: float = 1.0
    notify_retry_longest_seconds: float = 900.0
    # None when unset: X-Forwarded-For is never believed (web/client_address.py).
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] | None = None
    demo: bool = False
    staff_session_hours: int = 12
    resident_session_days: int = 30
    kiosk_key_grace_days: int = 30

    @property
    def db_path(self) -> Path:
        return self.data_dir / "tolbooth.db"

    @property
    def https(self) -> bool:
        return self.origin.startswith("https://")

    @property
    def dev_outbox(self) -> bool:
        """Development: no SMTP server and no Notify key on a localhost origin, so messages
        are kept for /dev/outbox instead of sent."""
        return (urlsplit(self.origin).hostname == "localhost" and not self.smtp_host
                and not self.notify_api_key)

    @property
    def rp_id(self) -> str:
        """WebAuthn relying-party id: the origin's host name."""
        return urlsplit(self.origin).hostname or "localhost"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        unknown = sorted(k for k in env if k.startswith("TOLBOOTH_") and k not in _DOCUMENTED)
        if unknown:
            raise SettingsError(f"Unknown setting(s): {', '.join(unknown)}. See the README.")

        def get(name: str) -> str | None:
            value = env.get(name)
            if value is None or value.strip() == "":
                return next(s.default for s in SETTINGS if s.env == name)
            return value.strip()

        def need(name: str) -> str:
            value = get(name)
            if value is None:
                raise SettingsError(f"{name} must be set")
            return value

        data_dir = Path(need("TOLBOOTH_DATA_DIR")).expanduser().resolve()
        secret = get("TOLBOOTH_SECRET_KEY")
        if secret is not None and len(secret) < 32:
            raise SettingsError("TOLBOOTH_SECRET_KEY must be at least 32 characters")
        notify_key, notify_template = _notify(get)
        return cls(
            data_dir=data_dir,
            origin=_parse(need, "TOLBOOTH_ORIGIN", _origin),
            council_name=need("TOLBOOTH_COUNCIL_NAME"),
            council_prefix=_parse(need, "TOLBOOTH_COUNCIL_PREFIX", _prefix),
            contact_phone=need("TOLBOOTH_CONTACT_PHONE"),
            contact_email=_parse(need, "TOLBOOTH_CONTACT_EMAIL", _email),
            secret_key=secret or _stored_secret(data_dir),
            replica_url=get("TOLBOOTH_REPLICA_URL"),
            smtp_host=get("TOLBOOTH_SMTP_HOST"),
            smtp_port=_parse(need, "TOLBOOTH_SMTP_PORT", _port),
            smtp_username=get("TOLBOOTH_SMTP_USERNAME"),
            smtp_password=get("TOLBOOTH_SMTP_PASSWORD"),
            smtp_starttls=_parse(need, "TOLBOOTH_SMTP_STARTTLS", _bool),
            mail_from=need("TOLBOOTH_MAIL_FROM"),
            max_body_bytes=_parse(need, "TOLBOOTH_MAX_BODY_BYTES", _positive_int),
            log_level=_parse(need, "TOLBOOTH_LOG_LEVEL", _log_level),
            staff_idle_minutes=_parse(need, "TOLBOOTH_STAFF_IDLE_MINUTES", _idle_minutes),
            sync_rate_per_client=_parse(need, "TOLBOOTH_SYNC_RATE_PER_CLIENT", _positive_int),
            sync_rate_per_address=_parse(need, "TOLBOOTH_SYNC_RATE_PER_ADDRESS", _positive_int),
            sync_creates_per_client_hour=_parse(need, "TOLBOOTH_SYNC_CREATES_PER_CLIENT_HOUR",
                                                _positive_int),
            field_feed_keep_days=_parse(need, "TOLBOOTH_FIELD_FEED_KEEP_DAYS", _positive_int),
            sync_registrations_per_address_hour=_parse(
                need, "TOLBOOTH_SYNC_REGISTRATIONS_PER_ADDRESS_HOUR", _positive_int),
            sync_max_upload_bytes=_parse(need, "TOLBOOTH_SYNC_MAX_UPLOAD_BYTES",
                                         _positive_int),
            notify_api_key=notify_key, notify_sms_template_id=notify_template,
            notify_base_url=_parse(need, "TOLBOOTH_NOTIFY_BASE_URL", _origin),
            council=_parse(need, "TOLBOOTH_COUNCIL", _council),
            map_tile_url=_tile_url(get("TOLBOOTH_MAP_TILE_URL")),
            map_attribution=get("TOLBOOTH_MAP_ATTRIBUTION"),
            notify_callback_token=_callback_token(get("TOLBOOTH_NOTIFY_CALLBACK_TOKEN")),
            notify_retry_first_seconds=_parse(need, "TOLBOOTH_NOTIFY_RETRY_FIRST_SECONDS",
                                              _seconds),
            notify_retry_longest_seconds=_parse(need, "TOLBOOTH_NOTIFY_RETRY_LONGEST_SECONDS",
                                                _seconds),
            trusted_proxies=_networks(get("TOLBOOTH_TRUSTED_PROXIES")),
            demo=_parse(need, "TOLBOOTH_DEMO", _bool),
            staff_session_hours=_parse(need, "TOLBOOTH_STAFF_SESSION_HOURS", _positive_int),
            resident_session_days=_parse(need, "TOLBOOTH_RESIDENT_SESSION_DAYS",
                                         _positive_int),
            kiosk_key_grace_days=_parse(need, "TOLBOOTH_KIOSK_KEY_GRACE_DAYS", _positive_int),
        )


_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# The client takes the service id and secret from the key's last 73 characters.
_NOTIFY_KEY = re.compile(rf"^[A-Za-z0-9_.-]+-{_UUID}-{_UUID}\Z")


def _notify(get: Callable[[str], str | None]) -> tuple[str | None, str | None]:
    key = get("TOLBOOTH_NOTIFY_API_KEY")
    if key is not None and not _NOTIFY_KEY.match(key):
        raise SettingsError("TOLBOOTH_NOTIFY_API_KEY is not a Notify API key: expected "
                            "name-serviceid-secret, as Notify shows it")
    template = get("TOLBOOTH_NOTIFY_SMS_TEMPLATE_ID")
    if key is not None and template is None:
        raise SettingsError("TOLBOOTH_NOTIFY_SMS_TEMPLATE_ID must be set with "
                            "TOLBOOTH_NOTIFY_API_KEY")
    if template is not None and not re.fullmatch(_UUID, template):
        raise SettingsError(f"TOLBOOTH_NOTIFY_SMS_TEMPLATE_ID={template!r} is not valid: "
                            "expected the template's id (a UUID)")
    return key, template


def _callback_token(token: str | None) -> str | None:
    if token is not None and len(token) < 10:
        raise SettingsError("TOLBOOTH_NOTIFY_CALLBACK_TOKEN must be at least 10 characters "
                            "(Notify asks for that much)")
    return token


def _networks(value: str | None) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network,
                                          ...] | None:
    if value is None:
        return None
    networks = []
    for entry in (e.strip() for e in value.split(",")):
        if entry:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                raise SettingsError(f"TOLBOOTH_TRUSTED_PROXIES: {entry!r} is not an IP "
                                    "address or CIDR range") from None
    return tuple(networks) or None


def _seconds(value: str) -> float:
    seconds = float(value)
    if not 0 < seconds <= 86400:
        raise ValueError("expected a number of seconds above 0, at most 86400")
    return seconds


def _parse(need: Callable[[str], str], name: str, convert: Callable[[str], T]) -> T:
    raw = need(name)
    try:
        return convert(raw)
    except ValueError as exc:
        raise SettingsError(f"{name}={raw!r} is not valid: {exc}") from None


def _origin(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("expected http(s)://host[:port]")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError("an origin has no path, query or fragment")
    if parts.scheme == "http" and parts.hostname != "localhost":
        raise ValueError("plain http is only allowed on localhost")
    return f"{parts.scheme}://{parts.netloc}"


def _council(value: str) -> str:
    from server import councils  # data files beside the code
    if value not in councils.available():
        raise ValueError(f"expected one of {', '.join(councils.available())}")
    return value


def _tile_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if not all(f"{{{k}}}" in value for k in "zxy"):
        raise SettingsError("TOLBOOTH_MAP_TILE_URL must contain {z}, {x} and {y}")
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname == "localhost"):
        raise SettingsError("TOLBOOTH_MAP_TILE_URL must be https (http only for localhost)")
    return value


def _prefix(value: str) -> str:
    if not _PREFIX.match(value):
        raise ValueError("expected two to four capital letters")
    return value


def _email(value: str) -> str:
    if "@" not in value or " " in value:
        raise ValueError("expected an email address")
    return value


def _port(value: str) -> int:
    port = int(value)
    if not 0 < port < 65536:
        raise ValueError("expected a port number from 1 to 65535")
    return port


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError("expected a positive whole number")
    return number


def _idle_minutes(value: str) -> int:
    minutes = int(value)
    if minutes < 5:
        raise ValueError("expected at least 5 minutes: the warning comes 3 minutes before")
    return minutes


def _bool(value: str) -> bool:
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


def _log_level(value: str) -> str:
    if value.lower() not in _LOG_LEVELS:
        raise ValueError(f"expected one of {', '.join(_LOG_LEVELS)}")
    return value.lower()


def _stored_secret(data_dir: Path) -> str:
    """Make the secret key once and keep it, so sessions and links survive restarts."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text().strip()
        if len(key) < 32:
            raise SettingsError(f"{path} holds a key shorter than 32 characters") from None
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    return key
