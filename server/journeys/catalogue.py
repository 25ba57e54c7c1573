"""What each service is called and does, in words people use. Translated where shown."""

from dataclasses import dataclass

from server.i18n import lazy as _


@dataclass(frozen=True)
class ServiceText:
    name: str
    summary: str


SERVICE_TEXT = {
    "planning": ServiceText(
        _("Planning"),
        _("Get advice before you apply, report building work you think breaks the rules, "
          "or ask about protected trees."),
    ),
    "environmental-health": ServiceText(
        _("Environmental health"),
        _("Report noise, a problem with food from a business, or ask for help with pests."),
    ),
    "social-work": ServiceText(
        _("Social work"),
        _("Ask for help with care and support, or tell us you are worried about someone."),
    ),
}


def service_text(slug: str) -> ServiceText:
    return SERVICE_TEXT[slug]
