"""Every URL the service answers, its handler and its name: the table of contents.

Sections by audience, as in handlers/: public, account, staff, admin, sync. A route
without require() is open to everyone; require() names the roles allowed (the route ×
role table in tests/test_roles_table.py pins every one).
"""

from starlette.routing import BaseRoute, Mount, Route

from server.auth.access import ADMINS, HUB, MANAGERS, OFFICERS, RESIDENTS, SIGNED_IN, require
from server.handlers.account import passkeys, phone, sign_in
from server.handlers.account import requests as my_requests
from server.handlers.account import updates as my_updates
from server.handlers.admin import (
    audit,
    closures,
    devices,
    invites,
    replies,
    rules,
    staff_changes,
)
from server.handlers.admin import feedback as feedback_admin
from server.handlers.admin import home as admin_home
from server.handlers.admin import staff as staff_admin
from server.handlers.field import app as field_app
from server.handlers.kiosk import enrol as kiosk_enrol
from server.handlers.kiosk import help as kiosk_help
from server.handlers.kiosk import idle as kiosk_idle
from server.handlers.kiosk import manage as kiosk_manage
from server.handlers.kiosk import receipts as kiosk_receipts
from server.handlers.kiosk import start as kiosk_start
from server.handlers.public import (
    app_shell,
    check,
    continue_later,
    dev_outbox,
    feedback,
    form_definitions,
    health,
    home,
    language,
    notify_callbacks,
    outbox,
    pages,
    questions,
    services,
    survey,
    track,
    track_files,
    updates,
)
from server.handlers.staff import assignment as staff_assignment
from server.handlers.staff import conflicts as staff_conflicts
from server.handlers.staff import dashboard as staff_dashboard
from server.handlers.staff import devices as staff_devices
from server.handlers.staff import duplicates as staff_duplicates
from server.handlers.staff import files as staff_files
from server.handlers.staff import hub as staff_hub
from server.handlers.staff import hub_held as staff_hub_held
from server.handlers.staff import queue as staff_queue
from server.handlers.staff import requests as staff_requests
from server.handlers.staff import tracking_links as staff_tracking_links
from server.handlers.sync import clients, kiosk_status, pull, push, uploads
from server.web.static import StaticAssets

POST = ["POST"]


def routes(assets: StaticAssets) -> list[BaseRoute]:
    return [*public(), *account(), *kiosk(), *kiosk_outbox(), *staff(), *admin(), *field(),
            *sync(), *app(assets)]


