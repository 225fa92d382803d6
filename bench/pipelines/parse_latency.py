"""Parse latency of a trained Rasa model (run with .venv-rasa/bin/python; see docs/nlu-pipeline.md).

Loads the model with Rasa's Agent in-process (no HTTP), warms up, then times 210 parses of
typical messages and prints the median and 95th percentile.
Usage: .venv-rasa/bin/python bench/pipelines/parse_latency.py MODEL.tar.gz
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

from rasa.core.agent import load_agent

# The pipeline's own components (nlu_components/) are imported by module path from the
# repository root, as `rasa` does from its working directory.
sys.path.insert(1, str(Path(__file__).resolve().parents[2]))

TEXTS = ["can I get a haircut with Ana next Tuesday afternoon?", "the second one",
         "how much is it", "cancel my appointment", "my name is Jordan Lee",
         "put me on the waitlist", "yes please"]


async def main(path: str) -> None:
    agent = await load_agent(model_path=path)
    for text in TEXTS:
        await agent.parse_message(text)
    times = []
    for _ in range(30):
        for text in TEXTS:
            start = time.perf_counter()
            await agent.parse_message(text)
            times.append(time.perf_counter() - start)
    times.sort()
    print(f"{path}: median {1000 * statistics.median(times):.1f} ms, "
          f"p95 {1000 * times[int(0.95 * len(times))]:.1f} ms over {len(times)} parses")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
