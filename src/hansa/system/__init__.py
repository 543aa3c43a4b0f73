"""Whole-tenant operations: integrity checks and the state of the installation."""

from hansa.system.domain import CheckOutcome
from hansa.system.service import run_checks

__all__ = ["CheckOutcome", "run_checks"]
