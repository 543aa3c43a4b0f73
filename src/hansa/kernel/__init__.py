"""The kernel: value objects, errors, clock, ids, events and checks. Standard library only."""