def public() -> list[BaseRoute]:
    return [
        Route("/", home.home, name="home"),
        Route("/help", pages.help_page, name="help"),
        Route("/privacy", pages.privacy, name="privacy"),
        Route("/accessibility", pages.accessibility, name="accessibility"),
        Route("/language/{code}", language.choose_language, name="language"),
        Route("/language/{code}", language.save_language, methods=POST, name="language_save"),
        Route("/services", services.services_index, name="services"),
        Route("/services/{journey}", services.journey_start, name="journey_start"),
        Route("/services/{journey}/check", check.check_page, name="check"),
        Route("/services/{journey}/check", check.check_submit, methods=POST,
              name="check_submit"),
        Route("/services/{journey}/done", check.confirmation, name="confirmation"),
        # Save and come back later: a link by email or text (journeys/continue_later.py).
        Route("/services/{journey}/save", continue_later.save_page, name="save_for_later"),
        Route("/services/{journey}/save", continue_later.save_send, methods=POST,
              name="save_for_later_send"),
        Route("/services/{journey}/{page}", questions.question_page, name="question"),
        Route("/services/{journey}/{page}", questions.question_submit, methods=POST,
              name="question_submit"),
        Route("/forms/{journey}/{file}", form_definitions.form_definition,
              name="form_definition"),
        Route("/outbox", outbox.outbox_page, name="outbox"),
        Route("/track", track.track_form, name="track"),
        Route("/track", track.track_submit, methods=POST, name="track_submit"),
        Route("/track/{token}", track.track_link, name="track_link"),
        Route("/continue/{token}", continue_later.continue_page, name="continue_later"),
        Route("/continue/{token}", continue_later.continue_use, methods=POST,
              name="continue_later_use"),
        Route("/feedback", feedback.feedback_form, name="feedback"),
        Route("/feedback", feedback.feedback_send, methods=POST, name="feedback_send"),
        # The signed link is the key: its resident adds to or withdraws the request, and
        # opens its files (from their account too).
        Route("/track/{token}/information", track.add_information, methods=POST,
              name="track_add_information"),
        Route("/track/{token}/withdraw", track.withdraw, methods=POST, name="track_withdraw"),
        Route("/track/{token}/stop", track.stop_link, methods=POST, name="track_stop_link"),
        Route("/track/{token}/files/{file_id}", track_files.file_page, name="track_file"),
        Route("/track/{token}/files/{file_id}/{variant}", track_files.file_download,
              name="track_file_download"),
        Route("/healthz", health.healthz, name="healthz"),
        # What messages link to: short links in texts, stopping updates (no sign-in; a
        # mail app's one-click stop POSTs here too), the satisfaction survey.
        Route("/r/{code}", updates.short_link, name="short_link"),
        Route("/updates/stop/{token}", updates.stop_page, name="stop_updates"),
        Route("/updates/stop/{token}", updates.stop, methods=POST, name="stop_updates_post"),
        Route("/survey/{code}", survey.survey_page, name="survey"),
        Route("/survey/{code}", survey.survey_answer, methods=POST, name="survey_answer"),
        # GOV.UK Notify, not a person: a bearer token, checked by the handler.
        Route("/notify/callbacks/delivery", notify_callbacks.delivery, methods=POST,
              name="notify_delivery"),
        Route("/notify/callbacks/received-text", notify_callbacks.received_text,
              methods=POST, name="notify_received_text"),
        # Development only (localhost, no SMTP, no Notify): 404 anywhere else.
        Route("/dev/outbox", dev_outbox.dev_outbox, name="dev_outbox"),
    ]


def account() -> list[BaseRoute]:
    return [
        # Signing in and out.
        Route("/sign-in", sign_in.sign_in_page, name="sign_in"),
        Route("/sign-in/email", sign_in.email_link_send, methods=POST, name="email_link_send"),
        Route("/sign-in/link/{token}", sign_in.email_link_page, name="email_link"),
        Route("/sign-in/link/{token}", sign_in.email_link_use, methods=POST,
              name="email_link_use"),
        Route("/enrol/{token}", passkeys.enrol_page, name="enrol"),
        # Registering needs an invite in the session or a signed-in person (checked inside).
        Route("/auth/passkeys/register/options", passkeys.register_options, methods=POST,
              name="passkey_register_options"),
        Route("/auth/passkeys/register/verify", passkeys.register_verify, methods=POST,
              name="passkey_register_verify"),
        Route("/auth/passkeys/authenticate/options", passkeys.authenticate_options,
              methods=POST, name="passkey_authenticate_options"),
        Route("/auth/passkeys/authenticate/verify", passkeys.authenticate_verify,
              methods=POST, name="passkey_authenticate_verify"),
        Route("/auth/session/keepalive", require(SIGNED_IN, sign_in.keep_alive), methods=POST,
              name="keep_alive"),
        Route("/sign-out", require(SIGNED_IN, sign_in.sign_out_here), methods=POST,
              name="sign_out"),
        Route("/sign-out/everywhere", require(SIGNED_IN, sign_in.sign_out_everywhere),
              methods=POST, name="sign_out_everywhere"),
        # Your account.
        Route("/account", require(SIGNED_IN, my_requests.account_home), name="account"),
        Route("/account/passkeys", require(SIGNED_IN, passkeys.account_passkeys),
              name="account_passkeys"),
        Route("/account/passkeys/{credential_id}/remove",
              require(SIGNED_IN, passkeys.remove_passkey), methods=POST, name="remove_passkey"),
        Route("/account/requests", require(RESIDENTS, my_requests.my_requests),
              name="my_requests"),
        Route("/account/requests/{request_id}", require(RESIDENTS, my_requests.my_request),
              name="my_request"),
        Route("/account/requests/{request_id}/information",
              require(RESIDENTS, my_requests.add_information), methods=POST,
              name="add_information"),
        Route("/account/requests/{request_id}/withdraw",
              require(RESIDENTS, my_requests.withdraw), methods=POST, name="withdraw"),
        Route("/account/phone", require(RESIDENTS, phone.phone_page), name="account_phone"),
        Route("/account/phone", require(RESIDENTS, phone.phone_send), methods=POST,
              name="account_phone_send"),
        Route("/account/phone/remove", require(RESIDENTS, phone.phone_remove), methods=POST,
              name="account_phone_remove"),
        Route("/account/updates", require(RESIDENTS, my_updates.updates_page),
              name="account_updates"),
        Route("/account/updates", require(RESIDENTS, my_updates.updates_save), methods=POST,
              name="account_updates_save"),
        # Open to everyone, to tell someone signed out to sign in first; the button needs
        # the resident the link was sent to.
        Route("/account/phone/verify/{token}", phone.phone_link_page, name="phone_link"),
        Route("/account/phone/verify/{token}", require(RESIDENTS, phone.phone_link_use),
              methods=POST, name="phone_link_use"),
    ]


