"""Alembic migrations of Hansa, one linear history."""

# The newest revision. Keep it equal to the last file in versions/ (a test checks).
HEAD = "0010"
