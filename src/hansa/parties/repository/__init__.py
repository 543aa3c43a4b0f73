"""Reading and writing the tables of parties and CRM (rows in, rows out; no commits)."""
