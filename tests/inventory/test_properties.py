"""Property tests: FIFO layers and moving average conserve value, and random sequences
of receipts, issues, transfers and adjustments through the services keep on hand >= 0
and the valuation equal to the ledger."""

from __future__ import annotations

import contextlib
import doctest
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hansa import inventory, ledger
from hansa.inventory.domain import lots as lots_domain
from hansa.inventory.domain import products as products_domain
from hansa.inventory.domain import valuation as valuation_domain
from hansa.inventory.domain.valuation import Layer, Stock, after_takes, average_out, fifo_out
from hansa.inventory.errors import InsufficientStock
from hansa.kernel.actor import SYSTEM
from tests.inventory.support import D, Uows

quantities = st.integers(min_value=1, max_value=50).map(Decimal)
costs = st.decimals(min_value=D("0.01"), max_value=D("99.99"), places=2)


@pytest.mark.parametrize("module", [valuation_domain, lots_domain, products_domain])
def test_the_domain_examples_hold(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]


@given(st.lists(st.tuples(quantities, costs), min_size=1, max_size=8), st.data())
def test_fifo_takes_out_exactly_what_the_layers_lose(
    receipts: list[tuple[Decimal, Decimal]], data: st.DataObject
) -> None:
    layers = [Layer(n, q, (q * c).quantize(D("0.01"))) for n, (q, c) in enumerate(receipts, 1)]
    total_q, total_v = sum(lyr.quantity for lyr in layers), sum(lyr.value for lyr in layers)
    take = data.draw(st.integers(min_value=1, max_value=int(total_q)).map(Decimal))

    out = fifo_out(layers, take, 2, D(0))
    left = after_takes(layers, out.takes)

    assert sum(lyr.quantity for lyr in left) == total_q - take
    assert sum(lyr.value for lyr in left) + out.value == total_v
    assert all(lyr.quantity > 0 for lyr in left)
    # the oldest layers go first: what is left is the newest stock
    assert [lyr.move_id for lyr in left] == sorted(lyr.move_id for lyr in left)


@given(quantities, costs, st.data())
def test_moving_average_empties_to_exactly_zero(
    quantity: Decimal, cost: Decimal, data: st.DataObject
) -> None:
    stock = Stock(quantity, (quantity * cost).quantize(D("0.01")))
    taken = D(0)
    while stock.quantity > 0:
        q = data.draw(st.integers(min_value=1, max_value=int(stock.quantity)).map(Decimal))
        value = average_out(stock, q, 2, D(0))
        taken += value
        stock = Stock(stock.quantity - q, stock.value - value)
    assert stock.value == 0
    assert taken == (quantity * cost).quantize(D("0.01"))


_companies = itertools.count(1)
steps = st.lists(
    st.tuples(
        st.sampled_from(["receipt", "issue", "transfer", "adjust_in", "adjust_out", "scrap"]),
        st.integers(min_value=1, max_value=12).map(Decimal),
        costs,
    ),
    min_size=1,
    max_size=12,
)


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("method", ["fifo", "average"])
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sequence=steps)
def test_random_moves_keep_stock_non_negative_and_the_valuation_equal_to_the_ledger(
    uow_factory: Uows, method: str, sequence: list[tuple[str, Decimal, Decimal]]
) -> None:
    code = f"P{next(_companies)}"
    ledger.create_company(uow_factory(), SYSTEM, name=code, currency="EUR", code=code)
    inventory.add_category(uow_factory(), SYSTEM, code, code="C", name="C", valuation=method)
    inventory.add_product(
        uow_factory(),
        SYSTEM,
        code,
        sku="P",
        name="P",
        price=D(1),
        cost=D("2.50"),
        category_code="C",
    )
    inventory.add_location(uow_factory(), SYSTEM, code, parent="WH/STOCK", code="B")
    kinds = {
        "receipt": ("receipt", None, None),
        "issue": ("issue", None, None),
        "transfer": ("transfer", "WH/STOCK", "WH/STOCK/B"),
        "adjust_in": ("adjustment", "ADJUSTMENT", "WH/STOCK/B"),
        "adjust_out": ("adjustment", "WH/STOCK/B", "ADJUSTMENT"),
        "scrap": ("scrap", "WH/STOCK/B", None),
    }
    for step, quantity, cost in sequence:
        kind, source, destination = kinds[step]
        request = inventory.MoveRequest(
            kind, "P", quantity, source=source, destination=destination, unit_cost=cost
        )
        with contextlib.suppress(InsufficientStock):
            inventory.move_stock(uow_factory(), SYSTEM, code, request)
        stock = inventory.on_hand(uow_factory(readonly=True), SYSTEM, code, "P")
        assert all(line.on_hand >= 0 for line in stock)
        report = inventory.valuation(uow_factory(readonly=True), SYSTEM, code)
        value, books = report.accounts["1200"]
        assert value == books
        held = sum((line.on_hand for line in stock), D(0))
        assert sum((ln.quantity for ln in report.lines), D(0)) == held
        if held == 0:
            assert value == 0
