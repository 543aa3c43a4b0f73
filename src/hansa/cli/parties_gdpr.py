"""``hansa gdpr export|erase`` and ``hansa keys rotate``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from hansa import parties
from hansa.cli.context import state
from hansa.cli.render import say

gdpr_app = typer.Typer(
    help="Personal data of a party: export it, or erase it.", no_args_is_help=True
)
keys_app = typer.Typer(help="The keys that encrypt personal data fields.", no_args_is_help=True)


@gdpr_app.command("export")
def gdpr_export(
    ctx: typer.Context,
    party: str = typer.Argument(..., help="The party's id or code (C00001)."),
    output: Path | None = typer.Option(None, "--output", help="Write the JSON to this file."),
) -> None:
    """Every personal datum held about a party as JSON (decrypted): the party, its
    contacts, leads, opportunities and activities."""
    st = state(ctx)
    data = parties.export_personal_data(st.runtime.uow(), st.actor(), st.runtime.field_keys, party)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text)
    output.chmod(0o600)
    say(f"Wrote the personal data of {data['party']['code']} to {output}.", st.fmt)


@gdpr_app.command("erase")
def gdpr_erase(
    ctx: typer.Context,
    party: str = typer.Argument(..., help="The party's id or code (C00001)."),
) -> None:
    """Replace a party's personal data with a pseudonym, everywhere; its accounting
    records stay intact. Cannot be undone (asks first; --yes to skip)."""
    st = state(ctx)
    st.confirm(f"Erase every personal datum of party {party}? This cannot be undone.")
    erased = parties.erase_party(st.runtime.uow(), st.actor(), st.runtime.field_keys, party)
    say(f"{erased.code}: personal data erased; it is now '{erased.name}'.", st.fmt)


@gdpr_app.command("erase-lead")
def gdpr_erase_lead(
    ctx: typer.Context, lead_id: int = typer.Argument(..., metavar="ID", help="The lead.")
) -> None:
    """Erase the personal data of a lead that never became a customer. Cannot be undone
    (asks first; --yes to skip)."""
    st = state(ctx)
    st.confirm(f"Erase every personal datum of lead {lead_id}? This cannot be undone.")
    erased = parties.erase_lead(st.runtime.uow(), st.actor(), st.runtime.field_keys, lead_id)
    say(f"Lead {erased.id}: personal data erased; it is now '{erased.name}'.", st.fmt)


@keys_app.command("rotate")
def keys_rotate(ctx: typer.Context) -> None:
    """Add a new field-encryption key, make it the active one, and re-encrypt every
    personal data value with it (old keys stay in the keyring). Audited."""
    st = state(ctx)
    actor = st.actor()
    parties.require_rotation(actor)
    _, keys = st.runtime.rotate_field_keys()
    count = parties.reencrypt_fields(st.runtime.uow(), actor, keys)
    say(f"Key {keys.active} is now active; re-encrypted {count} values.", st.fmt)


def register(app: typer.Typer) -> None:
    app.add_typer(gdpr_app, name="gdpr")
    app.add_typer(keys_app, name="keys")
