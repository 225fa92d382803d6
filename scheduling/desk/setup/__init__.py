"""The owner's setup: the catalog's write side (business, locations, services, staff, booking
rules, blocklist, the business's parts of messages), each change validated with the field it
is about, saved through `scheduling.ports.SetupPort`, and the upcoming appointments a change
strands listed so the owner can notify and rebook them.
"""
