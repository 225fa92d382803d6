"""The booking lifecycle: holds, bookings, cancellations, moves, groups, waitlist.

Services take a command, a `BookingUnitOfWork` and `now`, commit once, and return frozen
results; see `services`, `changes`, `attendance`, `waitlist`, `analytics`.
"""