def kiosk() -> list[BaseRoute]:
    # Kiosks at library hubs (issue 13): the browser is a kiosk by its tb_kiosk cookie
    # (kiosk/device.py); the people using one are not signed in.
    return [
        Route("/kiosk", kiosk_start.start_page, name="kiosk"),
        Route("/kiosk/services", kiosk_start.services_page, name="kiosk_services"),
        Route("/kiosk/finish", kiosk_start.finish, methods=POST, name="kiosk_finish"),
        # The time-out warning, open (hub staff's preview; the audit's way to it).
        Route("/kiosk/time-out", kiosk_idle.idle_preview, name="kiosk_idle_preview"),
        # "Ask for help" and assisted mode: on a kiosk only (404 elsewhere).
        Route("/kiosk/help", kiosk_help.help_page, name="kiosk_help"),
        Route("/kiosk/help", kiosk_help.ask_help, methods=POST, name="kiosk_help_ask"),
        Route("/kiosk/assist", kiosk_help.assist_page, name="kiosk_assist"),
        Route("/kiosk/assist/consent", kiosk_help.consent, methods=POST,
              name="kiosk_assist_consent"),
        # Setting one up: hub staff or an admin, signed in with a passkey just now.
        Route("/kiosk/enrol", require(HUB, kiosk_enrol.enrol_page), name="kiosk_enrol"),
        Route("/kiosk/enrol", require(HUB, kiosk_enrol.enrol), methods=POST,
              name="kiosk_enrol_send"),
    ]


