"""A dispatcher process for the SIGKILL test: drains the outbox against the fakes.

`python -m tests.notifications.dispatch_child SENDGRID_URL TWILIO_URL BATCH LEASE_SECONDS
[--until-empty]`; DATABASE_URL names the database. Without --until-empty it loops until
killed; with it, it waits out the dead process's leases and exits once nothing is pending.
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import timedelta

from sqlalchemy import func, select

from assistant.notifications.dispatcher import DispatchConfig, Dispatcher
from assistant.notifications.render import Renderer
from assistant.notifications.sendgrid_email import SendGridEmail
from assistant.notifications.twilio_sms import TwilioSms
from scheduling.persistence.database import make_engine, make_session_factory
from scheduling.persistence.outbox import OutboxRow
from tests.fakes.sendgrid import FakeSendGrid
from tests.fakes.twilio import FakeTwilio
from tests.notifications.conftest import BASE_URL, SECRET


async def pending(dispatcher: Dispatcher) -> int:
    async with dispatcher.factory() as session:
        query = select(func.count()).where(OutboxRow.status == "pending")
        return int(await session.scalar(query) or 0)


async def main(sendgrid_url: str, twilio_url: str, batch: int, lease: int,
               until_empty: bool) -> None:
    engine = make_engine(os.environ["DATABASE_URL"], pool_size=4)
    sendgrid, twilio = FakeSendGrid(), FakeTwilio()
    dispatcher = Dispatcher(
        make_session_factory(engine), Renderer(SECRET, BASE_URL),
        SendGridEmail(sendgrid.api_key, "bookings@salon.example", host=sendgrid_url),
        TwilioSms(twilio.account_sid, twilio.auth_token, "+15550000000", base_url=twilio_url),
        config=DispatchConfig(batch=batch, lease=timedelta(seconds=lease), concurrency=8),
    )
    try:
        while not until_empty or await pending(dispatcher):
            await dispatcher.run_once()
            await asyncio.sleep(0.2)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    args = sys.argv[1:]
    asyncio.run(main(args[0], args[1], int(args[2]), int(args[3]), "--until-empty" in args))
