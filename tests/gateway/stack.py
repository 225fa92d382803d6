"""The whole system for the channel tests: `python -m assistant run` on the test database,
with an admin and a Twilio token the tests sign requests with."""

from __future__ import annotations

from pathlib import Path

from tests.stack import RunningAssistant, query, truncate_all

ADMIN = ("owner@example.com", "e2e-admin-password")
TWILIO_TOKEN = "e2e-twilio-token"


class Stack(RunningAssistant):
    def __init__(self, database_url: str, data_dir: Path) -> None:
        super().__init__(data_dir, DATABASE_URL=database_url, ADMIN_EMAIL=ADMIN[0],
                         ADMIN_PASSWORD=ADMIN[1], TWILIO_AUTH_TOKEN=TWILIO_TOKEN)
        self.database_url = database_url

    def stop(self) -> None:
        self.finish()
        truncate_all(self.database_url)

    def query(self, sql: str, *args: object) -> list[tuple[object, ...]]:
        return query(self.database_url, sql, *args)


def answer_for(reply: str, name: str, phone: str) -> str | None:
    """What a customer says next in a booking, from the assistant's last words."""
    text = reply.lower()
    steps = [("you're booked", None), ("which one would you like", "the first"),
             ("to confirm", "yes"), ("shall i book", "yes"), ("e-mail", "skip"),
             ("email", "skip"), ("phone", phone), ("name", name)]
    for cue, said in steps:
        if cue in text:
            return said
    return "a men's cut next wednesday at 10am"
