"""Google Calendar: OAuth connections, busy time, booking events and two-way push sync.

Implements `scheduling`'s busy-time port (`GoogleBusyTimes`) and handles the outbox's
`calendar_event` rows (`handle_calendar_outbox`). The Google client is synchronous, so every
call runs in a worker thread.
"""
