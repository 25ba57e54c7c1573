"""THE route × role table: every route the app answers, for someone signed out, a
resident, each staff role and an admin, and the status each gets. A route missing
from the table fails test_every_route_is_in_the_table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from server.auth import roles
from server.db.seed import STAFF
from tests.passkey_authenticator import (
    Browserless,
    make_request,
    resident,
    sign_in_with_new_passkey,
    staff_id,
)
from tests.support import build_app

ANON = "signed_out"
WHO = (ANON, *roles.ROLES)
OFFICERS = {roles.PLANNING_OFFICER, roles.ENVIRONMENTAL_HEALTH_OFFICER,
            roles.SOCIAL_WORK_OFFICER, *roles.MANAGERS, roles.ADMIN}
# Who reads a planning request: its officers, its manager, admins.
# Who sees the dashboard: managers (their service) and admins.
MANAGERS = {*roles.MANAGERS, roles.ADMIN}
PLANNING = {roles.PLANNING_OFFICER, roles.PLANNING_MANAGER, roles.ADMIN}
SIGNED_IN = set(roles.ROLES)
RULERS = {*roles.MANAGERS, roles.ADMIN}
HUBS = {roles.HUB_STAFF, roles.ADMIN}
NO_FILE = "00000000-0000-4000-8000-000000000000"


def everyone(status: int) -> dict[str, int]:
    return {who: status for who in WHO}


def only(allowed: set[str], ok: int, anon: int, refused: int = 403) -> dict[str, int]:
    return {who: anon if who == ANON else ok if who in allowed else refused for who in WHO}


def signed_in_differs(anon: int, signed_in: int) -> dict[str, int]:
    return {who: anon if who == ANON else signed_in for who in WHO}


# (method, route path) -> (sample path, form data or JSON, expected status per person).
# {page}, {request}, {own} and {first_page} are filled in from the fixture data.
TABLE: dict[tuple[str, str], tuple[str, Any, dict[str, int]]] = {
    ("GET", "/"): ("/", None, everyone(200)),
    ("GET", "/help"): ("/help", None, everyone(200)),
    ("GET", "/privacy"): ("/privacy", None, everyone(200)),
    ("GET", "/accessibility"): ("/accessibility", None, everyone(200)),
    ("GET", "/language/{code}"): ("/language/en", None, everyone(303)),
    ("POST", "/language/{code}"): ("/language/en", {}, everyone(303)),
    ("GET", "/services"): ("/services", None, everyone(200)),
    ("GET", "/services/{journey}"): ("/services/noise-complaint", None, everyone(200)),
    ("GET", "/services/{journey}/check"): ("/services/noise-complaint/check", None,
                                           everyone(303)),
    ("POST", "/services/{journey}/check"): ("/services/noise-complaint/check", {},
                                            everyone(303)),
    ("GET", "/services/{journey}/done"): ("/services/noise-complaint/done", None,
                                          everyone(404)),
    ("GET", "/services/{journey}/{page}"): ("/services/noise-complaint/{first_page}", None,
                                            everyone(200)),
    ("POST", "/services/{journey}/{page}"): ("/services/noise-complaint/{first_page}", {},
                                             everyone(200)),
    # Save and come back later: with nothing answered yet there is nothing to save.
    ("GET", "/services/{journey}/save"): ("/services/noise-complaint/save", None,
                                          everyone(303)),
    ("POST", "/services/{journey}/save"): ("/services/noise-complaint/save", {},
                                           everyone(303)),
    ("GET", "/continue/{token}"): ("/continue/not-a-token", None, everyone(410)),
    ("POST", "/continue/{token}"): ("/continue/not-a-token", {}, everyone(410)),
    # Feedback: open to everyone, no sign-in; a blank form gets its error back.
    ("GET", "/feedback"): ("/feedback", None, everyone(200)),
    ("POST", "/feedback"): ("/feedback", {}, everyone(400)),
    ("GET", "/forms/{journey}/{file}"): ("/forms/noise-complaint/v1.en.json", None,
                                         everyone(200)),
    ("GET", "/outbox"): ("/outbox", None, everyone(200)),
    # The field app: open to all (its clean copy is kept offline); signed out or in a
    # role that cannot set up a field device, it says so, and holds no case.
    ("GET", "/field"): ("/field", None, everyone(200)),
    ("GET", "/track"): ("/track", None, everyone(200)),
    ("POST", "/track"): ("/track", {}, everyone(200)),
    ("GET", "/track/{token}"): ("/track/not-a-token", None, everyone(404)),
    # The signed link is the key, whoever holds it; a forged one opens nothing.
    ("POST", "/track/{token}/information"): ("/track/not-a-token/information",
                                             {"information": "More"}, everyone(404)),
    ("POST", "/track/{token}/withdraw"): ("/track/not-a-token/withdraw", {"reason": "Done"},
                                          everyone(404)),
    ("POST", "/track/{token}/stop"): ("/track/not-a-token/stop", {}, everyone(404)),
    ("GET", "/track/{token}/files/{file_id}"): ("/track/not-a-token/files/" + NO_FILE, None,
                                                everyone(404)),
    ("GET", "/track/{token}/files/{file_id}/{variant}"): (
        "/track/not-a-token/files/" + NO_FILE + "/download", None, everyone(404)),
    ("GET", "/healthz"): ("/healthz", None, everyone(200)),
    # What messages link to: signed codes and tokens, the same for everyone.
    ("GET", "/r/{code}"): ("/r/MLC7K3PQ9XDAAAAAAAAAAAA", None, everyone(404)),
    ("GET", "/updates/stop/{token}"): ("/updates/stop/not-a-token", None, everyone(404)),
    ("POST", "/updates/stop/{token}"): ("/updates/stop/not-a-token", {}, everyone(404)),
    ("GET", "/survey/{code}"): ("/survey/MLC7K3PQ9XDAAAAAAAAAAAA", None, everyone(404)),
    ("POST", "/survey/{code}"): ("/survey/MLC7K3PQ9XDAAAAAAAAAAAA", {"score": "5"},
                                 everyone(404)),
    # GOV.UK Notify's callbacks: a bearer token (none is set here), never a session.
    ("POST", "/notify/callbacks/delivery"): ("/notify/callbacks/delivery", {"json": {}},
                                             everyone(401)),
    ("POST", "/notify/callbacks/received-text"): ("/notify/callbacks/received-text",
                                                  {"json": {}}, everyone(401)),
    # Development (localhost, no SMTP, no Notify, as here): open; 404 anywhere else.
    ("GET", "/dev/outbox"): ("/dev/outbox", None, everyone(200)),
    # Kiosks (issue 13): none of these browsers is one, so /kiosk says so, the services
    # step goes back to it and Finish changes nothing.
    ("GET", "/kiosk"): ("/kiosk", None, everyone(200)),
    ("GET", "/kiosk/services"): ("/kiosk/services", None, everyone(303)),
    ("POST", "/kiosk/finish"): ("/kiosk/finish", {}, everyone(303)),
    ("GET", "/kiosk/time-out"): ("/kiosk/time-out", None, everyone(200)),
    ("GET", "/kiosk/help"): ("/kiosk/help", None, everyone(303)),
    ("POST", "/kiosk/help"): ("/kiosk/help", {}, everyone(404)),
    ("GET", "/kiosk/assist"): ("/kiosk/assist", None, everyone(404)),
    ("POST", "/kiosk/assist/consent"): ("/kiosk/assist/consent", {"consent": "yes"},
                                        everyone(404)),
    # Setting one up, the hub's view and kiosk management: hub staff and admins.
    ("GET", "/kiosk/enrol"): ("/kiosk/enrol", None, only(HUBS, 200, 303)),
    ("POST", "/kiosk/enrol"): ("/kiosk/enrol", {}, only(HUBS, 400, 403)),
    ("GET", "/staff/hub"): ("/staff/hub", None, only(HUBS, 200, 303)),
    ("POST", "/staff/hub/help/{help_id}"): ("/staff/hub/help/9999", {"status": "done"},
                                            only(HUBS, 404, 403)),
    ("POST", "/staff/hub/join"): ("/staff/hub/join", {"code": ""}, only(HUBS, 400, 403)),
    ("GET", "/staff/kiosks"): ("/staff/kiosks", None, only(HUBS, 200, 303)),
    ("POST", "/staff/kiosks/timing"): ("/staff/kiosks/timing",
                                       {"hub": "dalkeith", "idle_seconds": "7"},
                                       only(HUBS, 400, 403)),
    ("POST", "/staff/kiosks/{client_id}/revoke"): ("/staff/kiosks/nothing/revoke", {},
                                                   only(HUBS, 404, 403)),
    ("POST", "/sync/v1/kiosk/status"): ("/sync/v1/kiosk/status", {"json": {}},
                                        everyone(401)),
    ("GET", "/manifest.webmanifest"): ("/manifest.webmanifest", None, everyone(200)),
    ("GET", "/sw.js"): ("/sw.js", None, everyone(200)),
    ("GET", "/offline"): ("/offline", None, everyone(200)),
    # A kiosk's public key, receipt and outbox pages: nothing personal, kept offline.
    ("GET", "/kiosk/seal-key.json"): ("/kiosk/seal-key.json", None, everyone(200)),
    ("GET", "/kiosk/receipt"): ("/kiosk/receipt?code=LOCAL-7K3P-Q9X2", None, everyone(200)),
    ("GET", "/kiosk/outbox"): ("/kiosk/outbox", None, everyone(200)),
    # What a hub's kiosks sent that needs its staff: hub staff and admins only.
    ("GET", "/staff/hub/held"): ("/staff/hub/held", None,
                                 only({roles.HUB_STAFF, roles.ADMIN}, 200, 303)),
    ("GET", "/staff/hub/held/{item_id}"): ("/staff/hub/held/999999", None,
                                           only({roles.HUB_STAFF, roles.ADMIN}, 404, 303)),
    ("POST", "/staff/hub/held/{item_id}"): ("/staff/hub/held/999999", {},
                                            only({roles.HUB_STAFF, roles.ADMIN}, 404, 403)),
    ("GET", "/app/precache/{lang}.json"): ("/app/precache/en.json", None, everyone(200)),
    # The same clean copy for everyone, whoever asks: nothing personal in it.
    ("GET", "/app/copies/{lang}/{path:path}"): ("/app/copies/en/services/noise-complaint",
                                                None, everyone(200)),
    # Sync v1: apps, not people. A personal device may sign up whoever is signed in;
    # everything else needs a client token, which none of these people sends.
    ("POST", "/sync/v1/clients"): (
        "/sync/v1/clients", {"json": {"protocol": 1, "kind": "personal", "app_version": "t"}},
        everyone(201)),
    ("POST", "/sync/v1/push"): ("/sync/v1/push", {"json": {}}, everyone(401)),
    ("GET", "/sync/v1/pull"): ("/sync/v1/pull?protocol=2", None, everyone(401)),
    ("OPTIONS", "/sync/v1/uploads"): ("/sync/v1/uploads", None, everyone(204)),
    ("POST", "/sync/v1/uploads"): ("/sync/v1/uploads", {"json": {}}, everyone(401)),
    ("PATCH", "/sync/v1/uploads/{upload_id}"): ("/sync/v1/uploads/nothing", None,
                                                everyone(401)),
    ("GET", "/sign-in"): ("/sign-in", None, signed_in_differs(200, 303)),
    ("POST", "/sign-in/email"): ("/sign-in/email", {"email": "not an email"}, everyone(200)),
    ("GET", "/sign-in/link/{token}"): ("/sign-in/link/not-a-token", None, everyone(410)),
    ("POST", "/sign-in/link/{token}"): ("/sign-in/link/not-a-token", {}, everyone(410)),
    ("GET", "/enrol/{token}"): ("/enrol/not-a-token", None, everyone(410)),
    ("POST", "/auth/passkeys/register/options"): (
        "/auth/passkeys/register/options", {"json": {"purpose": "account"}},
        signed_in_differs(403, 200)),
    ("POST", "/auth/passkeys/register/verify"): (
        "/auth/passkeys/register/verify", {"json": {"purpose": "account"}}, everyone(403)),
    ("POST", "/auth/passkeys/authenticate/options"): (
        "/auth/passkeys/authenticate/options", {"json": {}}, everyone(200)),
    ("POST", "/auth/passkeys/authenticate/verify"): (
        "/auth/passkeys/authenticate/verify", {"json": {}}, everyone(403)),
    ("POST", "/auth/session/keepalive"): ("/auth/session/keepalive", {"json": {}},
                                          only(SIGNED_IN, 200, 403)),
    ("POST", "/sign-out"): ("/sign-out", {}, only(SIGNED_IN, 303, 403)),
    ("POST", "/sign-out/everywhere"): ("/sign-out/everywhere", {},
                                       only(SIGNED_IN, 303, 403)),
    ("GET", "/account"): ("/account", None, only(SIGNED_IN, 200, 303)),
    ("GET", "/account/passkeys"): ("/account/passkeys", None, only(SIGNED_IN, 200, 303)),
    ("POST", "/account/passkeys/{credential_id}/remove"): (
        "/account/passkeys/not-mine/remove", {}, only(SIGNED_IN, 404, 403)),
    ("GET", "/account/requests"): ("/account/requests", None,
                                   only({roles.RESIDENT}, 200, 303)),
    ("GET", "/account/requests/{request_id}"): ("/account/requests/{own}", None,
                                                only({roles.RESIDENT}, 200, 303)),
    ("POST", "/account/requests/{request_id}/information"): (
        "/account/requests/{own}/information", {"information": "More detail"},
        only({roles.RESIDENT}, 303, 403)),
    # No reason given: the resident gets the error back (400), nothing is withdrawn.
    ("POST", "/account/requests/{request_id}/withdraw"): (
        "/account/requests/{own}/withdraw", {"reason": ""}, only({roles.RESIDENT}, 400, 403)),
    ("GET", "/account/phone"): ("/account/phone", None, only({roles.RESIDENT}, 200, 303)),
    # A number that is not a UK mobile: the resident gets the error back, no text is sent.
    ("POST", "/account/phone"): ("/account/phone", {"phone": "12345"},
                                 only({roles.RESIDENT}, 400, 403)),
    ("POST", "/account/phone/remove"): ("/account/phone/remove", {},
                                        only({roles.RESIDENT}, 303, 403)),
    ("GET", "/account/updates"): ("/account/updates", None, only({roles.RESIDENT}, 200, 303)),
    ("POST", "/account/updates"): ("/account/updates", {"updates": "both"},
                                   only({roles.RESIDENT}, 303, 403)),
    # Open signed out (to say "sign in first"), so an unknown link is 410 for them too.
    ("GET", "/account/phone/verify/{token}"): ("/account/phone/verify/not-a-token", None,
                                               only({roles.RESIDENT}, 410, 410)),
    ("POST", "/account/phone/verify/{token}"): ("/account/phone/verify/not-a-token", {},
                                                only({roles.RESIDENT}, 410, 403)),
    ("GET", "/staff/inbox"): ("/staff/inbox", None, only(OFFICERS, 200, 303)),
    ("POST", "/staff/inbox/views"): ("/staff/inbox/views",
                                     {"name": "Mine", "query": "assignee=me"},
                                     only(OFFICERS, 303, 403)),
    ("POST", "/staff/inbox/views/{view_id}/delete"): ("/staff/inbox/views/999999/delete", {},
                                                      only(OFFICERS, 404, 403)),
    # Nothing ticked: the officer is told so (400), nothing changes.
    ("POST", "/staff/inbox/bulk"): ("/staff/inbox/bulk", {"action": "take"},
                                    only(OFFICERS, 400, 403)),
    ("GET", "/staff/workload"): ("/staff/workload", None, only(OFFICERS, 200, 303)),
    ("GET", "/staff/dashboard"): ("/staff/dashboard", None, only(MANAGERS, 200, 303)),
    ("GET", "/staff/dashboard/figures.csv"): ("/staff/dashboard/figures.csv", None,
                                              only(MANAGERS, 200, 303)),
    ("GET", "/staff/dashboard/requests.csv"): ("/staff/dashboard/requests.csv", None,
                                               only(MANAGERS, 200, 303)),
    # Issue 14: conflicts from the field, for managers and admins; none on this request.
    ("GET", "/staff/conflicts"): ("/staff/conflicts", None, only(MANAGERS, 200, 303)),
    ("POST", "/staff/requests/{request_id}/conflicts/{conflict_id}"): (
        "/staff/requests/{request}/conflicts/nothing", {"choice": "server"},
        only({roles.PLANNING_MANAGER, roles.ADMIN}, 404, 403)),
    # Issue 14: a manager's service's field devices; an unknown one is not theirs (404).
    ("GET", "/staff/devices"): ("/staff/devices", None, only(MANAGERS, 200, 303)),
    ("POST", "/staff/devices/{client_id}/revoke"): ("/staff/devices/nothing/revoke", {},
                                                    only(MANAGERS, 404, 403)),
    # Team members: managers (of the team's service) and admins; a team of nobody's: 400.
    ("POST", "/staff/teams/{team_id}/members"): (
        "/staff/teams/no-such-team/members", {"staff": "nobody"},
        only({*roles.MANAGERS, roles.ADMIN}, 400, 403)),
    # A planning request: its own officer and admins only (least privilege).
    ("GET", "/staff/requests/{request_id}"): (
        "/staff/requests/{request}", None,
        only(PLANNING, 200, 303)),
    ("POST", "/staff/requests/{request_id}/status"): (
        "/staff/requests/{request}/status", {"status": "in_progress", "message": "On it"},
        only(PLANNING, 303, 403)),
    ("POST", "/staff/requests/{request_id}/notes"): (
        "/staff/requests/{request}/notes", {"note": "Called them"},
        only(PLANNING, 303, 403)),
    ("POST", "/staff/requests/{request_id}/seen"): (
        "/staff/requests/{request}/seen", {},
        only(PLANNING, 303, 403)),
    ("POST", "/staff/requests/{request_id}/tracking-links/stop"): (
        "/staff/requests/{request}/tracking-links/stop", {},
        only(PLANNING, 303, 403)),
    # A file the request does not have: 404 for those who may read it, 403 for the rest.
    ("GET", "/staff/requests/{request_id}/files/{file_id}"): (
        "/staff/requests/{request}/files/" + NO_FILE, None,
        only(PLANNING, 404, 303)),
    ("GET", "/staff/requests/{request_id}/files/{file_id}/{variant}"): (
        "/staff/requests/{request}/files/" + NO_FILE + "/download", None,
        only(PLANNING, 404, 303)),
    ("POST", "/staff/requests/{request_id}/tasks/{task_id}/done"): (
        "/staff/requests/{request}/tasks/999/done", {},
        only(PLANNING, 404, 403)),
    # Issue 12: a form without the version it was rendered with is never applied (409).
    ("POST", "/staff/requests/{request_id}/take"): ("/staff/requests/{request}/take", {},
                                                    only(PLANNING, 409, 403)),
    ("POST", "/staff/requests/{request_id}/assign"): (
        "/staff/requests/{request}/assign", {"team": "planning-enforcement"},
        only(PLANNING, 409, 403)),
    ("POST", "/staff/requests/{request_id}/priority"): (
        "/staff/requests/{request}/priority", {"priority": "high"}, only(PLANNING, 409, 403)),
    ("GET", "/admin/audit"): ("/admin/audit", None, only({roles.ADMIN}, 200, 303)),
    ("GET", "/admin/audit.csv"): ("/admin/audit.csv", None, only({roles.ADMIN}, 200, 303)),
    ("GET", "/admin/staff"): ("/admin/staff", None, only({roles.ADMIN}, 200, 303)),
    # Feedback results: admins until the manager role exists (a later issue).
    ("GET", "/admin/feedback"): ("/admin/feedback", None, only({roles.ADMIN}, 200, 303)),
    ("GET", "/admin/staff/invite"): ("/admin/staff/invite", None, only({roles.ADMIN}, 200, 303)),
    # Blank form: the admin gets the errors back (400), nothing is made.
    ("POST", "/admin/staff/invite"): ("/admin/staff/invite", {}, only({roles.ADMIN}, 400, 403)),
    ("POST", "/admin/staff/{staff_id}/revoke"): ("/admin/staff/nobody/revoke", {},
                                                 only({roles.ADMIN}, 404, 403)),
    ("GET", "/admin"): ("/admin", None, only({roles.ADMIN}, 200, 303)),
    # The confirm pages open for a real colleague; the changes are posted for nobody, so
    # the people signing in for the rest of the table stay as they are.
    ("GET", "/admin/staff/{staff_id}/deactivate"): ("/admin/staff/{colleague}/deactivate",
                                                    None, only({roles.ADMIN}, 200, 303)),
    ("POST", "/admin/staff/{staff_id}/deactivate"): ("/admin/staff/nobody/deactivate", {},
                                                     only({roles.ADMIN}, 404, 403)),
    ("GET", "/admin/staff/{staff_id}/role"): ("/admin/staff/{colleague}/role", None,
                                              only({roles.ADMIN}, 200, 303)),
    ("POST", "/admin/staff/{staff_id}/role"): ("/admin/staff/nobody/role",
                                               {"role": "field-worker"},
                                               only({roles.ADMIN}, 404, 403)),
    ("POST", "/admin/staff/{staff_id}/hub"): ("/admin/staff/nobody/hub", {"hub": "dalkeith"},
                                              only({roles.ADMIN}, 404, 403)),
    ("GET", "/admin/devices"): ("/admin/devices", None, only({roles.ADMIN}, 200, 303)),
    ("POST", "/admin/devices/{client_id}/revoke"): ("/admin/devices/nothing/revoke", {},
                                                   only({roles.ADMIN}, 404, 403)),
    ("GET", "/admin/closures"): ("/admin/closures", None, only({roles.ADMIN}, 200, 303)),
    ("POST", "/admin/closures"): ("/admin/closures", {"day": "", "name": ""},
                                  only({roles.ADMIN}, 400, 403)),
    ("POST", "/admin/closures/{day}/remove"): ("/admin/closures/2030-01-02/remove", {},
                                              only({roles.ADMIN}, 404, 403)),
    ("GET", "/admin/replies"): ("/admin/replies", None, only({roles.ADMIN}, 200, 303)),
    ("GET", "/admin/replies/{template_id}"): ("/admin/replies/triaged", None,
                                             only({roles.ADMIN}, 200, 303)),
    ("POST", "/admin/replies/{template_id}"): ("/admin/replies/nothing", {},
                                              only({roles.ADMIN}, 404, 403)),
    # Automation rules: admins every rule, managers their own service's.
    ("GET", "/admin/rules"): ("/admin/rules", None, only(RULERS, 200, 303)),
    ("GET", "/admin/rules/new"): ("/admin/rules/new", None, only(RULERS, 200, 303)),
    ("POST", "/admin/rules/new"): ("/admin/rules/new", {"name": ""}, only(RULERS, 400, 403)),
    ("GET", "/admin/rules/{rule_id}"): ("/admin/rules/9999", None, only(RULERS, 404, 303)),
    ("POST", "/admin/rules/{rule_id}"): ("/admin/rules/9999", {}, only(RULERS, 404, 403)),
    ("POST", "/admin/rules/{rule_id}/enabled"): ("/admin/rules/9999/enabled", {},
                                                 only(RULERS, 404, 403)),
    ("POST", "/admin/rules/{rule_id}/move"): ("/admin/rules/9999/move", {},
                                              only(RULERS, 404, 403)),
    ("GET", "/admin/rules/{rule_id}/dry-run"): ("/admin/rules/9999/dry-run", None,
                                                only(RULERS, 404, 303)),
    ("POST", "/staff/requests/{request_id}/duplicates/{link_id}/merge"): (
        "/staff/requests/{request}/duplicates/9999/merge", {}, only(PLANNING, 404, 403)),
    ("POST", "/staff/requests/{request_id}/duplicates/{link_id}/dismiss"): (
        "/staff/requests/{request}/duplicates/9999/dismiss", {}, only(PLANNING, 404, 403)),
}

# A social work (special category) request on every route that reads or changes one:
# social work officers only. Admins are refused like any other role (issue 10: they
# read these in full and added notes).
SOCIAL = {roles.SOCIAL_WORK_OFFICER, roles.SOCIAL_WORK_MANAGER}
SOCIAL_WORK: dict[tuple[str, str], tuple[str, Any, dict[str, int]]] = {
    ("GET", "/staff/requests/{request_id}"): ("/staff/requests/{social}", None,
                                              only(SOCIAL, 200, 303)),
    ("POST", "/staff/requests/{request_id}/status"): (
        "/staff/requests/{social}/status", {"status": "in_progress", "message": "On it"},
        only(SOCIAL, 303, 403)),
    ("POST", "/staff/requests/{request_id}/notes"): (
        "/staff/requests/{social}/notes", {"note": "Called them"}, only(SOCIAL, 303, 403)),
    ("POST", "/staff/requests/{request_id}/seen"): ("/staff/requests/{social}/seen", {},
                                                    only(SOCIAL, 303, 403)),
    ("GET", "/staff/requests/{request_id}/files/{file_id}"): (
        "/staff/requests/{social}/files/" + NO_FILE, None, only(SOCIAL, 404, 303)),
    ("GET", "/staff/requests/{request_id}/files/{file_id}/{variant}"): (
        "/staff/requests/{social}/files/" + NO_FILE + "/download", None,
        only(SOCIAL, 404, 303)),
    ("POST", "/staff/requests/{request_id}/tasks/{task_id}/done"): (
        "/staff/requests/{social}/tasks/999/done", {}, only(SOCIAL, 404, 403)),
    # Issue 14: choosing a conflict's value is the social work manager's alone.
    ("POST", "/staff/requests/{request_id}/conflicts/{conflict_id}"): (
        "/staff/requests/{social}/conflicts/nothing", {"choice": "server"},
        only({roles.SOCIAL_WORK_MANAGER}, 404, 403)),
    ("POST", "/staff/requests/{request_id}/tracking-links/stop"): (
        "/staff/requests/{social}/tracking-links/stop", {}, only(SOCIAL, 303, 403)),
    ("POST", "/staff/requests/{request_id}/take"): ("/staff/requests/{social}/take", {},
                                                    only(SOCIAL, 409, 403)),
    ("POST", "/staff/requests/{request_id}/duplicates/{link_id}/merge"): (
        "/staff/requests/{social}/duplicates/9999/merge", {}, only(SOCIAL, 404, 403)),
    ("POST", "/staff/requests/{request_id}/duplicates/{link_id}/dismiss"): (
        "/staff/requests/{social}/duplicates/9999/dismiss", {}, only(SOCIAL, 404, 403)),
    ("POST", "/staff/requests/{request_id}/assign"): (
        "/staff/requests/{social}/assign", {"team": "adult-duty"}, only(SOCIAL, 409, 403)),
    ("POST", "/staff/requests/{request_id}/priority"): (
        "/staff/requests/{social}/priority", {"priority": "high"}, only(SOCIAL, 409, 403)),
}

RESIDENT_EMAIL = "resident.one@example.com"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    yield from every_role(tmp_path_factory)


def every_role(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """An app with a person of each role (tests/test_header_links.py signs them in too)."""
    built = build_app(tmp_path_factory.mktemp("roles") / "data")
    app, store, settings = built.app, built.store, built.settings
    ids = {role: staff_id(store, email) for email, _n, role, _h in STAFF}
    ids[roles.RESIDENT] = resident(store, RESIDENT_EMAIL)
    yield {
        "app": app, "store": store, "settings": settings, "ids": ids, "built": built,
        "fill": {
            "request": make_request(store, "planning", "someone@example.com",
                                    journey="tree-enquiry"),
            "own": make_request(store, "environmental-health", RESIDENT_EMAIL),
            "social": make_request(store, "social-work", "someone@example.com",
                                   journey="adult-protection-concern", special=True),
            "first_page": app.state.forms.latest("noise-complaint").pages[0].id,
            "colleague": ids[roles.HUB_STAFF],
        },
    }
    store.close()


def table_routes(app: Any) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        if isinstance(route, Route):
            for method in (route.methods or set()) - {"HEAD"}:
                found.add((method, route.path))
    return found


def test_every_route_is_in_the_table(world):
    routes = table_routes(world["app"])
    missing = routes - set(TABLE)
    assert not missing, f"add these routes to TABLE with a status per role: {sorted(missing)}"
    stale = set(TABLE) - routes
    assert not stale, f"TABLE lists routes that no longer exist: {sorted(stale)}"
    staff_request_routes = {r for r in routes if r[1].startswith("/staff/requests/")}
    assert staff_request_routes == set(SOCIAL_WORK), "every request route has a social row"


def client_for(world: dict[str, Any], who: str) -> TestClient:
    client = TestClient(world["app"], base_url=world["settings"].origin)
    if who != ANON:
        kind = "resident" if who == roles.RESIDENT else "staff"
        sign_in_with_new_passkey(client, world["store"], world["settings"].origin, kind,
                                 world["ids"][who])
    return client


@pytest.fixture(autouse=True)
def _fresh_rate_limits(world):
    """The table posts to rate-limited forms once per role; the app lives for the module."""
    world["built"].fresh_rate_limits()


@pytest.mark.parametrize("who", WHO)
def test_route_role_table(world, who):
    wrong = []
    reader = client_for(world, who)
    origin = world["settings"].origin
    # GETs before POSTs: a POST to /sign-out/everywhere ends the reader's session too.
    checks = sorted([*TABLE.items(), *SOCIAL_WORK.items()], key=lambda check: check[0])
    for (method, route), (sample, body, expected) in checks:
        path = sample.format(**world["fill"])
        if method == "GET":
            response = reader.get(path, follow_redirects=False)
        elif method not in ("GET", "POST"):
            response = reader.request(method, path, follow_redirects=False)
        else:
            # A fresh session for each change, so signing out does not affect the rest.
            client = client_for(world, who)
            driver = Browserless(client, origin)
            token = driver.token("/sign-in")
            if isinstance(body, dict) and "json" in body:
                response = driver.post_json(path, body["json"], token)
            else:
                response = client.post(path, data={"csrf_token": token, **(body or {})},
                                       headers={"Origin": origin}, follow_redirects=False)
        if response.status_code != expected[who]:
            wrong.append(f"{method} {route} as {who}: {response.status_code}, "
                         f"expected {expected[who]}")
    assert not wrong, "\n".join(wrong)
