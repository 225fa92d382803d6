"""Turning an outbox message into words: subject, text and HTML bodies, SMS, .ics.

Each kind has one template `templates/<language>/<kind>.j2` holding its `subject`, `sms` and
`intro` blocks; it extends `_base.txt.j2` (the text body) and its `intro` also feeds the shared
HTML layout, so the two bodies never say different things. Times are shown in the recipient's
zone; a language without templates falls back to English.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape

from assistant.notifications import ics
from assistant.notifications.audience import Audience
from assistant.notifications.context import message_context

Json = dict[str, Any]
SMS_LIMIT = 306
"""Two concatenated GSM-7 segments (153 characters each)."""
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
CALENDAR_METHODS = {"confirmation": "REQUEST", "reminder": "REQUEST", "reschedule": "REQUEST",
                    "cancellation": "CANCEL", "owner_change": "CANCEL"}


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str
    sms: str | None
    ics: bytes | None = None


def gsm7(text: str) -> str:
    """The text with characters outside the GSM-7 alphabet replaced by their ASCII base, so a
    single curly quote cannot switch the whole SMS to UCS-2 (70 characters a segment)."""
    swaps = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
             "\u2014": "-", "\u2026": "...", "\u00a0": " ", "\u20ac": "EUR"}
    out = []
    for char in text:
        char = swaps.get(char, char)
        if all(c in GSM7 for c in char):
            out.append(char)
        else:
            out.append(unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode())
    return "".join(out)


def fit_sms(text: str) -> str:
    body = gsm7(" ".join(text.split()))
    return body if len(body) <= SMS_LIMIT else body[: SMS_LIMIT - 3] + "..."


class Renderer:
    def __init__(self, link_key: str, base_url: str) -> None:
        """`link_key` signs the customer links in messages (`links.link_key(settings)`)."""
        self.link_key = link_key
        self.base_url = base_url
        self.env = Environment(
            loader=PackageLoader("assistant.notifications", "templates"),
            autoescape=select_autoescape(["html.j2"]), undefined=StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        )

    def template_kind(self, kind: str, payload: Json) -> str:
        """An owner's cancellation that offers new times reads as a change to confirm."""
        if kind == "cancellation" and payload.get("offer_new_times"):
            return "owner_change"
        return kind

    def _template(self, language: str, kind: str) -> Template:
        names = [f"{language}/{kind}.j2", f"en/{kind}.j2"]
        return self.env.select_template(names)

    def render(self, kind: str, payload: Json, audience: Audience, now: datetime,
               short_code: str | None = None) -> Rendered:
        """`short_code`: the short link issued for this message's SMS, if any."""
        kind = self.template_kind(kind, payload)
        context = message_context(kind, payload, audience, self.link_key, self.base_url,
                                  short_code)
        template = self._template(audience.recipient.language, kind)
        text = template.render(context)
        intro = _block(template, "intro", context)
        layout = self._template(audience.recipient.language, "_layout.html")
        html = layout.render(context | {"intro": intro})
        sms = _block(template, "sms", context) if "sms" in template.blocks else None
        return Rendered(" ".join(_block(template, "subject", context).split()), text, html,
                        fit_sms(sms) if sms else None, _calendar(kind, context, now))


def _block(template: Template, name: str, context: Json) -> str:
    return "".join(template.blocks[name](template.new_context(context))).strip()


def _calendar(kind: str, context: Json, now: datetime) -> bytes | None:
    """REQUEST for news of a (moved) appointment; CANCEL, one SEQUENCE up, when it is off."""
    method = CALENDAR_METHODS.get(kind)
    event: ics.CalendarEvent | None = context.get("event")
    if method is None or event is None:
        return None
    if method == "CANCEL":
        event = replace(event, sequence=event.sequence + 1)
    return ics.build(event, method, now)
