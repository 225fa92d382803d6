"""`python -m assistant admin EMAIL`: set a dashboard admin's password from the command line.

Typed at a terminal (twice, not echoed) or piped in as one line (for scripts). The admin's
open sessions are signed out, so a password changed after a leak locks out whoever had one.
The embedded database is borrowed if `make run` has it running, and the schema is brought up
to date first.
"""

from __future__ import annotations

import asyncio
import getpass
import sys

from assistant.gateway.admin.users import AdminUsers
from assistant.run import database
from assistant.settings import Settings
from scheduling.persistence.database import make_engine, make_session_factory
from scheduling.persistence.migrate import upgrade

MIN_LENGTH = 10


def read_password() -> str | None:
    """The new password, or None (with the reason printed) when it cannot be used."""
    if sys.stdin.isatty():
        password = getpass.getpass("New password: ")
        if getpass.getpass("Again: ") != password:
            print("error: the two passwords differ", file=sys.stderr)
            return None
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < MIN_LENGTH:
        print(f"error: use at least {MIN_LENGTH} characters", file=sys.stderr)
        return None
    return password


def set_admin_password(settings: Settings, email: str) -> int:
    if "@" not in email:
        print(f"error: {email!r} is not an e-mail address", file=sys.stderr)
        return 2
    password = read_password()
    if password is None:
        return 2
    with database(settings, borrow=True) as url:
        upgrade(url)
        ended = asyncio.run(_store(url, email, password))
    print(f"admin {email.strip().lower()} can now sign in at /admin"
          f" ({ended} open session(s) signed out)")
    return 0


async def _store(url: str, email: str, password: str) -> int:
    """Set the password; returns how many of the admin's sessions that signed out."""
    engine = make_engine(url)
    try:
        return await AdminUsers(make_session_factory(engine)).set_password(email, password)
    finally:
        await engine.dispose()
