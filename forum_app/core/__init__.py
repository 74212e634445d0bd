"""The data rules every domain uses: the database and its locks, the clock, errors, domain events, secret tokens, addresses, signed links, the rate-limit table and the audit trail."""
