"""``hansa customers``, ``hansa vendors`` and ``hansa parties``.

``customers`` and ``vendors`` have the same commands, each for its role; ``parties``
reaches the full model (both roles, tags, contacts, archive).
"""

from __future__ import annotations

from typing import Any

import typer

from hansa import parties
from hansa.cli.context import CliState, FormatOption, state
from hansa.cli.render import OutputFormat, render_object, render_rows, say

LIST_COLUMNS = ["id", "code", "name", "email", "phone", "roles", "tags", "active"]


def party_row(p: parties.Party) -> dict[str, Any]:
    return {
        "id": p.id,
        "code": p.code,
        "name": p.name,
        "kind": p.kind.value,
        "roles": ",".join(p.roles),
        "email": p.email,
        "phone": p.phone,
        "address": p.billing_address,
        "shipping_address": p.shipping_address,
        "company": p.organisation,
        "tax_id": p.tax_id,
        "payment_terms_days": p.payment_terms_days,
        "credit_limit": p.credit_limit,
        "currency": p.currency,
        "tags": ",".join(p.tags),
        "notes": p.notes,
        "active": p.active,
        "version": p.version,
    }


def show_party(party: parties.Party, fmt: OutputFormat) -> None:
    row = party_row(party)
    row["contacts"] = "; ".join(
        ", ".join(x for x in (c.name, c.role, c.email, c.phone) if x) for c in party.contacts
    )
    render_object(row, fmt)


def show_party_by_id(st: CliState, party_id: str, fmt: OutputFormat | None) -> None:
    """Show one party (id or code) with its personal data decrypted and its contacts."""
    keys = st.runtime.field_keys
    show_party(
        parties.get_party(st.runtime.uow(readonly=True), st.actor(), keys, party_id),
        st.output(fmt),
    )


def list_and_render(st: CliState, fmt: OutputFormat | None, what: str, **query: Any) -> None:
    """Render a page of the parties ``list_parties`` finds for *query*, titled *what*."""
    found = parties.list_parties(
        st.runtime.uow(readonly=True), st.actor(), st.runtime.field_keys, **query
    )
    title = f"{what} (page {found.page}, {found.total} in all)"
    render_rows([party_row(p) for p in found.parties], st.output(fmt), LIST_COLUMNS, title)


def search_and_render(
    st: CliState, query: str, role: str | None, limit: int, fmt: OutputFormat | None
) -> None:
    """Render the parties a search finds (of one role, or both with None)."""
    found = parties.search_parties(
        st.runtime.uow(readonly=True),
        st.actor(),
        st.runtime.field_keys,
        query,
        role=role,
        limit=limit,
    )
    render_rows([party_row(p) for p in found], st.output(fmt), LIST_COLUMNS)


def update_and_show(
    st: CliState, party_id: str, given: dict[str, Any], fmt: OutputFormat | None
) -> None:
    """Change the fields given a value (None leaves a field as it is), then show the party."""
    changes = {k: v for k, v in given.items() if v is not None}
    party = parties.update_party(
        st.runtime.uow(), st.actor(), st.runtime.field_keys, party_id, changes
    )
    show_party(party, st.output(fmt))


