"""Notifications at the edge: rendering (Jinja2, .ics, signed links), senders (SendGrid,
Twilio, local), and the dispatcher that drains the outbox. What is due when is decided in
`scheduling.notifications`."""
