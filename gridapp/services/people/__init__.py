"""People: managers, assignments, users, logins, the audit view, personal data."""
