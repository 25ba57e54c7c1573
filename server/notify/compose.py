"""The words of every message, in the row's language, from the catalogues.

A notification names a template; its words are put together when it is sent, from the
request and the event it announces (both append-only, so a retry says exactly what the
first try said) and from its `params` (a one-time link). Nothing the resident is told is
written anywhere else: the same words go into the email's plain text and HTML and, in a
shorter form, into the text message.

Social work requests are told nothing about their subject: someone reporting abuse may
share a phone or a mailbox with the person they report (see QUICK_EXIT_SERVICES).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from server import i18n
from server.casework.calendar import add_working_days
from server.casework.status import STATUS, quick_exit
from server.db import clock
from server.db.notify_outbox import Claimed
from server.db.tracking_links import TrackingLink
from server.forms.definition import Journey
from server.forms.normalise import COUNCIL_TIME_ZONE
from server.forms.registry import FormRegistry
from server.i18n import lazy as _
from server.notify import links
from server.notify.sms_length import lower_grave, plain
from server.settings import Settings


@dataclass(frozen=True)
class Block:
    kind: str  # 'p', 'h2', 'quote' (someone's own words), 'link'
    text: str
    url: str | None = None


@dataclass(frozen=True)
class Words:
    subject: str
    heading: str
    blocks: tuple[Block, ...]
    sms: str
    footer: tuple[Block, ...] = ()
    stop_url: str | None = None  # List-Unsubscribe, for updates about a request


@dataclass
class Context:
    settings: Settings
    forms: FormRegistry
    notice: Claimed
    text: i18n.Gettext = field(init=False)

    def __post_init__(self) -> None:
        self.text = i18n.Gettext(self.notice.locale)

    def _(self, message: str, **values: object) -> str:
        return self.text.gettext(message, **values)

    @property
    def reference(self) -> str:
        return self.notice.reference or ""

    @property
    def request_id(self) -> str:
        return self.notice.request_id or ""

    @property
    def journey(self) -> Journey:
        assert self.notice.journey is not None and self.notice.form_version is not None
        return self.forms.get(self.notice.journey, self.notice.form_version)

    @property
    def discreet(self) -> bool:
        return quick_exit(self.notice.service or "")

    @property
    def tracking_link(self) -> TrackingLink:
        assert self.notice.tracking_public_id is not None, "a request's message, no request"
        return TrackingLink(self.request_id, self.notice.tracking_public_id,
                            self.notice.tracking_generation)

    def page_link(self) -> str:
        return links.request_page(self.settings, self.tracking_link)

    def short_link(self) -> str:
        return links.short_request_link(self.settings, self.reference, self.tracking_link)

    def reply_by_in_text(self) -> str | None:
        date_text = self.reply_by()
        return lower_grave(date_text) if date_text else None

    @functools.cached_property
    def _reply_by(self) -> str | None:
        return self._compute_reply_by()

    def reply_by(self) -> str | None:
        return self._reply_by

    def _compute_reply_by(self) -> str | None:
        """The first-response date the service promises, from the day it arrived."""
        return self._target_date("first_response_days")

    def resolve_by(self) -> str | None:
        """When the service aims to have dealt with it, pauses aside (the working-day
        clock of server/casework/sla.py moves it on while it waits for the resident)."""
        return self._target_date("resolution_days")

    def _target_date(self, target: str) -> str | None:
        targets = self.journey.targets
        if targets is None or self.notice.request_created_at is None:
            return None
        arrived = clock.parse_iso(self.notice.request_created_at)
        day = add_working_days(arrived.astimezone(COUNCIL_TIME_ZONE).date(),
                               getattr(targets, target), self.notice.closures)
        return i18n.format_date(day, self.notice.locale, "long")

    def status_label(self) -> str:
        status = self.notice.event_status or ""
        return self._(STATUS.get(status, status))


STOP_TEXTS = _("Reply STOP to stop texts.")


def _update_footer(c: Context, channel: str) -> tuple[tuple[Block, ...], str | None]:
    if channel != "email":
        return (), None
    stop = links.stop_link(c.settings, c.request_id, "email")
    return (Block("p", c._("You are getting this email because you asked for updates about "
                           "your request %(reference)s.", reference=c.reference)),
            Block("link", c._("Stop these emails"), stop)), stop


def _staff_words(c: Context, heading: str) -> tuple[Block, ...]:
    message = c.notice.event_message
    return (Block("h2", heading), Block("quote", message)) if message else ()


def acknowledgement(c: Context) -> Words:
    date_text = c.reply_by()
    in_text = c.reply_by_in_text()
    blocks = [Block("p", c._("Your reference is %(reference)s.", reference=c.reference)),
              Block("p", c._("Keep this reference. You will need it if you contact us about "
                             "this request."))]
    if not c.discreet:
        blocks.insert(0, Block("p", c._("Thank you for your request: %(title)s.",
                                        title=c._(c.journey.title))))
        blocks += [Block("h2", c._("What happens next")),
                   *(Block("p", c._(step)) for step in c.journey.next_steps)]
    if date_text:
        # The auto-response: the resident's timescales up front (issue 12).
        blocks.append(Block("p", c._("We aim to reply by %(date)s.", date=date_text)))
        blocks.append(Block("p", c._("We aim to have dealt with your request by %(date)s. "
                                     "If we need more information from you, this date "
                                     "moves on by the time we wait for it.",
                                     date=c.resolve_by())))
    blocks.append(Block("link", c._("Check the progress of your request"), c.page_link()))
    if date_text:
        sms = c._("Request %(reference)s received. We will reply by %(date)s. Progress: "
                  "%(link)s %(stop)s", reference=c.reference, date=in_text,
                  link=c.short_link(), stop=c._(STOP_TEXTS))
    else:
        sms = c._("Request %(reference)s received. Progress: %(link)s %(stop)s",
                  reference=c.reference, link=c.short_link(), stop=c._(STOP_TEXTS))
    return Words(c._("We have received your request %(reference)s", reference=c.reference),
                 c._("We have received your request"), tuple(blocks), sms)


def status_changed(c: Context) -> Words:
    blocks = (Block("p", c._("The status of your request %(reference)s is now: %(status)s.",
                             reference=c.reference, status=c.status_label())),
              *_staff_words(c, c._("Message from %(council)s",
                                   council=c.settings.council_name)),
              Block("link", c._("Check the progress of your request"), c.page_link()))
    sms = c._("Request %(reference)s is now: %(status)s. Details: %(link)s %(stop)s",
              reference=c.reference, status=c.status_label(), link=c.short_link(),
              stop=c._(STOP_TEXTS))
    return Words(c._("Your request %(reference)s has been updated", reference=c.reference),
                 c._("Your request has been updated"), blocks, sms)


def information_requested(c: Context) -> Words:
    blocks = (Block("p", c._("To carry on with your request %(reference)s, we need more "
                             "information from you.", reference=c.reference)),
              *_staff_words(c, c._("What we need")),
              Block("link", c._("Give us the information"), c.page_link()))
    sms = c._("More information needed for request %(reference)s. Reply to this text or "
              "see %(link)s %(stop)s", reference=c.reference, link=c.short_link(),
              stop=c._(STOP_TEXTS))
    return Words(c._("We need more information about your request %(reference)s",
                     reference=c.reference),
                 c._("We need more information from you"), blocks, sms)


SURVEY_QUESTION = _("How satisfied are you with how we dealt with your request?")


def closed(c: Context) -> Words:
    survey = links.survey_link(c.settings, c.reference, c.request_id)
    blocks = (Block("p", c._("We have closed your request %(reference)s.",
                             reference=c.reference)),
              *_staff_words(c, c._("Outcome")),
              Block("link", c._("Check the progress of your request"), c.page_link()),
              Block("h2", c._("Tell us how we did")),
              Block("p", c._(SURVEY_QUESTION)),
              Block("link", c._("Answer one question"), survey))
    sms = c._("Request %(reference)s is closed. See the outcome and tell us how we did: "
              "%(link)s %(stop)s", reference=c.reference, link=survey, stop=c._(STOP_TEXTS))
    return Words(c._("Your request %(reference)s is closed", reference=c.reference),
                 c._("Your request is closed"), blocks, sms)


def message(c: Context) -> Words:
    blocks = (Block("p", c._("We have sent you a message about your request %(reference)s.",
                             reference=c.reference)),
              *_staff_words(c, c._("Message from %(council)s",
                                   council=c.settings.council_name)),
              Block("link", c._("Check the progress of your request"), c.page_link()))
    sms = c._("New message about request %(reference)s: %(link)s %(stop)s",
              reference=c.reference, link=c.short_link(), stop=c._(STOP_TEXTS))
    return Words(c._("A message about your request %(reference)s", reference=c.reference),
                 c._("A message about your request"), blocks, sms)


# --- messages a person asked for: one-time links ----------------------------------------

SIGN_IN_BODY = _("Use this link to sign in to %(council)s. It works once, for %(minutes)s "
                 "minutes:\n\n%(link)s\n\nIf you did not ask to sign in, you can ignore this "
                 "email.")
PHONE_LINK_BODY = _("%(council)s: open this link to confirm this is your mobile number. It "
                    "works once, for %(minutes)s minutes:\n%(link)s\nIf you did not ask for "
                    "this, ignore this message.")


def _paragraphs(body: str, link: str) -> tuple[Block, ...]:
    return tuple(Block("link", part, part) if part == link else Block("p", part)
                 for part in body.split("\n\n"))


def sign_in_link(c: Context) -> Words:
    params = c.notice.params
    body = c._(SIGN_IN_BODY, council=c.settings.council_name, minutes=params["minutes"],
               link=params["link"])
    subject = c._("Your sign-in link")
    return Words(subject, subject, _paragraphs(body, params["link"]), body)


def phone_link(c: Context) -> Words:
    params = c.notice.params
    body = c._(PHONE_LINK_BODY, council=c.settings.council_name, minutes=params["minutes"],
               link=params["link"])
    return Words(body, body, (Block("p", body),), body)


def staff_invite(c: Context) -> Words:
    params = c.notice.params
    blocks = (Block("p", c._("You have been invited to %(council)s as: %(role)s.",
                             council=c.settings.council_name, role=c._(params["role"]))),
              Block("p", c._("Open this link on the device you will use to create your "
                             "passkey. It works once, for %(days)s days:",
                             days=params["days"])),
              Block("link", params["link"], params["link"]),
              Block("p", c._("If you did not expect this email, you can ignore it.")))
    subject = c._("You have been invited to %(council)s", council=c.settings.council_name)
    return Words(subject, c._("Create your passkey"), blocks, "")


def continue_link(c: Context) -> Words:
    """A "continue later" link for a half-finished request (server/journeys/continue_later.py)."""
    params = c.notice.params
    title = c._(params["journey_title"])
    day = i18n.format_date(date.fromisoformat(params["until"]), c.notice.locale, "long")
    body = c._("You saved your answers to “%(journey)s” to finish later. Use this link to "
               "carry on, on this or any other device. It works once, until %(date)s:"
               "\n\n%(link)s\n\nDo not share it: anyone with the link can see your "
               "answers. If you did not ask for it, you can ignore this email.",
               journey=title, date=day, link=params["link"])
    sms = c._("%(council)s: carry on with your request “%(journey)s” with this link. "
              "It works once, until %(date)s. Do not share it: %(link)s",
              council=c.settings.council_name, journey=title, date=lower_grave(day),
              link=params["link"])
    subject = c._("Carry on with your request")
    return Words(subject, subject, _paragraphs(body, params["link"]), sms)


def receipt(c: Context) -> Words:
    """A kiosk's receipt (issue 13), asked for by the person at the kiosk."""
    params = c.notice.params
    body = c._("Your receipt code for your request to %(council)s is %(code)s. Use it with "
               "the email address or phone number you gave to track your request:"
               "\n\n%(link)s", council=c.settings.council_name, code=params["code"],
               link=params["link"])
    sms = c._("%(council)s: your receipt code is %(code)s. Track your request: %(link)s",
              council=c.settings.council_name, code=params["code"], link=params["link"])
    subject = c._("Your receipt")
    return Words(subject, subject, _paragraphs(body, params["link"]), sms)


