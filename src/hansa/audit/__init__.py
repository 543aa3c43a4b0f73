"""The audit trail: append-only, hash-chained, written in the same transaction."""

from hansa.audit.domain import AuditRecord, BrokenLink
from hansa.audit.service import Verification, list_records, record, verify

__all__ = ["AuditRecord", "BrokenLink", "Verification", "list_records", "record", "verify"]
