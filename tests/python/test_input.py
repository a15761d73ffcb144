"""Bad input through the Python face: wrong types, a 10 MB string, structures that contain
themselves, unknown operation names and keys, NaN/Infinity/negative/over-scale amounts. Each is an
``InvalidArgument`` naming the field, ``dispatch`` "not_sent", and the emulator received nothing
(its request counters, summed over every operation, are the same before and after)."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any, Dict, List, Tuple

import pytest

import hcpartner
from conftest import Emulator

MONEY = "update_customer_account_amount"
HUGE = "x" * 10_000_000


def _received(emu: Emulator) -> int:
    return sum(s["received"] for s in emu.stats().values())


def _cases(rid: str) -> List[Tuple[str, Dict[str, Any], str]]:
    """(operation, params, the field the error must name, as a prefix)."""
    me: Dict[str, Any] = {"customer_id": rid}
    me["me"] = me
    itself: List[Any] = []
    itself.append(itself)
    money = [float("nan"), float("inf"), float("-inf"), Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"),
             Decimal("-1"), -0.01, 0, "-5", Decimal("1.005"), "1.005", 0.1 + 0.2, Decimal("1e30"), "1e400",
             "ten", True, None, [1], {"v": 1}, b"1", object()]
    return [
        *((MONEY, {"customer_id": rid, "amount": a}, "amount") for a in money),
        ("create_partner_coupons", {"quota_id": "Q", "customer_ids": [rid], "face_value": float("nan")}, "face_value"),
        ("create_partner_coupons", {"quota_id": "Q", "customer_ids": [rid], "face_value": Decimal("-0.5")}, "face_value"),
        ("list_sub_customers", {"limit": "ten"}, "limit"),
        ("list_sub_customers", {"limit": 1.5}, "limit"),
        ("list_sub_customers", {"offset": [0]}, "offset"),
        (MONEY, {"customer_id": 5, "amount": 1}, "customer_id"),
        (MONEY, {"customer_id": b"x", "amount": 1}, "customer_id"),
        (MONEY, {"customer_id": {rid}, "amount": 1}, "customer_id"),
        (MONEY, {"customer_id": "\ud800", "amount": 1}, "customer_id"),  # a lone surrogate is no UTF-8
        ("list_customers_balances_detail", {"customer_infos": "x"}, "customer_infos"),
        ("list_customers_balances_detail", {"customer_infos": [{"customer_id": 7}]}, "customer_infos[0].customer_id"),
        # 10 MB: in a field with a length limit, in one without, in a list, in a nested unknown key.
        ("list_sub_customers", {"account_name": HUGE}, "account_name"),
        (MONEY, {"customer_id": HUGE, "amount": 1}, "customer_id"),
        ("list_customers_balances_detail", {"customer_infos": [{"customer_id": HUGE}]}, "customer_infos[0].customer_id"),
        ("list_customers_balances_detail", {"customer_infos": [{"customer_id": rid, "note": HUGE}]}, "customer_infos[0].note"),
        # Cycles: a dict that holds itself, a list that holds itself.
        ("list_customers_balances_detail", {"customer_infos": [me]}, "customer_infos[0].me"),
        ("list_customers_balances_detail", {"customer_infos": itself}, "customer_infos[0]"),
        # Names: an unknown key, a key that is no string, an operation that does not exist.
        ("list_sub_customers", {"no_such_field": 1}, "no_such_field"),
        ("list_sub_customers", {1: 1}, "params"),
        ("no_such_operation", {}, "operation"),
        ("listSubCustomers ", {}, "operation"),
        ("", {}, "operation"),
    ]


def _check(e: hcpartner.HcpError, op: str, field: str) -> None:
    assert isinstance(e, hcpartner.InvalidArgument), f"{op} {field}: {e!r}"
    assert e.field is not None and e.field.startswith(field), f"{op}: field {e.field!r}, wanted {field!r} ({e})"
    assert e.dispatch == "not_sent" and e.code == 100, f"{op} {field}: {e.dispatch}"
    # Clear and short: names the field, never copies a huge value into the message.
    assert field.split("[")[0].split(".")[0] in str(e) and len(str(e)) < 600, f"{op} {field}: {str(e)[:300]}"


def test_bad_input_names_the_field_and_sends_nothing(emu: Emulator, client: hcpartner.Client) -> None:
    cases = _cases(emu.seed["resale_customer_id"])
    before = _received(emu)
    for op, params, field in cases:
        with pytest.raises(hcpartner.InvalidArgument) as e:
            client.call(op, params)  # type: ignore[arg-type]
        _check(e.value, op, field)
    # The generated methods take the same path; positional params that are no mapping name `params`.
    with pytest.raises(hcpartner.InvalidArgument) as e:
        client.update_customer_account_amount(customer_id=emu.seed["resale_customer_id"], amount=float("nan"))
    _check(e.value, MONEY, "amount")
    for not_params in ([1], "x", 5):
        with pytest.raises(hcpartner.InvalidArgument) as e:
            client.call("list_sub_customers", not_params)  # type: ignore[arg-type]
        assert e.value.field == "params", repr(e.value)
    assert _received(emu) == before, "nothing reached the service"


def test_bad_input_through_the_async_client_and_a_pager(emu: Emulator) -> None:
    cases = _cases(emu.seed["resale_customer_id"])
    before = _received(emu)

    async def main() -> None:
        async with emu.async_client() as client:
            for op, params, field in cases:
                with pytest.raises(hcpartner.InvalidArgument) as e:
                    await client.call(op, params)  # type: ignore[arg-type]
                _check(e.value, op, field)

    asyncio.run(main())
    client = emu.client()
    with pytest.raises(hcpartner.InvalidArgument) as e:
        next(iter(client.paginate("list_sub_customers", {"account_name": HUGE})))
    _check(e.value, "list_sub_customers", "account_name")
    assert _received(emu) == before, "nothing reached the service"
