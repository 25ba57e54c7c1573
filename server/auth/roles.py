"""The roles a person can hold. These exact names are used in the database and CLI."""

from server.i18n import lazy as _

RESIDENT = "resident"
HUB_STAFF = "hub_staff"
PLANNING_OFFICER = "planning_officer"
ENVIRONMENTAL_HEALTH_OFFICER = "environmental_health_officer"
SOCIAL_WORK_OFFICER = "social_work_officer"
FIELD_WORKER = "field_worker"
ADMIN = "admin"
# A manager of a service (issue 12): reads its requests like its officers, and may
# reassign them to anyone of the service.
PLANNING_MANAGER = "planning_manager"
ENVIRONMENTAL_HEALTH_MANAGER = "environmental_health_manager"
SOCIAL_WORK_MANAGER = "social_work_manager"

ROLES = (
    RESIDENT,
    HUB_STAFF,
    PLANNING_OFFICER,
    ENVIRONMENTAL_HEALTH_OFFICER,
    SOCIAL_WORK_OFFICER,
    FIELD_WORKER,
    ADMIN,
    PLANNING_MANAGER,
    ENVIRONMENTAL_HEALTH_MANAGER,
    SOCIAL_WORK_MANAGER,
)
MANAGERS = (PLANNING_MANAGER, ENVIRONMENTAL_HEALTH_MANAGER, SOCIAL_WORK_MANAGER)
STAFF_ROLES = tuple(r for r in ROLES if r != RESIDENT)

# What each staff role is called where people read it (translated where shown).
LABELS = {
    HUB_STAFF: _("Library hub staff"),
    PLANNING_OFFICER: _("Planning officer"),
    ENVIRONMENTAL_HEALTH_OFFICER: _("Environmental health officer"),
    SOCIAL_WORK_OFFICER: _("Social work officer"),
    FIELD_WORKER: _("Field worker"),
    ADMIN: _("Administrator"),
    PLANNING_MANAGER: _("Planning manager"),
    ENVIRONMENTAL_HEALTH_MANAGER: _("Environmental health manager"),
    SOCIAL_WORK_MANAGER: _("Social work manager"),
}
