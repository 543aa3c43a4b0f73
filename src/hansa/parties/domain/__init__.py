"""Parties and CRM: pure value objects and rules (no I/O)."""
