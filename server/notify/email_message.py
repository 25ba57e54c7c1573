"""An email as it goes out: plain text and accessible HTML with the same words, and the
headers that make automatic mail behave.

- `Message-ID` is made from the notification's id, so a message sent twice (the sender
  died between SMTP's acceptance and recording it) is recognisably the same message.
- `Auto-Submitted: auto-generated` (RFC 3834): auto-replies must not answer it, so an
  out-of-office cannot loop with us.
- `List-Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058)
  on updates about a request: mail apps offer a one-click stop, which POSTs to it.
"""

from __future__ import annotations

from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, formatdate, parseaddr
from functools import cache
from urllib.parse import urlsplit

import jinja2

from server import i18n
from server.i18n import lazy as _
from server.notify.compose import Words
from server.rendering import make_environment
from server.settings import Settings

# Long headers (List-Unsubscribe's signed link) kept on one line, as mail apps expect.
UNFOLDED = compat32.clone(max_line_length=998)
AUTOMATIC = _("This email was sent automatically. Replies to it are not read. To contact "
              "us, call %(phone)s or email %(email)s.")


@cache
def _environment() -> jinja2.Environment:
    return make_environment()


def message_id(settings: Settings, notification_id: str) -> str:
    return f"<{notification_id}@{urlsplit(settings.origin).hostname or 'localhost'}>"


def plain_text(words: Words, automatic: str, council: str) -> str:
    lines = [council, "", words.heading, "=" * len(words.heading), ""]
    for block in (*words.blocks, None, *words.footer):
        if block is None:
            lines += ["-" * 20, ""]
        elif block.kind == "h2":
            lines += [block.text, "-" * len(block.text), ""]
        elif block.kind == "link":
            lines += [block.text if block.text == block.url else f"{block.text}:",
                      *([] if block.text == block.url else [block.url]), ""]
        elif block.kind == "quote":
            lines += [*(f"> {line}" for line in block.text.splitlines()), ""]
        else:
            lines += [block.text, ""]
    lines.append(automatic)
    return "\n".join(lines) + "\n"


def _header(value: str) -> str:
    """A header value, RFC 2047-encoded when it is not plain ASCII."""
    return value if value.isascii() else Header(value, "utf-8").encode()


def _address(value: str) -> str:
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8") if name else address


def build_email(settings: Settings, notification_id: str, to: str, locale: str,
                words: Words) -> Message:
    # compat32 MIME classes, not EmailMessage: the modern header registry parses every
    # header it is given and cost about 3 ms a message, most of the sender's time.
    text = i18n.Gettext(locale)
    automatic = text.gettext(AUTOMATIC, phone=settings.contact_phone,
                             email=settings.contact_email)
    html = _environment().get_template("email/message.html").render(
        words=words, lang=i18n.language(locale), council_name=settings.council_name,
        automatic=automatic)
    message = MIMEMultipart("alternative", policy=UNFOLDED)
    message["From"] = _address(settings.mail_from)
    message["To"] = to
    message["Subject"] = _header(words.subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id(settings, notification_id)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"  # Outlook's own way of saying the same
    message["Content-Language"] = locale
    if words.stop_url:
        message["List-Unsubscribe"] = f"<{words.stop_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.attach(MIMEText(plain_text(words, automatic, settings.council_name), "plain",
                            "utf-8"))
    message.attach(MIMEText(html, "html", "utf-8"))
    return message
