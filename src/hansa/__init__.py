"""Hansa: an open-source ERP whose books always tie out."""

__version__ = "0.1.0"
