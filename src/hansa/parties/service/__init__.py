"""Use cases of parties and CRM."""
