"""The roles a person can hold. These exact names are used in the database and CLI."""

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
