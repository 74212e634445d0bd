"""Staff and core team accounts: users, roles, login with slowing of repeated failures, access rules."""
