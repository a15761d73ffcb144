"""``client.reconcile`` against the emulator: an unknown outcome of funding or coupons settled from
the service's records, each verdict checked against what the emulator really applied (its stats),
and what cannot be reconciled refused naming the field."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest

import hcpartner
from conftest import Emulator

MONEY = "update_customer_account_amount"
COUPONS = "create_partner_coupons"


def lost(emu: Emulator, client: hcpartner.Client, op: str, kind: str, **params: Any) -> hcpartner.OutcomeUnknown:
    """The OutcomeUnknown of `op` with its connection dropped before or after processing."""
    emu.fault(op=op, kind=kind, count=1)
    with pytest.raises(hcpartner.OutcomeUnknown) as e:
        client.call(op, **params)
    assert e.value.ticket is not None, repr(e.value)
    return e.value


def test_a_lost_answer_to_funding_is_applied_once(emu: Emulator, client: hcpartner.Client) -> None:
    cid = emu.seed["resale_customer_id"]
    e = lost(emu, client, MONEY, "drop_after", customer_id=cid, amount=Decimal("23.45"))
    ticket = e.ticket
    assert ticket is not None
    assert (ticket["operation"], ticket["params"]) == (MONEY, {"customer_id": cid, "amount": Decimal("23.45")})
    assert isinstance(ticket["params"]["amount"], Decimal), "money in the ticket is Decimal"
    assert 0 < ticket["began"] <= ticket["ended"]

    r = client.reconcile(e)
    assert (r["verdict"], r["operation"], r["looked_in"]) == ("applied", MONEY, "list_partner_adjust_records")
    assert [(x["customer_id"], x["amount"]) for x in r["records"]] == [(cid, "23.45")], r
    stats = emu.stats()[MONEY]
    assert (stats["received"], stats["applied"]) == (1, 1)

    # The ticket alone settles it too (one kept in a log or a database), and settling moves nothing.
    assert client.reconcile(dict(ticket))["verdict"] == "applied"
    assert emu.stats()[MONEY]["applied"] == 1


def test_a_request_dropped_before_processing_is_not_applied(emu: Emulator, client: hcpartner.Client) -> None:
    e = lost(emu, client, MONEY, "drop_before", customer_id=emu.seed["resale_customer_id"], amount=Decimal("23.46"))
    r = client.reconcile(e)
    assert (r["verdict"], r["records"]) == ("not_applied", [])
    assert emu.stats()[MONEY]["applied"] == 0


def test_a_lost_coupon_issue_is_applied(emu: Emulator, client: hcpartner.Client) -> None:
    cid = emu.seed["resale_customer_id"]
    e = lost(emu, client, COUPONS, "drop_after", quota_id=emu.seed["quota_id"], customer_ids=[cid],
             face_value=Decimal("3.21"))
    r = client.reconcile(e)
    assert (r["verdict"], r["looked_in"]) == ("applied", "list_issued_partner_coupons")
    [coupon] = r["records"]
    assert coupon["customer_id"] == cid
    assert coupon["face_value"] == Decimal("3.21") and isinstance(coupon["face_value"], Decimal)
    assert emu.stats()[COUPONS]["applied"] == 1


def test_the_async_client_reconciles(emu: Emulator) -> None:
    cid = emu.seed["resale_customer_id"]

    async def main() -> tuple[str, str]:
        async with emu.async_client() as client:
            emu.fault(op=MONEY, kind="drop_after", count=1)
            with pytest.raises(hcpartner.OutcomeUnknown) as applied:
                await client.update_customer_account_amount(customer_id=cid, amount=Decimal("5.55"))
            emu.fault(op=MONEY, kind="drop_before", count=1)
            with pytest.raises(hcpartner.OutcomeUnknown) as dropped:
                await client.update_customer_account_amount(customer_id=cid, amount=Decimal("5.56"))
            first, second = await asyncio.gather(client.reconcile(applied.value), client.reconcile(dropped.value))
            return first["verdict"], second["verdict"]

    assert asyncio.run(main()) == ("applied", "not_applied")
    assert emu.stats()[MONEY]["applied"] == 1


def test_only_an_unknown_outcome_of_a_settled_call_reconciles(emu: Emulator, client: hcpartner.Client) -> None:
    cid = emu.seed["resale_customer_id"]
    with pytest.raises(hcpartner.InvalidArgument) as refused:
        client.update_customer_account_amount(customer_id=cid, amount=-1)
    assert refused.value.ticket is None
    # An unknown outcome of a call whose records say nothing of it has no ticket either.
    emu.fault(op="create_sub_customer", kind="drop_after", count=1)
    with pytest.raises(hcpartner.OutcomeUnknown) as unsettled:
        client.create_sub_customer(xaccount_id="recon", xaccount_type="hcp_demo_IDP", domain_name="py_recon")
    assert unsettled.value.ticket is None
    for wrong in (refused.value, unsettled.value, ValueError("x"), "a ticket", None):
        with pytest.raises(hcpartner.InvalidArgument) as e:
            client.reconcile(wrong)  # type: ignore[arg-type]
        assert e.value.field == "error", repr(e.value)
        assert "OutcomeUnknown" in str(e.value)
    assert "list_partner_adjust_records" not in emu.stats(), "nothing was looked up"


def test_a_ticket_that_is_not_one_is_refused_naming_the_field(emu: Emulator, client: hcpartner.Client) -> None:
    e = lost(emu, client, MONEY, "drop_before", customer_id=emu.seed["resale_customer_id"], amount=Decimal("1.01"))
    ticket: Any = dict(e.ticket or {})
    cases = [
        ({**ticket, "began": "yesterday"}, "ticket.began"),
        ({**ticket, "params": [1]}, "ticket.params"),
        ({**ticket, "operation": "list_sub_customers"}, "operation"),
        ({**ticket, "params": {"customer_id": "c"}}, "amount"),
        ({**ticket, "sk": "x"}, "ticket.sk"),
    ]
    for bad, field in cases:
        with pytest.raises(hcpartner.InvalidArgument) as refused:
            client.reconcile(bad)
        assert refused.value.field == field, repr(refused.value)


def test_a_funding_call_abandoned_on_the_wire_carries_its_ticket(emu: Emulator, client: hcpartner.Client) -> None:
    """Ctrl-C and an asyncio cancel while the money is on the wire: the call runs on in the
    background, and its error still settles from the records once it has ended."""
    import os
    import signal
    import threading
    import time

    cid = emu.seed["resale_customer_id"]
    emu.fault(op=MONEY, kind="delay", delay_ms=800, count=1)
    threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()
    with pytest.raises(hcpartner.InterruptedOutcomeUnknown) as e:
        client.update_customer_account_amount(customer_id=cid, amount=Decimal("31.07"))
    assert e.value.ticket is not None and e.value.ticket["params"]["amount"] == Decimal("31.07")
    time.sleep(1.2)  # it ends in the background
    r = client.reconcile(e.value)
    assert (r["verdict"], [x["amount"] for x in r["records"]]) == ("applied", ["31.07"]), r

    async def cancelled() -> hcpartner.OutcomeUnknown:
        emu.fault(op=MONEY, kind="delay", delay_ms=800, count=1)
        c = emu.async_client()
        task = asyncio.ensure_future(c.update_customer_account_amount(customer_id=cid, amount=Decimal("31.08")))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(hcpartner.CancelledOutcomeUnknown) as e:
            await task
        await asyncio.sleep(1.2)
        assert (await c.reconcile(e.value))["verdict"] == "applied"
        return e.value

    assert asyncio.run(cancelled()).ticket is not None
    assert emu.stats()[MONEY]["applied"] == 2, "each applied once, reconciling moved nothing"
