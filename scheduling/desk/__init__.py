"""The front desk: what a conversation (or the REST API) asks before and around a booking.

Finding and registering customers, searching and ranking slots with the data loaded, proving
identity with one-time codes, recording requests for a person. The booking lifecycle itself
(book, cancel, reschedule, waitlist) stays in `scheduling.booking`.
"""
