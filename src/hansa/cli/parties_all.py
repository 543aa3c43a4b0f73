"""``hansa parties``: the full party model (both roles, every field, tags, contacts,
archive); ``hansa customers`` and ``hansa vendors`` are in ``hansa.cli.parties``."""

from __future__ import annotations

import typer

from hansa import parties
from hansa.cli.context import FormatOption, state
from hansa.cli.parties import (
    list_and_render,
    search_and_render,
    show_party,
    show_party_by_id,
    update_and_show,
)
from hansa.cli.render import OutputFormat, say

parties_app = typer.Typer(
    help="All parties: both roles, every field, tags, contacts, archive.", no_args_is_help=True
)
contact_app = typer.Typer(help="Contact persons of a party.", no_args_is_help=True)
parties_app.add_typer(contact_app, name="contact")


@parties_app.command("list")
def parties_list(
    ctx: typer.Context,
    role: str | None = typer.Option(None, "--role", help="customer or vendor (default: both)."),
    tag: str | None = typer.Option(None, "--tag", help="Only those with this tag (a segment)."),
    page: int = typer.Option(1, "--page"),
    limit: int = typer.Option(50, "--limit"),
    all_: bool = typer.Option(False, "--all", help="Include archived parties."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """List parties of both roles (or one)."""
    list_and_render(
        state(ctx),
        fmt,
        "Parties",
        role=role,
        include_archived=all_,
        tag=tag,
        page=page,
        limit=limit,
    )


@parties_app.command("show")
def parties_show(
    ctx: typer.Context,
    party_id: str = typer.Argument(..., metavar="ID"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Show a party with its contacts."""
    show_party_by_id(state(ctx), party_id, fmt)


@parties_app.command("search")
def parties_search(
    ctx: typer.Context,
    query: str = typer.Option(
        ..., "--query", "-q", help="Name words, a code, or an exact e-mail, phone or tax id."
    ),
    role: str | None = typer.Option(None, "--role", help="customer or vendor (default: both)."),
    limit: int = typer.Option(50, "--limit"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Search parties of both roles (or one)."""
    search_and_render(state(ctx), query, role, limit, fmt)


@parties_app.command("update")
def parties_update(
    ctx: typer.Context,
    party_id: str = typer.Argument(..., metavar="ID"),
    name: str | None = typer.Option(None, "--name", help="New name."),
    first_name: str | None = typer.Option(None, "--first-name", help="A person's first name."),
    last_name: str | None = typer.Option(None, "--last-name", help="A person's last name."),
    company: str | None = typer.Option(None, "--company", help="Where a person works."),
    email: str | None = typer.Option(None, "--email", help="'' clears it."),
    phone: str | None = typer.Option(None, "--phone", help="'' clears it."),
    address: str | None = typer.Option(None, "--address", help="Billing address."),
    shipping: str | None = typer.Option(None, "--shipping-address", help="Shipping address."),
    tax_id: str | None = typer.Option(None, "--tax-id"),
    notes: str | None = typer.Option(None, "--notes"),
    terms: int | None = typer.Option(None, "--payment-terms", help="Days."),
    credit_limit: str | None = typer.Option(None, "--credit-limit"),
    currency: str | None = typer.Option(None, "--currency", help="ISO code ('' clears it)."),
    customer: bool | None = typer.Option(
        None, "--customer/--no-customer", help="The customer role."
    ),
    vendor: bool | None = typer.Option(None, "--vendor/--no-vendor", help="The vendor role."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Change any field of a party, including its roles; the others stay."""
    st = state(ctx)
    given = {
        "name": name,
        "first_name": first_name,
        "last_name": last_name,
        "organisation": company,
        "email": email,
        "phone": phone,
        "billing_address": address,
        "shipping_address": shipping,
        "tax_id": tax_id,
        "notes": notes,
        "payment_terms_days": terms,
        "credit_limit": credit_limit,
        "currency": currency,
        "customer": customer,
        "vendor": vendor,
    }
    update_and_show(st, party_id, given, fmt)


@parties_app.command("tag")
def parties_tag(
    ctx: typer.Context,
    party_id: str = typer.Argument(..., metavar="ID"),
    tags: list[str] = typer.Argument(..., help="Tags to add."),
    remove: bool = typer.Option(False, "--remove", help="Remove these tags instead."),
) -> None:
    """Add (or remove) tags; tags make segments (``parties list --tag vip``)."""
    st = state(ctx)
    keys = st.runtime.field_keys
    party = parties.get_party(st.runtime.uow(readonly=True), st.actor(), keys, party_id)
    wanted = set(party.tags) - set(tags) if remove else set(party.tags) | set(tags)
    updated = parties.update_party(
        st.runtime.uow(),
        st.actor(),
        keys,
        party_id,
        {"tags": sorted(wanted)},
        expected_version=party.version,
    )
    say(f"{updated.code}: tags {', '.join(updated.tags) or '(none)'}.", st.fmt)


@parties_app.command("archive")
def parties_archive(
    ctx: typer.Context,
    party_id: str = typer.Argument(..., metavar="ID"),
    restore: bool = typer.Option(False, "--restore", help="Make it active again."),
) -> None:
    """Archive a party: it leaves lists and searches; its history stays."""
    st = state(ctx)
    party = parties.archive_party(
        st.runtime.uow(), st.actor(), st.runtime.field_keys, party_id, archived=not restore
    )
    say(f"{party.code} is {'active' if party.active else 'archived'}.", st.fmt)


@contact_app.command("add")
def contact_add(
    ctx: typer.Context,
    party_id: str = typer.Argument(..., metavar="ID", help="The party (id or code)."),
    name: str = typer.Option(..., "--name", help="The contact's name."),
    role: str | None = typer.Option(None, "--role", help="Their role: buyer, accounts..."),
    email: str | None = typer.Option(None, "--email"),
    phone: str | None = typer.Option(None, "--phone"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Attach a contact person to a party."""
    st = state(ctx)
    party = parties.add_contact(
        st.runtime.uow(),
        st.actor(),
        st.runtime.field_keys,
        party_id,
        name=name,
        role=role,
        email=email,
        phone=phone,
    )
    show_party(party, st.output(fmt))


def register(app: typer.Typer) -> None:
    app.add_typer(parties_app, name="parties")
