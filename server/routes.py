"""Every URL the service answers, its handler and its name. The table of contents."""

from starlette.routing import BaseRoute, Mount, Route

from .auth.access import ADMINS, OFFICERS, RESIDENTS, SIGNED_IN, require
from .handlers import (
    account,
    admin,
    check,
    form_json,
    health,
    home,
    language,
    pages,
    passkeys,
    questions,
    services,
    sign_in,
    staff_inbox,
    track,
)
from .static import StaticAssets

POST = ["POST"]


def routes(assets: StaticAssets) -> list[BaseRoute]:
    return [
        Route("/", home.home, name="home"),
        Route("/help", pages.help_page, name="help"),
        Route("/privacy", pages.privacy, name="privacy"),
        Route("/accessibility", pages.accessibility, name="accessibility"),
        Route("/language/{code}", language.choose_language, name="language"),
        Route("/services", services.services_index, name="services"),
        Route("/services/{journey}", services.journey_start, name="journey_start"),
        Route("/services/{journey}/check", check.check_page, name="check"),
        Route("/services/{journey}/check", check.check_submit, methods=["POST"],
              name="check_submit"),
        Route("/services/{journey}/done", check.confirmation, name="confirmation"),
        Route("/services/{journey}/{page}", questions.question_page, name="question"),
        Route("/services/{journey}/{page}", questions.question_submit, methods=["POST"],
              name="question_submit"),
        Route("/forms/{journey}/{file}", form_json.form_definition, name="form_definition"),
        Route("/track", track.track_form, name="track"),
        Route("/track", track.track_submit, methods=["POST"], name="track_submit"),
        Route("/track/{token}", track.track_link, name="track_link"),
        # Signing in and out. Routes without require() are open to everyone.
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
        Route("/account", require(SIGNED_IN, account.account_home), name="account"),
        Route("/account/passkeys", require(SIGNED_IN, passkeys.account_passkeys),
              name="account_passkeys"),
        Route("/account/passkeys/{credential_id}/remove",
              require(SIGNED_IN, passkeys.remove_passkey), methods=POST, name="remove_passkey"),
        Route("/account/requests", require(RESIDENTS, account.my_requests), name="my_requests"),
        Route("/account/requests/{request_id}", require(RESIDENTS, account.my_request),
              name="my_request"),
        Route("/account/requests/{request_id}/information",
              require(RESIDENTS, account.add_information), methods=POST,
              name="add_information"),
        # Staff.
        Route("/staff/inbox", require(OFFICERS, staff_inbox.inbox), name="staff_inbox"),
        Route("/staff/requests/{request_id}", require(OFFICERS, staff_inbox.request_page),
              name="staff_request"),
        Route("/staff/requests/{request_id}/status", require(OFFICERS, staff_inbox.change_status),
              methods=POST, name="staff_change_status"),
        Route("/staff/requests/{request_id}/notes", require(OFFICERS, staff_inbox.add_note),
              methods=POST, name="staff_add_note"),
        Route("/admin/audit", require(ADMINS, admin.audit_log), name="admin_audit"),
        Route("/admin/audit.csv", require(ADMINS, admin.audit_csv), name="admin_audit_csv"),
        Route("/admin/staff", require(ADMINS, admin.staff_list), name="admin_staff"),
        Route("/admin/staff/{staff_id}/revoke", require(ADMINS, admin.revoke_and_reinvite),
              methods=POST, name="admin_revoke"),
        Route("/healthz", health.healthz, name="healthz"),
        Mount("/static", app=assets, name="static"),
    ]
