"""The CLI and API fixtures, for the parties tests that run the real interfaces."""

from tests.api.conftest import auth, client  # noqa: F401
from tests.e2e.conftest import cli, cli_env, initialised  # noqa: F401
