"""Time ``scheduling.timeexpr.resolve`` per utterance: median and p95.

    python bench/timeexpr.py [--rounds N]

Runs a built-in, varied list of booking utterances (after one warm-up pass, which loads
dateparser for the few the grammar leaves to it); when the shared SGD evaluation data is
present it also times real user turns from it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.timeexpr import resolve  # noqa: E402

SGD = Path("/work/shared/eval/sgd_services/dev.jsonl")
UTTERANCES = [
    "next Friday", "Friday next week", "a week from Tuesday", "this coming Monday",
    "Wednesday after next", "day after tomorrow", "in 3 days", "in a couple of hours",
    "the 4th", "12th of this month", "March 1st", "1st of March", "3/15", "15.03.",
    "half past 11 in the morning", "quarter to 6 in the evening", "evening 4:45",
    "afternoon 2", "noon", "15:30", "7:30pm", "730 in the evening", "four twenty-three pm",
    "between 2 and 4pm", "3:30 to 6 PM", "after 5", "before noon",
    "later than 3:30pm but before 6pm", "tonight", "lunchtime", "next week", "this weekend",
    "earliest", "as soon as possible", "5:30", "11:15", "tomorrow at 5", "3pm on Friday",
    "Can I get a haircut with Ana next Tuesday afternoon?", "Friday, ideally around 3",
    "do you have anything on the 12th at 10:15 am?", "I'd like to come in tomorrow morning",
    "Is 2-4pm on Thursday possible?", "Could we move it to Dec 5 at quarter past 2?",
    "any time after 3 on weekdays", "in half an hour", "Sunday at 2:30am",
    "ten thirty tomorrow", "book me for the first available slot", "I need 2 people",
    "Hi, I want a haircut", "next month", "in December", "2026-12-05 at 16:00",
    "Saturday between 10 and noon", "twenty past 4 this afternoon", "the 31st",
    "no later than 6 pm on the 3rd", "how about 9 in the morning the day after tomorrow",
]


def _time(texts: list[str], now: datetime, tz: ZoneInfo, rounds: int) -> list[float]:
    for text in texts:
        resolve(text, now, tz)
    samples: list[float] = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            resolve(text, now, tz)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def _report(label: str, samples: list[float]) -> None:
    p95 = statistics.quantiles(samples, n=20)[-1]
    print(f"{label}: {len(samples)} resolves  median {statistics.median(samples):.3f} ms"
          f"  p95 {p95:.3f} ms  max {max(samples):.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    tz = ZoneInfo("America/New_York")
    now = datetime(2026, 11, 21, 10, 0, tzinfo=tz)
    _report("built-in", _time(UTTERANCES, now, tz, args.rounds))
    if SGD.exists():
        rows = [json.loads(line) for line in SGD.open()]
        turns = [r["utterance"] for r in rows if r.get("service")][:500]
        sgd_now = datetime.fromisoformat("2019-03-01T09:00:00-08:00")
        _report("sgd dev user turns", _time(turns, sgd_now, ZoneInfo("America/Los_Angeles"), 1))


if __name__ == "__main__":
    main()
