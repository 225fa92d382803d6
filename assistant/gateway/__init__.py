"""The aiohttp gateway: the one door to the outside (widget, Twilio, REST API, admin)."""
