"""Default error messages, and which rules each question type has.

Messages are English source strings (Babel message ids), looked up most specific first:
`<type>.<rule>.<variant>`, then `<type>.<rule>`, then `<rule>`. A question's `errors`
object overrides a rule's message, every variant of it included. The table is exported
with each definition so the JavaScript interpreter shows the same words.
"""

from __future__ import annotations

from server.forms.questions import RULES, Question
from server.i18n import lazy as _

DEFAULT_MESSAGES: dict[str, str] = {
    "required": _("Enter %(label)s"),
    "max_length": _("%(label)s must be %(max)s characters or fewer"),
    "invalid": _("Check your answer to: %(label)s"),
    "unknown": _("This question is not in the form"),
    "email.format": _("Enter an email address in the correct format, like name@example.com"),
    "phone.format": _("Enter a UK phone number, like 0131 496 0000, or a mobile number "
                       "starting 07"),
    "address.incomplete.line1": _("Enter address line 1, typically the building and street"),
    "address.incomplete.town": _("Enter town or city"),
    "address.incomplete.postcode": _("Enter postcode"),
    "address.max_length.line1": _("Address line 1 must be %(max)s characters or fewer"),
    "address.max_length.line2": _("Address line 2 must be %(max)s characters or fewer"),
    "address.max_length.town": _("Town or city must be %(max)s characters or fewer"),
    "address.postcode": _("Enter a real postcode"),
    "date.incomplete.day": _("%(label)s must include a day"),
    "date.incomplete.month": _("%(label)s must include a month"),
    "date.incomplete.year": _("%(label)s must include a year"),
    "date.incomplete.day_month": _("%(label)s must include a day and month"),
    "date.incomplete.day_year": _("%(label)s must include a day and year"),
    "date.incomplete.month_year": _("%(label)s must include a month and year"),
    "date.real": _("Enter a real date"),
    "date.past": _("%(label)s must be today or in the past"),
    "date.future": _("%(label)s must be today or in the future"),
    "radios.required": _("Select an option"),
    "radios.choice": _("Select an option from the list"),
    "yesno.required": _("Select yes or no"),
    "yesno.choice": _("Select yes or no"),
    "checkboxes.required": _("Select at least one option"),
    "checkboxes.min": _("Select at least %(min)s options"),
    "checkboxes.choice": _("Select options from the list"),
    "file.required": _("Select a file"),
    "file.count": _("Select up to %(max)s files"),
    "file.type": _("The selected file must be a JPG, PNG, WebP or PDF"),
    "file.size": _("The selected file must be smaller than %(max)s"),
    "file.pixels": _("The selected image has too many pixels. Choose a smaller photo, or save "
                     "it at a lower resolution, then choose it again"),
    "file.unsafe": _("The selected PDF contains scripts, actions or attached files. Save or "
                     "print it again as a plain PDF, then choose it again"),
    "file.upload": _("The selected file could not be uploaded – try again"),
    "location.range": _("Enter a real location"),
    "location.both": _("Enter both latitude and longitude"),
}


def default_message(question_type: str, rule: str, variant: str | None = None) -> str:
    for key in (f"{question_type}.{rule}.{variant}", f"{question_type}.{rule}", rule):
        if key in DEFAULT_MESSAGES:
            return DEFAULT_MESSAGES[key]
    raise KeyError(f"no message for {question_type}.{rule}")


def message_for(question: Question, rule: str, variant: str | None = None) -> str:
    return question.errors.get(rule) or default_message(question.type, rule, variant)


def label_in_default(question_type: str, rule: str) -> bool:
    """True when some default message for this rule puts the label in a sentence."""
    exact = f"{question_type}.{rule}"
    specific = [m for k, m in DEFAULT_MESSAGES.items()
                if k == exact or k.startswith(exact + ".")]
    return any("%(label)s" in m for m in specific or [DEFAULT_MESSAGES.get(rule, "")])


def question_labels_in_messages(question: Question) -> list[str]:
    """Rules whose default message would read badly for this question, because its label
    is a question ("Enter When did it start?"): give each an `errors` override."""
    if not question.label.rstrip().endswith("?"):
        return []
    return [rule for rule in RULES[question.type]
            if rule not in question.errors and _can_happen(question, rule)
            and label_in_default(question.type, rule)]


def _can_happen(question: Question, rule: str) -> bool:
    if rule == "required":
        return not question.optional
    if rule in ("past", "future"):
        return question.when == rule
    if rule == "min":
        return question.min > 1
    return rule != "invalid"