def staff() -> list[BaseRoute]:
    return [
        # Library hubs (issue 13): hub staff their own hub, admins every hub.
        Route("/staff/hub", require(HUB, staff_hub.hub_page), name="staff_hub"),
        Route("/staff/hub/help/{help_id}", require(HUB, staff_hub.answer_help), methods=POST,
              name="staff_hub_help"),
        Route("/staff/hub/join", require(HUB, staff_hub.join), methods=POST,
              name="staff_hub_join"),
        Route("/staff/kiosks", require(HUB, kiosk_manage.manage_page), name="staff_kiosks"),
        Route("/staff/kiosks/timing", require(HUB, kiosk_manage.save_timing), methods=POST,
              name="staff_kiosks_timing"),
        Route("/staff/kiosks/{client_id}/revoke", require(HUB, kiosk_manage.revoke),
              methods=POST, name="staff_kiosk_revoke"),
        Route("/staff/inbox", require(OFFICERS, staff_requests.inbox), name="staff_inbox"),
        # Issue 12: saved views, bulk changes (checked first), the workload.
        Route("/staff/inbox/views", require(OFFICERS, staff_queue.save_view), methods=POST,
              name="staff_save_view"),
        Route("/staff/inbox/views/{view_id}/delete", require(OFFICERS, staff_queue.delete_view),
              methods=POST, name="staff_delete_view"),
        Route("/staff/inbox/bulk", require(OFFICERS, staff_queue.bulk), methods=POST,
              name="staff_bulk"),
        Route("/staff/workload", require(OFFICERS, staff_queue.workload), name="staff_workload"),
        # Managers see their service's figures; admins every service's, only as numbers.
        Route("/staff/dashboard", require(MANAGERS, staff_dashboard.dashboard_page),
              name="staff_dashboard"),
        Route("/staff/dashboard/figures.csv", require(MANAGERS, staff_dashboard.figures_csv),
              name="staff_dashboard_figures"),
        Route("/staff/dashboard/requests.csv",
              require(MANAGERS, staff_dashboard.requests_csv), name="staff_dashboard_requests"),
        # Issue 14: conflicts from the field, for managers of the service and admins.
        Route("/staff/conflicts", require(MANAGERS, staff_conflicts.conflicts_page),
              name="staff_conflicts"),
        Route("/staff/requests/{request_id}/conflicts/{conflict_id}",
              require(MANAGERS, staff_conflicts.resolve), methods=POST,
              name="staff_resolve_conflict"),
        # Issue 14: a manager's service's field devices, revoked when lost.
        Route("/staff/devices", require(MANAGERS, staff_devices.devices_page),
              name="staff_devices"),
        Route("/staff/devices/{client_id}/revoke",
              require(MANAGERS, staff_devices.revoke_device), methods=POST,
              name="staff_revoke_device"),
        Route("/staff/teams/{team_id}/members", require(MANAGERS, staff_queue.team_member),
              methods=POST, name="staff_team_member"),
        Route("/staff/requests/{request_id}", require(OFFICERS, staff_requests.request_page),
              name="staff_request"),
        Route("/staff/requests/{request_id}/status",
              require(OFFICERS, staff_requests.change_status), methods=POST,
              name="staff_change_status"),
        Route("/staff/requests/{request_id}/notes",
              require(OFFICERS, staff_requests.add_note), methods=POST,
              name="staff_add_note"),
        Route("/staff/requests/{request_id}/seen",
              require(OFFICERS, staff_requests.mark_seen), methods=POST,
              name="staff_mark_seen"),
        Route("/staff/requests/{request_id}/files/{file_id}",
              require(OFFICERS, staff_files.file_page), name="staff_file"),
        # {variant}: download or thumbnail; both sent by web/downloads.py.
        Route("/staff/requests/{request_id}/files/{file_id}/{variant}",
              require(OFFICERS, staff_files.file_download), name="staff_file_download"),
        Route("/staff/requests/{request_id}/tasks/{task_id}/done",
              require(OFFICERS, staff_requests.finish_task), methods=POST,
              name="staff_finish_task"),
        Route("/staff/requests/{request_id}/tracking-links/stop",
              require(OFFICERS, staff_tracking_links.stop_links), methods=POST,
              name="staff_stop_tracking_links"),
        # Issue 12: who deals with it and how urgent; each form carries its version.
        # Possible duplicates found on arrival: merged or dismissed (issue 12).
        Route("/staff/requests/{request_id}/duplicates/{link_id}/merge",
              require(OFFICERS, staff_duplicates.merge), methods=POST,
              name="staff_duplicate_merge"),
        Route("/staff/requests/{request_id}/duplicates/{link_id}/dismiss",
              require(OFFICERS, staff_duplicates.dismiss), methods=POST,
              name="staff_duplicate_dismiss"),
        Route("/staff/requests/{request_id}/take",
              require(OFFICERS, staff_assignment.take_it), methods=POST, name="staff_take"),
        Route("/staff/requests/{request_id}/assign",
              require(OFFICERS, staff_assignment.assign), methods=POST, name="staff_assign"),
        Route("/staff/requests/{request_id}/priority",
              require(OFFICERS, staff_assignment.set_priority), methods=POST,
              name="staff_priority"),
    ]


