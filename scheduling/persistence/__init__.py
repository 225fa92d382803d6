"""Persistence adapters: SQLAlchemy mapping, engine and sessions, unit of work, migrations."""
