"""The `tolbooth` command: serve, migrate, seed, invite-staff, purge, restore,
rotate-kiosk-key."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from server import litestream
from server.auth.roles import STAFF_ROLES
from server.db import Store, feed_compaction, session_data
from server.db import seed as seeding
from server.db.schema import migrate
from server.db.staff import create_invite
from server.forms.formats import email_address
from server.kiosk import keys as kiosk_keys
from server.settings import Settings, SettingsError

T = TypeVar("T")


def _store(settings: Settings) -> Store:
    return Store(settings.db_path)


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    store = _store(settings)
    try:
        done = migrate(store)
    finally:
        store.close()
    print(f"Applied migrations: {', '.join(map(str, done))}" if done else "Database is current.")
    return 0


def _write(settings: Settings, fn: Callable[..., T], *args: Any) -> T:
    """One unit of work on a migrated database, as the server's writer runs it."""
    store = _store(settings)
    try:
        migrate(store)
        return store.write_sync(fn, *args)
    finally:
        store.close()


def cmd_seed(settings: Settings, args: argparse.Namespace) -> int:
    if args.demo:
        _write(settings, seeding.seed)
        print(f"Seeded {settings.council_name}'s data and the demo staff.")
    else:
        _write(settings, seeding.seed_council)
        print(f"Seeded {settings.council_name}'s data (no staff: add --demo for demo staff).")
    return 0


def cmd_invite_admin(settings: Settings, args: argparse.Namespace) -> int:
    """The first admin of a real council: no demo admin exists to invite them."""
    email = _email(args.email)
    token = _write(settings, create_invite, email, "admin",
                   args.name or email.split("@")[0], "cli")
    print(f"{settings.origin}/enrol/{token}")
    return 0


def _email(typed: str) -> str:
    email = email_address(typed)
    if email is None:
        raise SettingsError(f"{typed!r} is not an email address (like name@example.com)")
    return email


def cmd_invite_staff(settings: Settings, args: argparse.Namespace) -> int:
    email = _email(args.email)
    token = _write(settings, create_invite, email, args.role,
                   args.name or email.split("@")[0], "cli")
    print(f"{settings.origin}/enrol/{token}")
    return 0


def cmd_purge(settings: Settings, args: argparse.Namespace) -> int:
    deleted = _write(settings, session_data.purge_expired)
    print(f"Deleted {deleted} expired drafts, contact details and draft files.")
    return 0


def cmd_compact_feed(settings: Settings, args: argparse.Namespace) -> int:
    if args.keep_days < 1:
        print("tolbooth: --keep-days must be at least 1", file=sys.stderr)
        return 2
    oldest, deleted = _write(settings, feed_compaction.compact_older_than, args.keep_days)
    print(f"Deleted {deleted} change feed rows older than {args.keep_days} days; "
          f"the oldest position kept is {oldest}.")
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.replica_url:
        print("tolbooth: TOLBOOTH_REPLICA_URL must be set to restore: the replica's directory "
              "path, file:// or s3:// URL", file=sys.stderr)
        return 2
    try:
        path = litestream.restore(settings, force=args.force)
    except litestream.RestoreError as exc:
        print(f"tolbooth: {exc}", file=sys.stderr)
        return 1
    print(f"Restored {path} from {settings.replica_url}")
    return 0


def cmd_rotate_kiosk_key(settings: Settings, args: argparse.Namespace) -> int:
    fresh = kiosk_keys.rotate(settings.data_dir, settings.kiosk_key_grace_days,
                              datetime.now(UTC))
    print(f"New kiosk sealing key {fresh.kid}. Keys before it still open what kiosks sealed "
          f"to them for {settings.kiosk_key_grace_days} days.")
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    # Marks the child Litestream runs. Not a TOLBOOTH_* name: Settings.from_env refuses
    # unknown TOLBOOTH_* variables, and this is not a setting.
    under_litestream = "_TOLBOOTH_UNDER_LITESTREAM"
    if settings.replica_url and not os.environ.get(under_litestream):
        # A missing database comes back from the replica first: replicating a new, empty
        # one would make it the replica's latest state.
        try:
            if litestream.restore_if_missing(settings):
                print(f"Restored {settings.db_path} from {settings.replica_url}",
                      file=sys.stderr)
        except litestream.RestoreError as exc:
            print(f"tolbooth: not starting: {exc}", file=sys.stderr)
            return 1
        # Migrate and seed before Litestream starts, then let it supervise the server
        # (it forwards SIGTERM/SIGINT to it and exits with it).
        _prepare(settings)
        child = [sys.executable, "-m", "server.cli", "serve",
                 "--host", args.host, "--port", str(args.port)]
        command = litestream.replicate_command(settings, child)
        os.environ[under_litestream] = "1"
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(command[0], command)
    import uvicorn

    from server.app import create_app

    _prepare(settings)
    app = create_app(settings)
    uvicorn.run(app, host=args.host, port=args.port, log_level=settings.log_level,
                access_log=False, proxy_headers=False, server_header=False)
    return 0


def _prepare(settings: Settings) -> None:
    """Migrate, and seed an empty database: the council's data, and the demo staff only
    when TOLBOOTH_DEMO asks for them. Runs before Litestream starts and again in its child,
    where both are no-ops."""
    store = _store(settings)
    try:
        migrate(store)
        if not store.read_sync(seeding.is_seeded):
            store.write_sync(seeding.seed if settings.demo else seeding.seed_council)
        store.write_sync(seeding.seed_hubs_if_none)
        store.write_sync(seeding.seed_reply_templates_if_none)
        store.write_sync(seeding.seed_teams_if_none)
    finally:
        store.close()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tolbooth", description="Tolbooth: a council's front door")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate, seed an empty database, and serve")
    serve.add_argument("--host", default="localhost")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=cmd_serve)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(run=cmd_migrate)
    seed = sub.add_parser("seed", help="add the council's hubs and services")
    seed.add_argument("--demo", action="store_true", help="and the demo staff, an admin too")
    seed.set_defaults(run=cmd_seed)
    admin = sub.add_parser("invite-admin", help="print a one-time enrolment link for an admin")
    admin.add_argument("email")
    admin.add_argument("--name")
    admin.set_defaults(run=cmd_invite_admin)
    invite = sub.add_parser("invite-staff", help="print a one-time staff enrolment link")
    invite.add_argument("--email", required=True)
    invite.add_argument("--role", required=True, choices=STAFF_ROLES)
    invite.add_argument("--name")
    invite.set_defaults(run=cmd_invite_staff)
    sub.add_parser("purge", help="delete expired drafts, contact details and draft files "
                   "(the server also does this hourly)").set_defaults(run=cmd_purge)
    compact = sub.add_parser("compact-feed", help="delete the field devices' change feed "
                             "older than --keep-days (their devices then restore their cases)")
    compact.add_argument("--keep-days", type=int, default=30)
    compact.set_defaults(run=cmd_compact_feed)
    sub.add_parser("rotate-kiosk-key", help="make a new key for kiosks to seal to (the old "
                   "ones still open for TOLBOOTH_KIOSK_KEY_GRACE_DAYS)"
                   ).set_defaults(run=cmd_rotate_kiosk_key)
    restore = sub.add_parser("restore", help="restore the database from its replica")
    restore.add_argument("--force", action="store_true", help="overwrite an existing database")
    restore.set_defaults(run=cmd_restore)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"tolbooth: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level.upper(), format="%(message)s")
    try:
        return int(args.run(settings, args))
    except SettingsError as exc:
        print(f"tolbooth: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
