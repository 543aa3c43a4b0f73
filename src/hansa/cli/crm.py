"""``hansa crm lead|opportunity|stage|activity|pipeline|rfm``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import typer

from hansa import parties
from hansa.cli.context import FormatOption, state
from hansa.cli.render import OutputFormat, render_object, render_rows

DATE = ["%Y-%m-%d"]
crm_app = typer.Typer(
    help="CRM: leads, opportunities, the pipeline, activities.", no_args_is_help=True
)
lead_app = typer.Typer(help="Leads: people or companies who may buy.", no_args_is_help=True)
opp_app = typer.Typer(help="Opportunities in the pipeline.", no_args_is_help=True)
stage_app = typer.Typer(help="Pipeline stages and their default probability.", no_args_is_help=True)
activity_app = typer.Typer(help="Calls, e-mails, meetings, notes and tasks.", no_args_is_help=True)
for sub, name in (
    (lead_app, "lead"),
    (opp_app, "opportunity"),
    (stage_app, "stage"),
    (activity_app, "activity"),
):
    crm_app.add_typer(sub, name=name)


def lead_row(lead: parties.Lead) -> dict[str, Any]:
    return {
        "id": lead.id,
        "name": lead.name,
        "company": lead.organisation,
        "email": lead.email,
        "phone": lead.phone,
        "source": lead.source,
        "status": lead.status.value,
        "customer": lead.party_code,
        "owner": lead.owner,
    }


def opp_row(o: parties.Opportunity) -> dict[str, Any]:
    return {
        "id": o.id,
        "name": o.name,
        "customer": o.party_code,
        "stage": o.stage,
        "expected_revenue": o.expected_revenue,
        "currency": o.currency,
        "probability": o.probability,
        "close_date": o.close_date,
        "owner": o.owner,
    }


def activity_row(a: parties.Activity) -> dict[str, Any]:
    return {
        "id": a.id,
        "at": a.at.strftime("%Y-%m-%d %H:%M"),
        "kind": a.kind.value,
        "subject": a.subject,
        "notes": a.notes,
        "due": a.due_date,
        "done": a.done,
        "owner": a.owner,
    }


@lead_app.command("add")
def lead_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The person's name."),
    company: str | None = typer.Option(None, "--company", help="Their organisation."),
    email: str | None = typer.Option(None, "--email"),
    phone: str | None = typer.Option(None, "--phone"),
    source: str | None = typer.Option(None, "--source", help="Where the lead came from."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Add a lead (status new)."""
    st = state(ctx)
    lead = parties.add_lead(
        st.runtime.uow(),
        st.actor(),
        st.runtime.field_keys,
        name=name,
        organisation=company,
        email=email,
        phone=phone,
        source=source,
    )
    render_object(lead_row(lead), st.output(fmt))


