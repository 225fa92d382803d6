"""`python -m calendar_sync connect|disconnect|sync --staff ID`: calendar connections from a
terminal, with Google's installed-app flow (a browser on this machine, a local redirect).

`calendar_sync` may not import the assistant's settings, so this entry point reads the same
variables from the environment: DATABASE_URL, GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET,
GOOGLE_TOKEN_KEY, GOOGLE_API_URL, GOOGLE_OAUTH_URL, PUBLIC_URL. GOOGLE_TOKEN_KEY is required
here: without it the gateway encrypts tokens under a subkey of SECRET_KEY that only the
assistant's settings derive, and there is no built-in key to fall back on.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from uuid import UUID

from calendar_sync.config import GoogleConfig
from calendar_sync.errors import CalendarError
from calendar_sync.oauth import connect, installed_credentials
from calendar_sync.service import CalendarServices, disconnect
from calendar_sync.store import build_on
from scheduling.errors import DomainError
from scheduling.persistence.database import make_engine, make_session_factory


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m calendar_sync")
    parser.add_argument("command", choices=["connect", "disconnect", "sync"])
    parser.add_argument("--staff", type=UUID, required=True, help="the staff member's id")
    parser.add_argument("--port", type=int, default=0, help="local redirect port (connect)")
    parser.add_argument("--no-browser", action="store_true", help="print the URL only")
    return parser.parse_args(argv)


def config_from(env: Mapping[str, str]) -> GoogleConfig:
    try:
        return GoogleConfig(env["GOOGLE_CLIENT_ID"], env["GOOGLE_CLIENT_SECRET"],
                            api_url=env.get("GOOGLE_API_URL"),
                            oauth_url=env.get("GOOGLE_OAUTH_URL"))
    except KeyError as missing:
        raise SystemExit(f"{missing.args[0]} is not set") from None


async def run(args: argparse.Namespace, env: Mapping[str, str]) -> str:
    if "DATABASE_URL" not in env:
        raise SystemExit("DATABASE_URL is not set")
    engine = make_engine(env["DATABASE_URL"])
    key = env.get("GOOGLE_TOKEN_KEY")
    if not key:
        raise SystemExit("GOOGLE_TOKEN_KEY is not set (set the same value for the gateway)")
    services = build_on(make_session_factory(engine), config_from(env), key,
                        env.get("PUBLIC_URL", "http://127.0.0.1:8000"))
    try:
        return await _command(services, args)
    finally:
        await engine.dispose()


async def _command(services: CalendarServices, args: argparse.Namespace) -> str:
    now = datetime.now(UTC)
    if args.command == "disconnect":
        await disconnect(services, args.staff)
        return "disconnected"
    if args.command == "sync":
        changed = await services.sync.sync(await services.store.by_staff(args.staff), now)
        return f"synced: {changed} booking change(s)"
    credentials = await asyncio.to_thread(installed_credentials, services.config, args.port,
                                          not args.no_browser)
    connection = await connect(services.store, args.staff, credentials, now)
    if services.public_url.startswith("https://"):
        await services.channels.watch(connection, now)  # Google pushes to https only
    await services.sync.sync(connection, now)
    return f"connected {connection.account_email}"


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        print(asyncio.run(run(args, os.environ if env is None else env)))
    except (CalendarError, DomainError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
