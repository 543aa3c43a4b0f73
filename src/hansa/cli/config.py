"""``hansa config``: read and change the TOML settings file."""

from __future__ import annotations

import fnmatch
from typing import Any

import tomli_w
import typer
from pydantic import SecretStr

from hansa.cli.context import FormatOption, state
from hansa.cli.render import OutputFormat, render_object, render_rows, say
from hansa.secretfiles import replace_private
from hansa.settings import (
    SECRET_KEYS,
    Settings,
    config_path,
    field_to_key,
    flatten,
    key_to_field,
    load_settings,
    masked_url,
    read_toml,
)

app = typer.Typer(
    help="Settings: TOML file, then HANSA_* environment, then options.", no_args_is_help=True
)


def _shown(key: str, value: Any) -> Any:
    if key in SECRET_KEYS or isinstance(value, SecretStr):
        return "********" if value else None
    if key == "database.url" and value:
        return masked_url(str(value))
    return str(value) if value is not None and not isinstance(value, int | bool) else value


def _rows(settings: Settings) -> list[dict[str, Any]]:
    in_file = set(flatten(read_toml(config_path())))
    rows = []
    for name, field in Settings.model_fields.items():
        key = field_to_key(name)
        rows.append(
            {
                "key": key,
                "value": _shown(key, getattr(settings, name)),
                "from_file": key in in_file,
                "description": field.description or "",
            }
        )
    return rows


@app.command("list")
def list_(
    ctx: typer.Context,
    filter_: str | None = typer.Option(None, "--filter", help="Glob on keys: 'database.*'."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """List every setting with its effective value (secrets masked)."""
    st = state(ctx)
    rows = [r for r in _rows(st.settings) if not filter_ or fnmatch.fnmatch(r["key"], filter_)]
    render_rows(rows, st.output(fmt), ["key", "value", "from_file"], title="Settings")


@app.command("get")
def get(ctx: typer.Context, key: str = typer.Argument(...)) -> None:
    """Print one setting's effective value."""
    st = state(ctx)
    name = key_to_field(key)
    value = _shown(field_to_key(name), getattr(st.settings, name))
    typer.echo("" if value is None else value)


def _write(data: dict[str, Any]) -> None:
    nested: dict[str, Any] = {}
    for dotted, value in sorted(data.items()):
        section, _, rest = dotted.partition(".")
        if rest:
            nested.setdefault(section, {})[rest] = value
        else:
            nested[section] = value
    replace_private(config_path(), tomli_w.dumps(nested))


@app.command("set")
def set_(
    ctx: typer.Context, key: str = typer.Argument(...), value: str = typer.Argument(...)
) -> None:
    """Set a setting in the TOML file (validated before it is written)."""
    st = state(ctx)
    name = key_to_field(key)
    data = flatten(read_toml(config_path()))
    data[field_to_key(name)] = value
    checked = load_settings(**{key_to_field(k): v for k, v in data.items()})
    data[field_to_key(name)] = _toml_value(getattr(checked, name), value)
    _write(data)
    say(f"{field_to_key(name)} set in {config_path()}", st.fmt)


def _toml_value(parsed: Any, raw: str) -> Any:
    if isinstance(parsed, bool | int | float):
        return parsed
    return raw


@app.command("reset")
def reset(
    ctx: typer.Context,
    confirm: bool = typer.Option(False, "--confirm", help="Do not ask."),
) -> None:
    """Delete the settings file: every setting returns to its default."""
    st = state(ctx)
    path = config_path()
    if not path.exists():
        say(f"Nothing to reset: {path} does not exist.", st.fmt)
        return
    st.confirm(f"Delete {path}?", force=confirm)
    path.unlink()
    say(f"Deleted {path}; defaults apply.", st.fmt)


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print where the settings file is (HANSA_CONFIG or ERP_CONFIG_PATH move it)."""
    typer.echo(str(config_path()))


@app.command("validate")
def validate(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """Check the settings file and environment; exit non-zero on the first bad value."""
    st = state(ctx)
    settings = load_settings()
    render_object(
        {
            "file": str(config_path()),
            "exists": config_path().exists(),
            "valid": True,
            "database": settings.shown_database_url,
        },
        st.output(fmt),
    )
