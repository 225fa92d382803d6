"""Issue 15's proof by chat, on the whole running system (`python -m assistant run`: gateway,
Rasa, action server, the trained model reused): the owner replaces the demo salon with a
business of their own - Harbour Physio, two branches on two clocks (harbour_physio.yml, loaded
with `python -m assistant catalog import` beside the running system) - and a customer books it
through Rasa's REST channel. Shortening a branch's opening hours through the admin REST API
takes a late time off the chat's offer within the catalog cache window, and the bot's address
and hours answers name the new branches. No reply ever names the demo salon."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from assistant.settings import PROJECT_ROOT
from tests.e2e.test_conversations import Assistant, conversation
from tests.stack import query, truncate_all

pytestmark = [pytest.mark.slow, pytest.mark.rasa, pytest.mark.db]
CATALOG = Path(__file__).with_name("harbour_physio.yml")
ADMIN_KEY = "harbour-physio-owner-key"
CACHE_SECONDS = 1.0
PHONE = "+16175550142"
SHORTER = {"opening_hours": {day: ["08:00-17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}}


class Clinic(Assistant):
    """The running system with every reply kept, so a test can check none names the demo."""

    def __init__(self, data_dir: Path, **env: str) -> None:
        super().__init__(data_dir, **env)
        self.heard: list[str] = []

    def say(self, sender: str, text: str) -> tuple[str, list[dict[str, Any]]]:
        reply, replies = super().say(sender, text)
        self.heard.append(json.dumps(replies))
        return reply, replies

    def admin(self, method: str, path: str, body: object = None) -> Any:
        """The admin REST API with the owner's key; the parsed answer (a non-2xx raises)."""
        return self.api(method, f"/admin{path}", body, {"X-API-Key": ADMIN_KEY})

    def api(self, method: str, path: str, body: object = None,
            headers: dict[str, str] | None = None) -> Any:
        """The gateway's REST API (/api/v1...); the parsed answer (a non-2xx raises)."""
        request = urllib.request.Request(
            f"{self.url}/api/v1{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())


@pytest.fixture(scope="module")
def clinic(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clinic]:
    """The system as `make run` starts it (the demo seeded), then the owner's import."""
    data_dir = tmp_path_factory.mktemp("clinic")
    running = Clinic(data_dir, DATABASE_URL=database_url, ADMIN_API_KEY=ADMIN_KEY,
                     CATALOG_CACHE_SECONDS=str(CACHE_SECONDS))
    try:
        running.wait_ready()
        imported = subprocess.run(
            [sys.executable, "-m", "assistant", "catalog", "import", str(CATALOG),
             "--discard-bookings"],
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
            env={**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(data_dir)},
        )
        assert imported.returncode == 0, imported.stdout + imported.stderr
        assert "Harbour Physio: replaced the business served before" in imported.stdout
        time.sleep(CACHE_SECONDS * 2)  # the demo the action server may have read ages out
        yield running
    finally:
        running.finish()
        truncate_all(database_url)


def offers(replies: list[dict[str, Any]]) -> list[str]:
    """The offered times, as the buttons read: 'Thursday, December 10 at 6 PM with Nadia ...'."""
    return [button["title"] for reply in replies for button in reply.get("buttons") or []]


def offered_at(titles: list[str], clock: str) -> list[str]:
    """The offers that start at `clock` ('6 PM'), not those merely named against it."""
    return [title for title in titles if re.search(rf"\bat {re.escape(clock)} with ", title)]


def test_only_the_new_business_is_served(clinic: Clinic, database_url: str) -> None:
    assert query(database_url, "SELECT name FROM businesses") == [("Harbour Physio",)]
    places = clinic.admin("GET", "/locations")["items"]
    assert [(p["name"], p["time_zone"]) for p in places] == [
        ("Quayside", "America/New_York"), ("Lakeview", "America/Chicago")]


def test_a_customer_books_a_sports_massage_by_chat(clinic: Clinic, database_url: str) -> None:
    _, replies = clinic.say("web-rowan", "I'd like a sports massage at Quayside next "
                                         "Wednesday at 6pm")
    buttons = [button for reply in replies for button in reply.get("buttons") or []]
    asked = [button for button in buttons if offered_at([button["title"]], "6 PM")]
    assert asked and "Nadia at Quayside" in asked[0]["title"], offers(replies)
    conversation(clinic, "web-rowan", [
        (asked[0]["payload"], "name"),  # offers are in time order: a click on the 6 PM one
        ("Rowan Hale", "phone"), ("(617) 555-0142", "email"),
        ("skip", "To confirm: Sports massage with Nadia at Quayside"),
        ("how much is it?", "$70"), ("yes", "You're booked"),
    ])
    booked = query(database_url, (
        "SELECT b.name, s.name, st.name, l.name, a.status, a.channel FROM appointments a "
        "JOIN businesses b ON b.id = a.business_id JOIN services s ON s.id = a.service_id "
        "JOIN staff st ON st.id = a.staff_id JOIN locations l ON l.id = a.location_id "
        "JOIN customers c ON c.id = a.customer_id WHERE c.phone = %s"), PHONE)
    assert booked == [("Harbour Physio", "Sports massage", "Nadia", "Quayside", "confirmed",
                       "web")]


def test_the_chat_asks_which_branch_when_both_give_the_service(clinic: Clinic) -> None:
    reply, replies = clinic.say("web-iris", "can I book an initial assessment next friday morning")
    assert "Which location would you like: Quayside or Lakeview?" in reply, reply
    assert [b["title"] for r in replies for b in r.get("buttons") or []] == ["Quayside",
                                                                              "Lakeview"]
    lakeview = offers(clinic.say("web-iris", "Lakeview")[1])
    assert lakeview and all("with Owen at Lakeview" in title for title in lakeview), lakeview


def test_an_assessment_with_a_deposit_is_booked_by_the_api(clinic: Clinic) -> None:
    """The public API, as a customer's own client would use it, at the Chicago branch."""
    services = {s["name"]: s for s in clinic.api("GET", "/services")["items"]}
    lakeview = next(p for p in clinic.admin("GET", "/locations")["items"]
                    if p["name"] == "Lakeview")
    start = datetime.now(UTC) + timedelta(days=2)
    window = urllib.parse.urlencode({
        "service_id": services["Initial assessment"]["id"], "location_id": lakeview["id"],
        "start": start.isoformat(), "end": (start + timedelta(days=7)).isoformat()})
    slots = clinic.api("GET", f"/availability?{window}")["items"]
    assert slots, "no assessment offered at Lakeview"
    made = clinic.api("POST", "/appointments", {
        "service_id": services["Initial assessment"]["id"], "location_id": lakeview["id"],
        "start": slots[0]["start"], "customer": {"name": "Iris Vale", "phone": "+13125550177"},
    }, {"Idempotency-Key": "harbour-physio-assessment"})["appointment"]
    staff = {m["id"]: m["name"] for m in clinic.api("GET", "/staff")["items"]}
    assert (made["location_id"], staff[made["staff_id"]]) == (lakeview["id"], "Owen")
    assert (made["payment"]["required"], made["payment"]["amount"]) == (True, "20.00")


def test_a_shorter_opening_hour_is_no_longer_offered_by_chat(
    clinic: Clinic, database_url: str,
) -> None:
    ask = "I'd like a sports massage at Quayside next Thursday at 6pm"
    before = offers(clinic.say("web-probe-before", ask)[1])
    assert offered_at(before, "6 PM"), before
    quayside = next(p for p in clinic.admin("GET", "/locations")["items"]
                    if p["name"] == "Quayside")
    changed = clinic.admin("PATCH", f"/locations/{quayside['id']}", SHORTER)
    rowan = [a for a in changed["stranded"] if a["contact"]["phone"] == PHONE]
    assert [a["status"] for a in rowan] == ["confirmed"], changed["stranded"]  # listed, kept
    time.sleep(CACHE_SECONDS * 2)
    after = offers(clinic.say("web-probe-after", ask)[1])
    assert after and not offered_at(after, "6 PM") and not offered_at(after, "5:15 PM"), after
    assert offered_at(after, "4:15 PM"), after  # the last 45 minutes that end by 5 PM


def test_address_and_hours_name_the_new_branches(clinic: Clinic) -> None:
    where, _ = clinic.say("web-where", "where are you located?")
    assert "12 Quay Street, Boston" in where and "400 Lake Shore Dr, Chicago" in where, where
    hours, _ = clinic.say("web-where", "what are your opening hours?")
    assert "Quayside opening hours" in hours and "Lakeview opening hours" in hours, hours
    assert "Saturday 9 AM to 1 PM" in hours, hours  # Lakeview's, on its own clock


def test_small_talk_and_a_person_speak_for_the_clinic(clinic: Clinic) -> None:
    greeting, _ = clinic.say("web-chat", "hello")
    assert "book" in greeting, greeting
    person, _ = clinic.say("web-chat", "I want to speak to a human")
    assert "someone from Harbour Physio" in person and "+16175550190" in person, person


def test_no_reply_names_the_demo_salon(clinic: Clinic) -> None:
    said = [r for r in clinic.heard if "Shear Delight" in r or "salon" in r.lower()]
    assert clinic.heard and not said, said
