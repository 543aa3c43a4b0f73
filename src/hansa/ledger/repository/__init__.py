"""The ledger's SQL (Core only; never commits)."""
