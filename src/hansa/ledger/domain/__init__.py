"""The ledger's pure rules: accounts, periods, entries, commodities. No I/O."""