def admin() -> list[BaseRoute]:
    return [
        Route("/admin", require(ADMINS, admin_home.admin_home), name="admin_home"),
        Route("/admin/audit", require(ADMINS, audit.audit_log), name="admin_audit"),
        Route("/admin/audit.csv", require(ADMINS, audit.audit_csv), name="admin_audit_csv"),
        Route("/admin/feedback", require(ADMINS, feedback_admin.feedback_results),
              name="admin_feedback"),
        Route("/admin/staff", require(ADMINS, staff_admin.staff_list), name="admin_staff"),
        Route("/admin/staff/invite", require(ADMINS, invites.invite_form),
              name="admin_invite"),
        Route("/admin/staff/invite", require(ADMINS, invites.invite_send), methods=POST,
              name="admin_invite_send"),
        Route("/admin/staff/{staff_id}/revoke",
              require(ADMINS, staff_admin.revoke_and_reinvite), methods=POST,
              name="admin_revoke"),
        # A leaver, a new role (both confirmed first), a hub for hub staff (issue 15).
        Route("/admin/staff/{staff_id}/deactivate",
              require(ADMINS, staff_changes.deactivate_confirm), name="admin_deactivate"),
        Route("/admin/staff/{staff_id}/deactivate", require(ADMINS, staff_changes.deactivate),
              methods=POST, name="admin_deactivate_send"),
        Route("/admin/staff/{staff_id}/role", require(ADMINS, staff_changes.role_form),
              name="admin_role"),
        Route("/admin/staff/{staff_id}/role", require(ADMINS, staff_changes.role_change),
              methods=POST, name="admin_role_send"),
        Route("/admin/staff/{staff_id}/hub", require(ADMINS, staff_changes.hub_assign),
              methods=POST, name="admin_hub"),
        # Shared devices that sync (kiosks, field devices): listed, and revoked when lost.
        Route("/admin/devices", require(ADMINS, devices.devices_page), name="admin_devices"),
        Route("/admin/devices/{client_id}/revoke", require(ADMINS, devices.revoke_device),
              methods=POST, name="admin_revoke_device"),
        # Council closures: not working days for any service's targets (issue 12).
        Route("/admin/closures", require(ADMINS, closures.closures_page),
              name="admin_closures"),
        Route("/admin/closures", require(ADMINS, closures.add_closure), methods=POST,
              name="admin_closure_add"),
        Route("/admin/closures/{day}/remove", require(ADMINS, closures.remove_closure),
              methods=POST, name="admin_closure_remove"),
        # Automation rules (issue 12): admins all of them, managers their service's.
        Route("/admin/rules", require(MANAGERS, rules.rules_page), name="admin_rules"),
        Route("/admin/rules/new", require(MANAGERS, rules.rule_form), name="admin_rule_new"),
        Route("/admin/rules/new", require(MANAGERS, rules.save_rule), methods=POST,
              name="admin_rule_create"),
        Route("/admin/rules/{rule_id}", require(MANAGERS, rules.rule_form), name="admin_rule"),
        Route("/admin/rules/{rule_id}", require(MANAGERS, rules.save_rule), methods=POST,
              name="admin_rule_save"),
        Route("/admin/rules/{rule_id}/enabled", require(MANAGERS, rules.switch_rule),
              methods=POST, name="admin_rule_enabled"),
        Route("/admin/rules/{rule_id}/move", require(MANAGERS, rules.move_rule),
              methods=POST, name="admin_rule_move"),
        Route("/admin/rules/{rule_id}/dry-run", require(MANAGERS, rules.dry_run),
              name="admin_rule_dry_run"),
        Route("/admin/replies", require(ADMINS, replies.replies_page), name="admin_replies"),
        Route("/admin/replies/{template_id}", require(ADMINS, replies.reply_form),
              name="admin_reply"),
        Route("/admin/replies/{template_id}", require(ADMINS, replies.save_reply),
              methods=POST, name="admin_reply_save"),
    ]


