"""Time expressions ("next Friday at half past 3", "between 2 and 4pm") to aware datetimes.

Pure: standard library and dateparser only, no clock reads; pass ``now`` and the zone.
"""

from __future__ import annotations

from .config import BusinessHours, DayParts, Window
from .model import Grain, Kind, Mention, Resolution
from .resolver import extract, resolve

__all__ = ["BusinessHours", "DayParts", "Grain", "Kind", "Mention", "Resolution", "Window",
           "extract", "resolve"]
