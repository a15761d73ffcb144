"""Paginators (checked when made, max_items, .total, page fields and decimal columns in
to_pandas, progress) and fan-outs (client.map, sync and async: concurrency, input order, errors
per item, the money rule per item, to_pandas)."""

from __future__ import annotations

import asyncio
import datetime
import io
import sys
import time
from decimal import Decimal
from typing import Any, Dict, List

import pytest

import hcpartner
from conftest import Emulator

MONEY = "update_customer_account_amount"
BILLS = "list_subcustomer_monthly_bills"


def _received(emu: Emulator, op: str) -> int:
    return int(emu.stats().get(op, {}).get("received", 0))


def _last_cycles(n: int) -> List[str]:
    first = datetime.date.today().replace(day=1)
    out = []
    for _ in range(n):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        out.append(first.strftime("%Y-%m"))
    return out


def _customers(emu: Emulator, client: hcpartner.Client, n: int) -> List[str]:
    """The seeded resale customer and `n - 1` new ones made through the API (without bills)."""
    made = [client.create_sub_customer(xaccount_id=f"map-{i}", xaccount_type="hcp_demo_IDP",
                                       domain_name=f"py_map{i}")["domain_id"] for i in range(n - 1)]
    return [emu.seed["resale_customer_id"], *made]


def test_paginators_are_checked_when_made(emu: Emulator, client: hcpartner.Client) -> None:
    for op, params, field in [
        ("list_sub_customer", {}, "operation"),
        ("list_sub_customers", {"limt": 5}, "limt"),
        ("update_customer_account_amount", {}, "operation"),
        ("list_sub_customers", {"limit": 1000}, "limit"),
    ]:
        with pytest.raises(hcpartner.InvalidArgument) as e:
            client.paginate(op, **params)  # type: ignore[arg-type]
        assert e.value.field == field, (op, e.value)
    assert sum(s.get("received", 0) for s in emu.stats().values()) == 0


def test_max_items_and_total(emu: Emulator, client: hcpartner.Client) -> None:
    p = client.paginate("list_sub_customers", max_items=1)
    assert p.total is None  # nothing fetched yet
    items = list(p)
    assert len(items) == 1 and p.total is not None and p.total >= 2
    assert _received(emu, "list_sub_customers") == 1  # one page of one (limit follows max_items)
    assert len(client.paginate("list_sub_customers", limit=1, max_items=2).to_list()) == 2
    assert client.paginate("list_sub_customers", max_items=0).to_list() == []
    everything = client.paginate("list_sub_customers", limit=1)
    assert len(everything.to_list()) == everything.total
    assert "max_items=5" in repr(client.paginate("list_sub_customers", max_items=5))


def test_to_pandas_page_fields_and_decimals(emu: Emulator, client: hcpartner.Client) -> None:
    cycle = _last_cycles(1)[0]
    p = client.paginate(BILLS, cycle=cycle, charge_mode="1")
    exact = p.to_pandas()
    assert len(exact) > 0 and "currency" not in exact.columns
    assert exact["amount"].dtype == object and isinstance(exact["amount"].iloc[0], Decimal)
    kept = p.to_pandas(page_fields=True, decimal="float")
    assert set(kept["currency"]) == {"CNY"} and "count" not in kept.columns and "bill_sums" not in kept.columns
    assert kept["amount"].dtype == "float64" and kept["amount"].sum() == pytest.approx(float(exact["amount"].sum()))
    assert list(p.to_pandas(page_fields=["currency"]).columns).count("currency") == 1
    with pytest.raises(hcpartner.InvalidArgument) as e:
        p.to_pandas(decimal="double")
    assert e.value.field == "decimal"
    assert hcpartner.to_dataframe([{"a": Decimal("1.5")}], decimal="float")["a"].dtype == "float64"


