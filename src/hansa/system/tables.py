"""The system package keeps no tables of its own (Alembic keeps alembic_version)."""
