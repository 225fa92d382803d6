"""The admin dashboard: server-rendered pages behind a login (sessions kept in the database,
see `session`), with CSRF-checked forms. `dashboard.setup` mounts it; this package file stays
empty so that importing one small module of it (`roles`, `session`) does not load every page,
which would import the customer pages and, through them, the API that imported it."""
