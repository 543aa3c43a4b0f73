"""The REST API: the same services as the CLI, over HTTP."""
