"""Email: composing a message, carrying it over SMTP (or into a folder), the outbox that sends it after the commit, and the outbox's staff page."""
