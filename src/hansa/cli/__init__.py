"""The command-line interface: parse, call a service, render. No SQL, no rules."""