@lead_app.command("list")
def lead_list(
    ctx: typer.Context,
    status: str | None = typer.Option(None, "--status"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """List leads (of one status: new, qualified, converted, lost)."""
    st = state(ctx)
    leads = parties.list_leads(
        st.runtime.uow(readonly=True), st.actor(), st.runtime.field_keys, status
    )
    render_rows([lead_row(x) for x in leads], st.output(fmt), title="Leads")


@lead_app.command("status")
def lead_status(
    ctx: typer.Context,
    lead_id: int = typer.Argument(..., metavar="ID"),
    status: str = typer.Argument(..., help="new, qualified or lost."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Qualify a lead, mark it lost, or revive a lost one."""
    st = state(ctx)
    lead = parties.set_lead_status(
        st.runtime.uow(), st.actor(), st.runtime.field_keys, lead_id, status
    )
    render_object(lead_row(lead), st.output(fmt))


@lead_app.command("convert")
def lead_convert(
    ctx: typer.Context,
    lead_id: int = typer.Argument(..., metavar="ID"),
    opportunity: str | None = typer.Option(None, "--opportunity", help="Opportunity name."),
    revenue: str = typer.Option("0", "--expected-revenue", help="Expected revenue."),
    currency: str = typer.Option("EUR", "--currency"),
    close: datetime | None = typer.Option(None, "--close-date", formats=DATE),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Convert a lead into a customer and an opportunity (stage qualified)."""
    st = state(ctx)
    _, opp = parties.convert_lead(
        st.runtime.uow(),
        st.actor(),
        st.runtime.field_keys,
        lead_id,
        opportunity=opportunity,
        expected_revenue=revenue,
        currency=currency,
        close_date=close.date() if close else None,
    )
    render_object(opp_row(opp), st.output(fmt))


@opp_app.command("add")
def opp_add(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    customer: str | None = typer.Option(None, "--customer", help="The party (id or code)."),
    stage: str = typer.Option("new", "--stage"),
    revenue: str = typer.Option("0", "--expected-revenue"),
    currency: str = typer.Option("EUR", "--currency"),
    probability: int | None = typer.Option(
        None, "--probability", help="Percent (default: the stage's)."
    ),
    close: datetime | None = typer.Option(None, "--close-date", formats=DATE),
    owner: str | None = typer.Option(None, "--owner", help="Username (default: you)."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Add an opportunity."""
    st = state(ctx)
    opp = parties.add_opportunity(
        st.runtime.uow(),
        st.actor(),
        st.runtime.field_keys,
        name=name,
        party=customer,
        stage=stage,
        expected_revenue=revenue,
        currency=currency,
        probability=probability,
        close_date=close.date() if close else None,
        owner=owner,
    )
    render_object(opp_row(opp), st.output(fmt))


@opp_app.command("move")
def opp_move(
    ctx: typer.Context,
    opp_id: int = typer.Argument(..., metavar="ID"),
    stage: str = typer.Argument(...),
    probability: int | None = typer.Option(None, "--probability"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Move an opportunity to another stage."""
    st = state(ctx)
    opp = parties.move_opportunity(st.runtime.uow(), st.actor(), opp_id, stage, probability)
    render_object(opp_row(opp), st.output(fmt))


@opp_app.command("list")
def opp_list(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """List opportunities."""
    st = state(ctx)
    opps = parties.list_opportunities(st.runtime.uow(readonly=True), st.actor())
    render_rows([opp_row(o) for o in opps], st.output(fmt), title="Opportunities")


@stage_app.command("list")
def stage_list(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """List the pipeline stages."""
    st = state(ctx)
    stages = parties.list_stages(st.runtime.uow(), st.actor())
    render_rows([vars(s) for s in stages], st.output(fmt), title="Stages")


@stage_app.command("set")
def stage_set(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    probability: int = typer.Option(..., "--probability", help="Percent."),
    sequence: int | None = typer.Option(None, "--sequence", help="Place in the pipeline."),
) -> None:
    """Add a stage or change its default probability."""
    st = state(ctx)
    stage = parties.set_stage(
        st.runtime.uow(), st.actor(), name, probability=probability, sequence=sequence
    )
    render_object(vars(stage), st.fmt)


@crm_app.command("pipeline")
def pipeline(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """Open opportunities: expected and probability-weighted revenue by stage and owner."""
    st = state(ctx)
    rows = parties.pipeline_report(st.runtime.uow(readonly=True), st.actor())
    render_rows([vars(r) for r in rows], st.output(fmt), title="Pipeline")


@activity_app.command("add")
def activity_add(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help="call, email, meeting, note or task."),
    subject: str = typer.Argument(...),
    customer: str | None = typer.Option(None, "--party", help="On this party (id or code)."),
    lead: int | None = typer.Option(None, "--lead", help="On this lead."),
    opportunity: int | None = typer.Option(None, "--opportunity", help="On this opportunity."),
    notes: str | None = typer.Option(None, "--notes"),
    due: datetime | None = typer.Option(None, "--due", formats=DATE, help="Due date (tasks)."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Log an activity, or plan a task, on a party, a lead or an opportunity."""
    st = state(ctx)
    activity = parties.add_activity(
        st.runtime.uow(),
        st.actor(),
        st.runtime.field_keys,
        kind=kind,
        subject=subject,
        notes=notes,
        due_date=due.date() if due else None,
        party=customer,
        lead=lead,
        opportunity=opportunity,
    )
    render_object(activity_row(activity), st.output(fmt))


@activity_app.command("done")
def activity_done(ctx: typer.Context, activity_id: int = typer.Argument(..., metavar="ID")) -> None:
    """Mark a task done."""
    st = state(ctx)
    activity = parties.complete_activity(
        st.runtime.uow(), st.actor(), st.runtime.field_keys, activity_id
    )
    render_object(activity_row(activity), st.fmt)


@activity_app.command("history")
def activity_history(
    ctx: typer.Context,
    customer: str | None = typer.Option(None, "--party"),
    lead: int | None = typer.Option(None, "--lead"),
    opportunity: int | None = typer.Option(None, "--opportunity"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """The communication history of a party, lead or opportunity, oldest first."""
    st = state(ctx)
    found = parties.activity_history(
        st.runtime.uow(readonly=True),
        st.actor(),
        st.runtime.field_keys,
        party=customer,
        lead=lead,
        opportunity=opportunity,
    )
    render_rows([activity_row(a) for a in found], st.output(fmt), title="History")


@crm_app.command("rfm")
def rfm(
    ctx: typer.Context,
    as_of: datetime | None = typer.Option(None, "--as-of", formats=DATE, help="Default: today."),
    days: int = typer.Option(365, "--days", help="Sales of this many days up to --as-of."),
    buckets: int = typer.Option(5, "--buckets", help="Scores run 1..N (N best)."),
    company: str | None = typer.Option(None, "--company", "-c", help="Company code."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """RFM segments (recency, frequency, monetary) from the posted sales per customer."""
    st = state(ctx)
    scores = parties.rfm_segments(
        st.runtime.uow(readonly=True),
        st.actor(),
        company,
        as_of=as_of.date() if as_of else None,
        days=days,
        buckets=buckets,
    )
    rows = [{**vars(s), "segment": s.segment} for s in scores]
    render_rows(rows, st.output(fmt), title="RFM segments")


def register(root: typer.Typer) -> None:
    root.add_typer(crm_app, name="crm")
