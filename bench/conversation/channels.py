"""The three ways a scripted customer reaches the running assistant, all through the gateway:
the website's `POST /chat`, Twilio's SMS webhook and Twilio's voice webhooks (signed with the
gateway's Twilio auth token, as Twilio signs them). Each answers with what the customer reads
or hears and the offers in it, read back into day, time and staff.
"""

from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from urllib.parse import urlencode
from xml.etree import ElementTree

import aiohttp
from twilio.request_validator import RequestValidator

MONTHS = ("January February March April May June July August September October November "
          "December").split()
OFFER = re.compile(
    r"(?P<day>today|tomorrow|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? (?P<month>"
    + "|".join(MONTHS) + r") (?P<dom>\d{1,2})(?:st|nd|rd|th)?) at (?P<hour>\d{1,2})"
    r"(?::(?P<minute>\d{2})| (?P<spoken>\d{2})| oh (?P<oh>\d))? ?(?P<half>AM|PM|a\.m\.|p\.m\.)"
    r" with (?P<staff>[A-Z][\w'-]*)")
OFFER_LINE = re.compile(r"^\s*\d+[.)]\s+(.*)$", re.MULTILINE)
SPOKEN_OFFER = re.compile(r"(?:^|\. |\? |: )([^:]*?): press \d+ or say the \w+")
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Offer:
    number: int
    day: date
    start: time
    staff: str
    labelled: bool
    """Said to be what the customer asked for ("as you asked", "when you asked")."""


@dataclass
class Reply:
    text: str
    offers: list[Offer] = field(default_factory=list)
    hung_up: bool = False


def read_offer(number: int, text: str, today: date) -> Offer | None:
    """"tomorrow at 3 PM with Ana" (or "Friday, December 4th at 3 30 p.m. with Ana" aloud)."""
    found = OFFER.search(text)
    if found is None:
        return None
    day_word = found.group("day")
    if day_word in ("today", "tomorrow"):
        day = today + timedelta(days=0 if day_word == "today" else 1)
    else:
        month, dom = MONTHS.index(found.group("month")) + 1, int(found.group("dom"))
        day = date(today.year, month, dom)
        if day < today:
            day = date(today.year + 1, month, dom)
    hour = int(found.group("hour")) % 12 + (12 if found.group("half")[0] in "Pp" else 0)
    minute = int(found.group("minute") or found.group("spoken") or found.group("oh") or 0)
    labelled = bool(re.search(r"(as|when) you asked", text[found.end():]))
    return Offer(number, day, time(hour, minute), found.group("staff"), labelled)


def _offers(texts: list[str], today: date) -> list[Offer]:
    read = (read_offer(n, text, today) for n, text in enumerate(texts, start=1))
    return [offer for offer in read if offer is not None]


class Web:
    """The website chat: a visitor from an address of its own, as different people are."""

    def __init__(self, http: aiohttp.ClientSession, gateway: str, sender: str) -> None:
        self.http, self.url, self.sender = http, f"{gateway}/chat", sender
        n = next(_numbers)
        self.address = f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}"

    async def open(self, today: date) -> Reply | None:
        return None

    async def say(self, message: str, today: date) -> Reply:
        async with self.http.post(self.url, json={"sender": self.sender, "message": message},
                                  headers={"X-Forwarded-For": self.address}) as response:
            body = await response.json()
        if response.status != 200:
            return Reply(f"[HTTP {response.status}: {body}]")
        replies = body["replies"]
        buttons = [b.get("title", "") for r in replies for b in r.get("buttons") or []]
        text = " ".join(r.get("text", "") for r in replies)
        shown = "".join(f"\n  [{title}]" for title in buttons)  # what the visitor sees too
        return Reply(text + shown, _offers(buttons, today))


class Twilio:
    """What both Twilio webhooks share: signed form posts and TwiML answers. Message and call
    ids are new each time: the gateway answers a repeated id with its first answer."""

    def __init__(self, http: aiohttp.ClientSession, gateway: str, token: str,
                 public_url: str | None) -> None:
        self.http, self.gateway, self.public = http, gateway, (public_url or gateway)
        self.validator = RequestValidator(token)

    async def post(self, path: str, form: dict[str, str]) -> ElementTree.Element:
        signature = self.validator.compute_signature(self.public + path, form)
        async with self.http.post(self.gateway + path, data=urlencode(form),
                                  headers={"X-Twilio-Signature": signature,
                                           "Content-Type": "application/x-www-form-urlencoded"}
                                  ) as response:
            text = await response.text()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}: {text[:200]}")
        return ElementTree.fromstring(text)

    async def post_following(self, path: str, form: dict[str, str],
                             continuing: str) -> ElementTree.Element:
        """Post, and follow the "one moment" redirects a slow turn answers with."""
        root = await self.post(path, form)
        while (redirect := root.find("Redirect")) is not None and redirect.text and \
                continuing in redirect.text:
            root = await self.post(redirect.text, form)
        return root


class Sms(Twilio):
    def __init__(self, http: aiohttp.ClientSession, gateway: str, token: str,
                 public_url: str | None, phone: str) -> None:
        super().__init__(http, gateway, token, public_url)
        self.phone = phone

    async def open(self, today: date) -> Reply | None:
        return None

    async def say(self, message: str, today: date) -> Reply:
        form = {"From": self.phone, "Body": message, "MessageSid": f"SM{uuid.uuid4().hex}"}
        root = await self.post_following("/twilio/sms", form, "/twilio/sms/continue")
        text = "\n".join(e.text or "" for e in root.iter("Message") if e.text)
        text = "\n".join(b.text or "" for b in root.iter("Body")) or text
        return Reply(text, _offers(OFFER_LINE.findall(text), today))


class Voice(Twilio):
    """A phone call: the greeting, then one `<Gather>` after another, posted where each one
    says (its `turn` numbers the steps of the call)."""

    def __init__(self, http: aiohttp.ClientSession, gateway: str, token: str,
                 public_url: str | None, phone: str) -> None:
        super().__init__(http, gateway, token, public_url)
        self.call = {"From": phone, "CallSid": f"CA{uuid.uuid4().hex}"}
        self.next_path = "/twilio/voice/gather?turn=1"

    async def open(self, today: date) -> Reply | None:
        return self._heard(await self.post("/twilio/voice", self.call), today)

    async def say(self, message: str, today: date) -> Reply:
        root = await self.post_following(self.next_path, {**self.call, "SpeechResult": message},
                                         "/twilio/voice/continue")
        return self._heard(root, today)

    def _heard(self, root: ElementTree.Element, today: date) -> Reply:
        gather = root.find("Gather")
        if gather is not None and gather.get("action"):
            self.next_path = str(gather.get("action"))
        text = " ".join(e.text or "" for e in root.iter("Say") if e.text)
        spoken = [m.group(1) for m in SPOKEN_OFFER.finditer(text)]
        return Reply(text, _offers(spoken, today), hung_up=root.find("Hangup") is not None)
