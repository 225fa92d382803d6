"""The start-up heap left out of the garbage collector's full collections.

A full collection walks every tracked object, and a started process holds tens of thousands
that live as long as it does (modules, SQLAlchemy's metadata and compiled statements, Jinja
templates, the Rasa action registry). In the booking bench a full collection took about
115 ms and collections were 12-19% of the process's CPU (docs/booking-throughput.md).
`gc.freeze()` moves everything alive at that moment to a permanent generation that no
collection visits; objects made later are collected as before. Nothing is freed less: what
is frozen was reachable and stays so for the life of the process.
"""

from __future__ import annotations

import gc


def freeze_startup() -> None:
    """Collect once, then freeze what survived: call when start-up is done, before serving."""
    gc.collect()
    gc.freeze()
