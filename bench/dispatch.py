"""Messages per second through the outbox dispatcher to the local SendGrid and Twilio fakes.

`.venv/bin/python bench/dispatch.py [messages]`: starts an embedded PostgreSQL (or uses the
server BENCH_DATABASE_URL names: a database is created there and dropped after), migrates a
fresh database, queues confirmations (one e-mail with .ics and one SMS each), and drains them
with one and then two dispatchers. Each message is claimed, rendered, sent over HTTP through
the real client libraries in worker threads, and recorded.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.embedded_db import admin_server, fresh_database  # noqa: E402
from assistant.notifications.dispatcher import DispatchConfig, Dispatcher  # noqa: E402
from assistant.notifications.render import Renderer  # noqa: E402
from scheduling.persistence.database import make_engine, make_session_factory  # noqa: E402
from tests.booking.booking_builders import NOW  # noqa: E402
from tests.fakes.sendgrid import FakeSendGrid  # noqa: E402
from tests.fakes.server import serve  # noqa: E402
from tests.fakes.twilio import FakeTwilio  # noqa: E402
from tests.notifications.conftest import BASE_URL, SECRET, Fakes  # noqa: E402
from tests.notifications.seeding import seed_messages, seed_salon  # noqa: E402


async def drain(url: str, fakes: Fakes, count: int, replicas: int) -> float:
    engine = make_engine(url, pool_size=10)
    factory = make_session_factory(engine)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("TRUNCATE outbox, businesses CASCADE"))
        salon = await seed_salon(factory)
        await seed_messages(factory, salon, count, NOW)
        dispatchers = [
            Dispatcher(factory, Renderer(SECRET, BASE_URL), fakes.email_sender(),
                       fakes.sms_sender(), lambda: NOW, DispatchConfig(batch=50, concurrency=8))
            for _ in range(replicas)
        ]
        started = time.perf_counter()
        handled = await asyncio.gather(*(d.run_once() for d in dispatchers))
        elapsed = time.perf_counter() - started
    finally:
        await engine.dispose()
    if sum(handled) != count:
        raise RuntimeError(f"handled {sum(handled)} of {count}")
    return elapsed


async def bench(url: str, count: int) -> None:
    sendgrid, twilio = FakeSendGrid(), FakeTwilio()
    async with serve(sendgrid.app()) as sendgrid_url, serve(twilio.app()) as twilio_url:
        fakes = Fakes(sendgrid, twilio, sendgrid_url, twilio_url)
        for replicas in (1, 2):
            elapsed = await drain(url, fakes, count, replicas)
            print(f"{count} confirmations (e-mail + SMS), {replicas} dispatcher(s): "
                  f"{elapsed:.2f} s, {count / elapsed:.0f} messages/s, "
                  f"{2 * count / elapsed:.0f} provider requests/s")
        print(f"duplicates at the fakes: e-mail {sendgrid.ledger.duplicates}, "
              f"SMS {twilio.ledger.duplicates}")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with (
        admin_server(os.environ.get("BENCH_DATABASE_URL"), "bench-dispatch-") as admin,
        fresh_database(admin, "bench") as url,
    ):
        asyncio.run(bench(url, count))


if __name__ == "__main__":
    main()
