"""The scheduling domain: catalog, availability engine, time expressions, bookings.

Pure of the edges: this package imports the standard library, SQLAlchemy and dateparser only.
"""
