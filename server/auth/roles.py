"""The roles a person can hold. These exact names are used in the database and CLI."""

from server.i18n import lazy as _

RESIDENT = "resident"
HUB_STAFF = "hub_staff"
PLANNING_OFFICER = "planning_officer"
ENVIRONMENTAL_HEALTH_OFFICER = "environmental_health_officer"
SOCIAL_WORK_OFFICER = "social_work_officer"
FIELD_WORKER = "field_worker"
ADMIN = "admin"

ROLES = (
    RESIDENT,
    HUB_STAFF,
    PLANNING_OFFICER,
    ENVIRONMENTAL_HEALTH_OFFICER,
    SOCIAL_WORK_OFFICER,
    FIELD_WORKER,
    ADMIN,
)
STAFF_ROLES = tuple(r for r in ROLES if r != RESIDENT)

# What each staff role is called where people read it (translated where shown).
LABELS = {
    HUB_STAFF: _("Library hub staff"),
    PLANNING_OFFICER: _("Planning officer"),
    ENVIRONMENTAL_HEALTH_OFFICER: _("Environmental health officer"),
    SOCIAL_WORK_OFFICER: _("Social work officer"),
    FIELD_WORKER: _("Field worker"),
    ADMIN: _("Administrator"),
}