def prepared_text(c: Context) -> Words:
    """A text written before this outbox existed (moved over by migration 0010)."""
    body = str(c.notice.params.get("body", ""))
    return Words(body, body, (Block("p", body),), body)


@dataclass(frozen=True)
class Template:
    compose: Callable[[Context], Words]
    update: bool  # an update about a request: can be stopped; a failure raises a task
    life: timedelta = timedelta(days=3)  # Notify itself tries a text for 72 hours


TEMPLATES: dict[str, Template] = {
    "acknowledgement": Template(acknowledgement, update=True),
    "status_changed": Template(status_changed, update=True),
    "information_requested": Template(information_requested, update=True),
    "closed": Template(closed, update=True),
    "message": Template(message, update=True),
    "sign_in_link": Template(sign_in_link, update=False),
    "phone_link": Template(phone_link, update=False),
    "staff_invite": Template(staff_invite, update=False),
    "continue_link": Template(continue_link, update=False),
    "prepared_text": Template(prepared_text, update=False),
    "receipt": Template(receipt, update=False),
}


def compose(settings: Settings, forms: FormRegistry, notice: Claimed) -> Words:
    c = Context(settings, forms, notice)
    template = TEMPLATES[notice.template]
    words = template.compose(c)
    if template.update:
        footer, stop = _update_footer(c, notice.channel)
        words = Words(words.subject, words.heading, words.blocks, words.sms, footer, stop)
    return replace(words, sms=plain(words.sms))


def send_before(template: str, now: datetime | None = None) -> str:
    return clock.iso((now or datetime.now(UTC)) + TEMPLATES[template].life)


def today() -> date:
    return datetime.now(COUNCIL_TIME_ZONE).date()
