"""``python -m scheduling.timeexpr --now ISO8601 --tz ZONE``: JSON lines in, JSON lines out.

Each input line is ``{"text": ...}``; each output line, in the same order, is
``{"text", "start", "end", "grain"}`` (ISO 8601 with offsets, or null), flushed at once so
a caller can talk to it line by line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from datetime import datetime
from typing import TextIO

from .model import Resolution
from .resolver import resolve
from .zones import localize, zone


def _now(value: str, tz_name: str) -> datetime:
    now = datetime.fromisoformat(value)
    if now.tzinfo is not None:
        return now
    minutes = now.hour * 60 + now.minute
    return localize(now.date(), minutes, zone(tz_name))[0].replace(second=now.second)


def row(text: object, found: Resolution | None) -> dict[str, object]:
    if found is None:
        return {"text": text, "start": None, "end": None, "grain": None}
    end = found.end.isoformat() if found.end else None
    return {"text": text, "start": found.start.isoformat(), "end": end,
            "grain": str(found.grain)}


def run(lines: Iterable[str], out: TextIO, now: datetime, tz_name: str) -> None:
    tz = zone(tz_name)
    for line in lines:
        if not line.strip():
            continue
        try:
            text = json.loads(line).get("text")
        except (json.JSONDecodeError, AttributeError) as error:
            out.write(json.dumps({**row(None, None), "error": str(error)}) + "\n")
        else:
            found = resolve(text, now, tz) if isinstance(text, str) else None
            out.write(json.dumps(row(text, found)) + "\n")
        out.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m scheduling.timeexpr", description=__doc__)
    parser.add_argument("--now", required=True, help="ISO 8601; with an offset, or local to --tz")
    parser.add_argument("--tz", required=True, help="IANA zone, e.g. Europe/London")
    args = parser.parse_args(argv)
    run(sys.stdin, sys.stdout, _now(args.now, args.tz), args.tz)


if __name__ == "__main__":
    main()
