"""The data layer's shared parts: engine, unit of work, column types, migrations."""
