"""Inventory repository."""
