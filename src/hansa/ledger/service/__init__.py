"""Ledger use cases."""
