"""The keys each part of the catalog file may hold, in the order `write` puts them."""

from __future__ import annotations

TOP = ("business", "locations", "staff", "services", "booking_rules")
BUSINESS = ("id", "name", "time_zone", "currency", "contact", "cancellation", "no_show_fee",
            "reminders")
CONTACT = ("phone", "email", "website")
CANCELLATION = ("free_before", "late_fee")
LOCATION = ("id", "name", "time_zone", "address", "hours", "closures")
CLOSURE = ("from", "to", "reason")
STAFF = ("id", "name", "locations", "hours", "breaks", "time_off", "overrides", "skills",
         "languages", "max_bookings_per_day", "google_calendar_id")
TIME_OFF = ("from", "to", "reason")
OVERRIDE = ("day", "hours")
SERVICE = ("id", "name", "category", "aliases", "duration", "price", "deposit", "deposit_for",
           "card_required",
           "buffer_before", "buffer_after", "slot_interval", "capacity", "min_participants",
           "max_participants", "skills", "location_type", "locations", "min_notice",
           "max_advance_days", "cancellation", "reminders")
RULES = ("max_active_per_customer", "require_approval", "hold_ttl", "claim_window",
         "no_show_grace", "payment_window", "max_per_contact_day", "max_per_contact_week",
         "max_live_holds_per_customer")
