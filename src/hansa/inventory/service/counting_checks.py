"""The integrity check of cycle counting, run by ``hansa check``."""

from __future__ import annotations

import sqlalchemy as sa

from hansa.inventory.domain.products import plain
from hansa.inventory.tables import moves
from hansa.inventory.tables.counting import count_lines, count_sheets
from hansa.kernel.checks import Problem, register

NAME = "inventory.count_sheets_moved"


@register(NAME, "every variance of a posted count sheet is a done adjustment of that quantity")
def check_count_sheets(conn: sa.Connection) -> list[Problem]:
    query = (
        sa.select(
            count_lines.c.sheet_id,
            count_lines.c.number,
            count_lines.c.location_id,
            count_lines.c.expected,
            count_lines.c.counted,
            moves.c.kind,
            moves.c.state,
            moves.c.quantity,
            moves.c.source_id,
            moves.c.destination_id,
        )
        .join(count_sheets, count_sheets.c.id == count_lines.c.sheet_id)
        .outerjoin(moves, moves.c.id == count_lines.c.move_id)
        .where(count_sheets.c.state == "posted")
        .order_by(count_lines.c.sheet_id, count_lines.c.number)
    )
    problems = []
    for r in conn.execute(query):
        variance = (r.counted or 0) - r.expected
        if variance == 0 and r.kind is None:
            continue
        side = r.destination_id if variance > 0 else r.source_id
        if (r.kind, r.state, r.quantity, side) != (
            "adjustment",
            "done",
            abs(variance),
            r.location_id,
        ):
            problems.append(
                Problem(
                    NAME,
                    f"count sheet {r.sheet_id} line {r.number}: a variance of {plain(variance)} "
                    f"has no done adjustment of {plain(abs(variance))} at its location",
                    ref=f"{r.sheet_id}:{r.number}",
                )
            )
    return problems[:100]
