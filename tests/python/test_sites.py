"""The international site through the Python face: its 11 operations against an emulator started
with ``--site intl``, the client's site checks before anything is sent (the emulators' counters
prove nothing arrived), and the emulator refusing an amount sent as a string."""

from __future__ import annotations

import asyncio
import json
import subprocess
from decimal import Decimal
from typing import Any, Dict, Iterator

import pytest

import hcpartner
from conftest import Emulator, _emulator_binary


@pytest.fixture(scope="module")
def intl_process() -> Iterator[Emulator]:
    """One emulator serving the international site for this module."""
    proc = subprocess.Popen(
        [_emulator_binary(), "--port", "0", "--site", "intl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the emulator exited before printing its address")
        info = json.loads(line)
        assert info["site"] == "intl"
        yield Emulator(info)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture()
def intl(intl_process: Emulator) -> Emulator:
    intl_process.reset()
    intl_process.admin("DELETE", "/_emulator/stats")
    return intl_process


def aksk(emu: Emulator) -> hcpartner.AkSk:
    return hcpartner.AkSk(emu.info["ak"], emu.info["sk"], domain_id=emu.info["domain_id"])


def intl_client(emu: Emulator) -> hcpartner.Client:
    return hcpartner.Client(endpoint=emu.url, site="intl", credentials=aksk(emu))


def cn_client(emu: Emulator) -> hcpartner.Client:
    return hcpartner.Client(endpoint=emu.url, credentials=aksk(emu))


def received(emu: Emulator) -> int:
    total: int = emu.admin("GET", "/_emulator/stats")["totals"]["received"]
    return total


def test_budgets(intl: Emulator) -> None:
    c = intl_client(intl)
    resale = intl.seed["resale_customer_id"]
    shown = c.show_sub_customer_budget(customer_id=resale)
    assert shown["budget_amount"] == Decimal("1000.00") and shown["currency"] == "USD"
    c.update_sub_customer_budget(customer_id=resale, budget_amount=Decimal("1500.00"), budget_type="MONTHLY")
    listed = c.list_sub_customer_budget(customer_ids=[resale, intl.seed["consulting_customer_id"]])
    assert [b["customer_id"] for b in listed["budget_infos"]] == [resale]
    assert listed["budget_infos"][0]["budget_amount"] == Decimal("1500.00")
    records = c.list_sub_customer_budget_records(customer_id=resale)
    assert records["total_count"] == 2
    assert records["record_list"][0]["budget_amount"] == Decimal("1500.00")
    assert [r["operation_type"] for r in c.paginate("list_sub_customer_budget_records", customer_id=resale, limit=1)] == [
        "SETTING",
        "SETTING",
    ]


def test_freeze_and_unfreeze(intl: Emulator) -> None:
    c = intl_client(intl)
    resale, foreign = intl.seed["resale_customer_id"], intl.seed["foreign_customer_id"]
    out = c.freeze_sub_customers(customer_ids=[resale, foreign], reason="overdue")
    assert [e["id"] for e in out["error_details"]] == [foreign]
    assert out["error_details"][0]["error_code"] == "CBC.99000000"
    frozen = {x["customer_id"]: x["is_frozen"] for x in c.list_sub_customers(limit=100)["customer_infos"]}
    assert frozen[resale] == 1
    assert c.unfreeze_sub_customers(customer_ids=[resale], reason="paid")["error_details"] == []
    frozen = {x["customer_id"]: x["is_frozen"] for x in c.list_sub_customers(limit=100)["customer_infos"]}
    assert frozen[resale] == 0


def test_credit_bill_prices_and_invoices(intl: Emulator) -> None:
    c = intl_client(intl)
    quota = c.show_partner_consumption_quota()
    assert quota["consumption_quota"] == "10000.00" and quota["currency"] == "USD"
    cycle = intl.admin("GET", "/_emulator/state")["bills"][0]["bill_cycle"]
    bill = c.list_postpaid_bill_sum(bill_cycle=cycle)
    assert bill["bill_cycle"] == cycle and isinstance(bill["consume_amount"], Decimal)
    specs = list(c.paginate("list_resource_specs_price", region_code="ap-southeast-1", need_price=True, limit=2))
    assert len(specs) == 5
    assert all(s["price_lists"][0]["currency"] == "USD" for s in specs)
    page = c.list_invoices(
        domain_id=intl.info["domain_id"], start_time="2000-01-01T00:00:00Z", end_time="2100-01-01T00:00:00Z", offset=1, limit=10
    )
    assert page["count"] == 2 and page["invoices"][0]["requestId"] == "INV-SEED-0001"
    customer = c.for_customer(intl.info["agency_name"], customer_id=intl.seed["resale_customer_id"])
    # A resale customer has no expenditure quota: the service returns no results.
    assert customer.show_customer_expenditure_quota() == {}


def test_async_intl_operation(intl: Emulator) -> None:
    async def run() -> Dict[str, Any]:
        c = hcpartner.AsyncClient(endpoint=intl.url, site="intl", credentials=aksk(intl))
        return await c.show_sub_customer_budget(customer_id=intl.seed["resale_customer_id"])

    assert asyncio.run(run())["budget_type"] == "MONTHLY"


def test_site_checks_before_sending(emu: Emulator, intl: Emulator) -> None:
    cn, it = cn_client(emu), intl_client(intl)
    emu.admin("DELETE", "/_emulator/stats")
    with pytest.raises(hcpartner.InvalidArgument) as e:
        cn.freeze_sub_customers(customer_ids=["c"], reason="r")
    assert e.value.field == "operation" and "international" in str(e.value)
    with pytest.raises(hcpartner.InvalidArgument) as e:
        it.update_customer_account_amount(customer_id="c", amount=Decimal("1.00"))
    assert e.value.field == "operation"
    with pytest.raises(hcpartner.InvalidArgument) as e:
        it.create_sub_customer(xaccount_id="x", xaccount_type="hcp_demo_IDP", domain_area="SG", cooperation_type="1")
    assert e.value.field == "cooperation_type"
    with pytest.raises(hcpartner.InvalidArgument) as e:
        it.create_sub_customer(xaccount_id="x", xaccount_type="hcp_demo_IDP")
    assert e.value.field == "domain_area"
    with pytest.raises(hcpartner.InvalidArgument) as e:
        it.send_verification_message_code(receiver_type=2)
    assert e.value.field == "email"
    with pytest.raises(hcpartner.InvalidArgument) as e:
        cn.send_verification_message_code(receiver_type=2, mobile_phone="13900000000", email="a@b.c")
    assert e.value.field == "email"
    assert received(emu) == 0 and received(intl) == 0, "nothing reached either emulator"
    made = it.create_sub_customer(xaccount_id="x", xaccount_type="hcp_demo_IDP", domain_area="SG", email="a@b.c")
    assert made["domain_id"]


def test_amounts_travel_as_numbers_and_their_scale_is_checked_before_sending(intl: Emulator) -> None:
    c = intl_client(intl)
    # A numeric string is money like any other: the client sends it as a JSON number (the
    # emulator, as strict as the description, would refuse a JSON string: emulator/tests/it/intl.rs).
    c.update_sub_customer_budget(customer_id=intl.seed["resale_customer_id"], budget_amount="1500.00")
    with pytest.raises(hcpartner.InvalidArgument) as e:
        c.update_sub_customer_budget(customer_id=intl.seed["resale_customer_id"], budget_amount=Decimal("1.005"))
    assert e.value.field == "budget_amount" and "decimal places" in str(e.value)
    stats = intl.stats()["update_sub_customer_budget"]
    assert (stats["received"], stats["applied"], stats["failed"]) == (1, 1, 0)