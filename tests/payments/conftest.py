"""Payments fixtures: the booking tests' salon, unit of work and backends (in-memory fake and
PostgreSQL), reused so the payment use cases run against both."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BOOKING = Path(__file__).parent.parent / "booking"
sys.path.insert(0, str(BOOKING))
_spec = importlib.util.spec_from_file_location("booking_conftest", BOOKING / "conftest.py")
assert _spec is not None and _spec.loader is not None
_booking = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_booking)
uow, backend, salon = _booking.uow, _booking.backend, _booking.salon

from tests.gateway.conftest import demo, gateway, rasa  # noqa: E402,F401  (the gateway tests')
from tests.payments.stripe_desk import desk  # noqa: E402,F401
