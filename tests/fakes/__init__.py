"""Local fakes of the vendors' HTTP APIs, driven in tests by the real client libraries."""