def role_app(role: str) -> typer.Typer:
    """The commands of ``hansa customers`` (role ``customer``) or ``hansa vendors``."""
    plural = f"{role}s"
    app = typer.Typer(
        help=f"{plural.capitalize()}: add, list, search, update, delete.", no_args_is_help=True
    )

    first_code = "C00001" if role == "customer" else "V00001"
    add_help = (
        f"Add a {role} (an organisation NAME, or a person --first-name/--last-name); "
        f"it gets a code that never changes ({first_code}, ...)."
    )

    @app.command("add", help=add_help)
    def add(
        ctx: typer.Context,
        name: str | None = typer.Argument(
            None, help="Organisation name (or use --first-name/--last-name)."
        ),
        first_name: str | None = typer.Option(None, "--first-name", help="A person's first name."),
        last_name: str | None = typer.Option(None, "--last-name", help="A person's last name."),
        email: str | None = typer.Option(None, "--email", help="E-mail (stored encrypted)."),
        phone: str | None = typer.Option(None, "--phone", help="Phone (stored encrypted)."),
        address: str | None = typer.Option(None, "--address", help="Billing address (encrypted)."),
        company: str | None = typer.Option(
            None, "--company", help="The company a person works for."
        ),
        tax_id: str | None = typer.Option(None, "--tax-id", help="Tax / VAT id (encrypted)."),
        notes: str | None = typer.Option(None, "--notes", help="Free notes (encrypted)."),
        tag: list[str] = typer.Option([], "--tag", help="A tag (repeat for several)."),
        terms: int = typer.Option(0, "--payment-terms", help="Payment terms in days."),
        credit_limit: str | None = typer.Option(
            None, "--credit-limit", help="Credit limit amount."
        ),
        currency: str | None = typer.Option(None, "--currency", help="Invoicing currency."),
        fmt: OutputFormat | None = FormatOption,
    ) -> None:
        st = state(ctx)
        party = parties.add_party(
            st.runtime.uow(),
            st.actor(),
            st.runtime.field_keys,
            name=name,
            first_name=first_name,
            last_name=last_name,
            customer=role == "customer",
            vendor=role == "vendor",
            organisation=company,
            email=email,
            phone=phone,
            billing_address=address,
            tax_id=tax_id,
            notes=notes,
            tags=tag,
            payment_terms_days=terms,
            credit_limit=credit_limit,
            currency=currency,
        )
        show_party(party, st.output(fmt))

    @app.command("list")
    def list_(
        ctx: typer.Context,
        page: int = typer.Option(1, "--page", help="Page number, from 1."),
        limit: int = typer.Option(50, "--limit", help="Rows per page (up to 500)."),
        sort_by: str = typer.Option("name", "--sort-by", help="name, code or id."),
        order: str = typer.Option("asc", "--order", help="asc or desc."),
        tag: str | None = typer.Option(None, "--tag", help="Only those with this tag (a segment)."),
        all_: bool = typer.Option(False, "--all", help="Include archived ones."),
        fmt: OutputFormat | None = FormatOption,
    ) -> None:
        """List them a page at a time."""
        list_and_render(
            state(ctx),
            fmt,
            plural.capitalize(),
            role=role,
            include_archived=all_,
            tag=tag,
            page=page,
            limit=limit,
            sort_by=sort_by,
            order=order,
        )

    @app.command("search")
    def search(
        ctx: typer.Context,
        query: str = typer.Option(
            ..., "--query", "-q", help="Name words, an e-mail, a phone or a tax id."
        ),
        limit: int = typer.Option(50, "--limit", help="At most this many."),
        fmt: OutputFormat | None = FormatOption,
    ) -> None:
        """Search by name words (any case or accents), a code, or an exact e-mail/phone/tax id."""
        search_and_render(state(ctx), query, role, limit, fmt)

    @app.command("show")
    def show(
        ctx: typer.Context,
        party_id: str = typer.Argument(..., metavar="ID", help="Id or code."),
        fmt: OutputFormat | None = FormatOption,
    ) -> None:
        """Show one, with its personal data decrypted and its contacts."""
        show_party_by_id(state(ctx), party_id, fmt)

    @app.command("update")
    def update(
        ctx: typer.Context,
        party_id: str = typer.Argument(..., metavar="ID", help="Id or code (C00001)."),
        name: str | None = typer.Option(None, "--name", help="New name."),
        email: str | None = typer.Option(None, "--email", help="New e-mail ('' clears it)."),
        phone: str | None = typer.Option(None, "--phone", help="New phone ('' clears it)."),
        address: str | None = typer.Option(None, "--address", help="New billing address."),
        tax_id: str | None = typer.Option(None, "--tax-id", help="New tax id."),
        notes: str | None = typer.Option(None, "--notes", help="New notes."),
        terms: int | None = typer.Option(None, "--payment-terms", help="Payment terms in days."),
        credit_limit: str | None = typer.Option(None, "--credit-limit", help="Credit limit."),
        fmt: OutputFormat | None = FormatOption,
    ) -> None:
        """Change the fields given; the others stay."""
        st = state(ctx)
        given = {
            "name": name,
            "email": email,
            "phone": phone,
            "billing_address": address,
            "tax_id": tax_id,
            "notes": notes,
            "payment_terms_days": terms,
            "credit_limit": credit_limit,
        }
        update_and_show(st, party_id, given, fmt)

    @app.command("delete")
    def delete(
        ctx: typer.Context,
        party_id: str = typer.Argument(..., metavar="ID", help="Id or code."),
        force: bool = typer.Option(
            False, "--force", help="Do not ask; archive it if it has history."
        ),
    ) -> None:
        """Delete one without history; one with history is refused (--force archives it)."""
        st = state(ctx)
        st.confirm(f"Delete {role} {party_id}?", force)
        outcome = parties.delete_party(
            st.runtime.uow(), st.actor(), st.runtime.field_keys, party_id, archive_if_used=force
        )
        say(f"{role.capitalize()} {party_id} {outcome}.", st.fmt)

    return app


customers_app = role_app("customer")
vendors_app = role_app("vendor")


def register(app: typer.Typer) -> None:
    app.add_typer(customers_app, name="customers")
    app.add_typer(vendors_app, name="vendors")