def test_progress_with_tqdm_and_without(emu: Emulator, client: hcpartner.Client, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    total = client.list_sub_customers(limit=1)["count"]
    assert len(client.paginate("list_sub_customers", limit=1, progress=True).to_list()) == total
    err = capsys.readouterr().err
    assert f"{total}/{total}" in err and "100%|" in err  # tqdm's bar, the total from the first page
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # tqdm not installed
    client.paginate("list_sub_customers", limit=1, progress=True).to_list()
    err = capsys.readouterr().err
    assert err.endswith(f"list_sub_customers: {total}/{total}\n")


def test_map_in_input_order_with_errors(emu: Emulator, client: hcpartner.Client) -> None:
    ids = _customers(emu, client, 3)
    cycles = _last_cycles(3)
    params = [{"customer_id": c, "cycle": cy} for c in ids for cy in cycles]
    params.insert(2, {"customer_id": "not-mine", "cycle": cycles[0]})
    params.insert(4, {"customer_id": ids[0], "cycle": "May 2024", "limit": 0})  # refused before sending
    before = _received(emu, BILLS)
    res = client.map(BILLS, params, charge_mode="1", limit=100, concurrency=4)
    assert len(res) == len(params) and not res.ok
    assert [i.params for i in res] == [{"charge_mode": "1", "limit": 100, **p} for p in params]
    failed = {i.index: i.error for i in res.errors}
    assert set(failed) == {2, 4}
    assert isinstance(failed[2], hcpartner.ApiError) and failed[2].error_code == "CBC.99000000"
    assert isinstance(failed[4], hcpartner.InvalidArgument) and failed[4].field == "limit"
    assert _received(emu, BILLS) - before == len(params) - 1  # the bad item was never sent
    for item in res:
        if item.ok:
            assert item.result is not None and item.result.meta.operation == BILLS  # type: ignore[attr-defined]
            assert all(b["customer_id"] == item.params["customer_id"] for b in item.result["bill_sums"])
    with pytest.raises(hcpartner.ApiError):
        res.raise_first()
    df = res.to_pandas(decimal="float")
    assert {"customer_id", "cycle", "charge_mode", "currency", "amount"} <= set(df.columns)
    assert set(df["cycle"]) == set(cycles) and df["amount"].dtype == "float64"
    with_errors = res.to_pandas(errors=True)
    assert set(with_errors["error_code"].dropna()) == {"CBC.99000000"}
    assert "2 failed" in repr(res)


def test_map_warns_when_a_page_holds_less_than_the_total(emu: Emulator, client: hcpartner.Client) -> None:
    res = client.map(BILLS, [{"cycle": _last_cycles(1)[0]}], charge_mode="1", limit=1)
    assert res.ok
    with pytest.warns(UserWarning, match="pass a larger limit"):
        res.to_pandas()


def test_map_concurrency_is_real(emu: Emulator, client: hcpartner.Client) -> None:
    emu.fault(op="list_sub_customers", kind="delay", delay_ms=300, count=16)
    params = [{"limit": 1}] * 8
    start = time.monotonic()
    assert client.map("list_sub_customers", params, concurrency=8).ok
    wide = time.monotonic() - start
    start = time.monotonic()
    assert client.map("list_sub_customers", params, concurrency=1).ok
    narrow = time.monotonic() - start
    assert wide < 1.2 and narrow > 2.3, (wide, narrow)


def test_map_follows_the_money_rule_per_item(emu: Emulator, client: hcpartner.Client) -> None:
    rid = emu.seed["resale_customer_id"]
    emu.fault(op=MONEY, kind="drop_after", count=1)
    amounts = [Decimal("1.00"), Decimal("2.00"), Decimal("3.00"), Decimal("4.00")]
    res = client.map(MONEY, [{"amount": a} for a in amounts], customer_id=rid, concurrency=1,
                     _options={"retry": {"max_attempts": 5}})
    assert [type(i.error) for i in res] == [hcpartner.OutcomeUnknown, type(None), type(None), type(None)]
    stats = emu.stats()[MONEY]
    assert (stats["received"], stats["applied"]) == (4, 4)  # each once; the dropped one applied too
    assert len({i.result["transfer_id"] for i in res if i.result}) == 3


def test_map_bad_operation_or_concurrency_sends_nothing(emu: Emulator, client: hcpartner.Client) -> None:
    with pytest.raises(hcpartner.InvalidArgument) as e:
        client.map("list_sub_customer", [{}])  # type: ignore[arg-type]
    assert e.value.field == "operation"
    for bad in [0, 10_000]:
        with pytest.raises(hcpartner.InvalidArgument) as e:
            client.map("list_sub_customers", [{}], concurrency=bad)
        assert e.value.field == "concurrency"
    with pytest.raises(hcpartner.InvalidArgument) as e:
        client.map("list_sub_customers", [{}], _options={"timeout": -1})
    assert e.value.field == "timeout"
    assert client.map("list_sub_customers", []).results == []
    assert sum(s.get("received", 0) for s in emu.stats().values()) == 0


def test_map_progress(emu: Emulator, client: hcpartner.Client, capsys: pytest.CaptureFixture[str]) -> None:
    client.map("list_sub_customers", [{"limit": 1}] * 5, progress=True)
    assert "5/5" in capsys.readouterr().err


def test_async_map(emu: Emulator) -> None:
    async def main() -> None:
        async with emu.async_client() as ac:
            emu.fault(op="list_sub_customers", kind="delay", delay_ms=300, count=8)
            start = time.monotonic()
            res = await ac.map("list_sub_customers", [{"limit": n} for n in range(1, 9)], concurrency=8, progress=True)
            assert time.monotonic() - start < 1.2 and res.ok
            assert [len(r["customer_infos"]) for r in res.results if r] == [min(n, 2) for n in range(1, 9)]
            bad = await ac.map("list_sub_customers", [{"limit": 1}, {"limt": 1}])
            assert [i.ok for i in bad] == [True, False] and bad.errors[0].error.field == "limt"  # type: ignore[union-attr]
            pages = ac.paginate("list_sub_customers", limit=1, max_items=5)
            assert len(await pages.to_list()) == 2 and pages.total == 2
            frame = await ac.paginate(BILLS, cycle=_last_cycles(1)[0], charge_mode="1").to_pandas(page_fields=True)
            assert "currency" in frame.columns

    asyncio.run(main())


def test_async_map_cancelled_by_the_money_rule(emu: Emulator) -> None:
    rid = emu.seed["resale_customer_id"]

    async def main() -> Any:
        async with emu.async_client() as ac:
            emu.fault(op=MONEY, kind="delay", delay_ms=1500, count=1)
            task = asyncio.ensure_future(ac.map(MONEY, [{"amount": 1}] * 3, customer_id=rid, concurrency=1))
            await asyncio.sleep(0.5)  # the first is on the wire, the others wait for a permit
            task.cancel()
            with pytest.raises(hcpartner.CancelledOutcomeUnknown) as e:
                await task
            assert e.value.abandoned_items == [0]  # type: ignore[attr-defined]
            await asyncio.sleep(1.5)  # the one on the wire ran to its end in the background

    asyncio.run(main())
    stats: Dict[str, Any] = emu.stats()[MONEY]
    assert (stats["received"], stats["applied"]) == (1, 1)


def test_plain_line_progress_without_tqdm(monkeypatch: pytest.MonkeyPatch) -> None:
    from hcpartner import _progress

    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    bar = _progress.Progress(None, "work")
    bar.update(2)
    bar.set_total(4)
    bar.to(4)
    bar.close()
    assert err.getvalue().endswith("work: 4/4\n")