def field() -> list[BaseRoute]:
    # The field app (issue 14): open to all, like /outbox, because the service worker keeps
    # a clean copy of it; signed out it offers sign-in. What it does goes through /sync/v1
    # with the device's token, set up by a field worker (handlers/sync/clients.py).
    return [
        Route("/field", field_app.field_app, name="field_app"),
    ]


def sync() -> list[BaseRoute]:
    # Sync v1 (sync/PROTOCOL.md): apps authenticate with a client token, not a cookie, so
    # these need no CSRF token; the handlers check the token and rate limits.
    return [
        Route("/sync/v1/clients", clients.register_client, methods=POST,
              name="sync_register_client"),
        Route("/sync/v1/push", push.push, methods=POST, name="sync_push"),
        # A kiosk reports what it has waiting to send (issue 13).
        Route("/sync/v1/kiosk/status", kiosk_status.report_status, methods=POST,
              name="sync_kiosk_status"),
        # Protocol 2: a field device pulls its person's cases (bearer token, no cookie).
        Route("/sync/v1/pull", pull.pull, name="sync_pull"),
        Route("/sync/v1/uploads", uploads.tus_options, methods=["OPTIONS"],
              name="sync_uploads_options"),
        Route("/sync/v1/uploads", uploads.tus_create, methods=POST, name="sync_upload_create"),
        Route("/sync/v1/uploads/{upload_id}", uploads.tus_offset, methods=["HEAD"],
              name="sync_upload_offset"),
        Route("/sync/v1/uploads/{upload_id}", uploads.tus_patch, methods=["PATCH"],
              name="sync_upload_patch"),
    ]


def kiosk_outbox() -> list[BaseRoute]:
    # Kiosks' encrypted outbox and receipts (issue 13): pages that hold nothing of a
    # person, the same for everyone, so the service worker keeps clean copies of them.
    return [
        Route("/kiosk/seal-key.json", kiosk_receipts.seal_key, name="kiosk_seal_key"),
        Route("/kiosk/receipt", kiosk_receipts.receipt_page, name="kiosk_receipt"),
        Route("/kiosk/outbox", kiosk_receipts.outbox_page, name="kiosk_outbox"),
        # What the hub's kiosks sent that needs its staff: hub staff their own hub's,
        # admins every hub's (handlers/kiosk/scope.py).
        Route("/staff/hub/held", require(HUB, staff_hub_held.held_list), name="staff_hub_held"),
        Route("/staff/hub/held/{item_id}", require(HUB, staff_hub_held.held_page),
              name="staff_hub_held_item"),
        Route("/staff/hub/held/{item_id}", require(HUB, staff_hub_held.held_send),
              methods=POST, name="staff_hub_held_send"),
    ]


def app(assets: StaticAssets) -> list[BaseRoute]:
    # The installable app: manifest, service worker, what it keeps for offline use.
    return [
        Route("/manifest.webmanifest", app_shell.manifest, name="manifest"),
        Route("/sw.js", app_shell.service_worker, name="service_worker"),
        Route("/offline", app_shell.offline_page, name="offline"),
        Route("/app/precache/{lang}.json", app_shell.precache_list, name="precache_list"),
        Route("/app/copies/{lang}/{path:path}", app_shell.clean_copy, name="clean_copy"),
        Mount("/static", app=assets, name="static"),
    ]
