"""Response metadata of successful calls and per-call options (``_options=`` on every method,
``with_options()`` views): a call's own timeout, retries and extra headers. Bad options fail
naming the field with nothing sent; a money call is never sent twice, whatever its retries say."""

from __future__ import annotations

import asyncio
import pickle
import time
from decimal import Decimal

import pytest

import hcpartner
from conftest import Emulator
from netutil import Recorder

MONEY = "update_customer_account_amount"


def _received(emu: Emulator, op: str) -> int:
    return int(emu.stats().get(op, {}).get("received", 0))


def test_metadata_of_a_successful_call(emu: Emulator, client: hcpartner.Client) -> None:
    r = client.list_sub_customers(limit=1)
    assert isinstance(r, dict) and isinstance(r, hcpartner.Result) and "customer_infos" in r
    m = r.meta
    assert m is not None and hcpartner.meta(r) == m
    assert (m.operation, m.status, m.attempts) == ("list_sub_customers", 200, 1)
    assert m.request_id and len(m.request_id) >= 16 and 0 < m.elapsed < 5
    assert "Some(" not in repr(m) and m.request_id in repr(m)
    assert client.call("list_sub_customers", limit=1).meta.operation == "list_sub_customers"  # type: ignore[union-attr]
    # The data keeps the wire's shape: no metadata key in the dict, JSON and pickle round-trip.
    assert set(r) == {"customer_infos", "count"}
    back = pickle.loads(pickle.dumps(r))
    assert back == r and back.meta == m
    assert hcpartner.meta({"count": 1}) is None


def test_metadata_counts_retries(emu: Emulator, client: hcpartner.Client) -> None:
    emu.fault(op="list_sub_customers", kind="fail", status=503, count=1)
    m = client.list_sub_customers(limit=1).meta
    assert m is not None and m.attempts == 2 and m.status == 200


def test_money_call_metadata_names_the_transfer(emu: Emulator, client: hcpartner.Client) -> None:
    rid = emu.seed["resale_customer_id"]
    r = client.update_customer_account_amount(customer_id=rid, amount=Decimal("12.34"))
    assert r["transfer_id"] and r.meta is not None and r.meta.request_id and r.meta.attempts == 1


def test_async_metadata_and_options(emu: Emulator) -> None:
    async def main() -> None:
        async with emu.async_client() as ac:
            r = await ac.list_sub_customers(limit=1, _options={"timeout": 10})
            assert r.meta is not None and r.meta.status == 200  # type: ignore[attr-defined]
            r2 = await ac.with_options(retry={"max_attempts": 1}).call("list_sub_customers", limit=1)
            assert r2.meta is not None and r2.meta.attempts == 1

    asyncio.run(main())


def test_per_call_timeout(emu: Emulator, client: hcpartner.Client) -> None:
    emu.fault(op="list_sub_customers", kind="delay", delay_ms=3000, count=5)
    start = time.monotonic()
    with pytest.raises(hcpartner.TimeoutError):
        client.list_sub_customers(limit=1, _options={"timeout": 0.4})
    assert time.monotonic() - start < 2
    start = time.monotonic()
    with pytest.raises(hcpartner.TimeoutError):
        client.with_options(timeout=0.4).list_sub_customers(limit=1)
    assert time.monotonic() - start < 2


def test_per_call_retries(emu: Emulator, client: hcpartner.Client) -> None:
    emu.fault(op="list_sub_customers", kind="fail", status=500, count=1)
    with pytest.raises(hcpartner.ApiError) as e:
        client.list_sub_customers(limit=1, _options={"retry": {"max_attempts": 1}})
    assert e.value.attempts == 1 and _received(emu, "list_sub_customers") == 1
    emu.reset()
    emu.fault(op="list_sub_customers", kind="fail", status=500, count=3)
    r = client.with_options(retry={"max_attempts": 4}).list_sub_customers(limit=1)
    assert r.meta is not None and r.meta.attempts == 4


def test_money_is_sent_once_whatever_the_retries(emu: Emulator, client: hcpartner.Client) -> None:
    rid = emu.seed["resale_customer_id"]
    emu.fault(op=MONEY, kind="drop_after", count=1)
    generous = {"retry": {"max_attempts": 10, "base_delay": 0.01}}
    with pytest.raises(hcpartner.OutcomeUnknown):
        client.update_customer_account_amount(customer_id=rid, amount=Decimal("5.00"), _options=generous)  # type: ignore[arg-type]
    stats = emu.stats()[MONEY]
    assert (stats["received"], stats["applied"]) == (1, 1)


def test_extra_headers_are_sent_and_signed() -> None:
    rec = Recorder(b'{"customer_infos": [], "count": 0}')
    try:
        c = hcpartner.Client(endpoint=rec.url, credentials=hcpartner.AkSk("AK", "SK", domain_id="D"))
        r = c.list_sub_customers(limit=1, _options={"headers": {"X-Trace-Id": "trace-1"}})
        assert r.meta is not None and r.meta.request_id == "rec-1"
        view = c.with_options(headers={"X-Trace-Id": "trace-2", "X-Team": "billing"})
        view.list_sub_customers(limit=1, _options={"headers": {"X-Team": "ops"}})
        c.list_sub_customers(limit=1)
        first, second, third = ({k.lower(): v for k, v in h.items()} for h in rec.seen)
        assert first["x-trace-id"] == "trace-1"
        assert "x-trace-id" in first["authorization"].split("SignedHeaders=")[1]
        assert (second["x-trace-id"], second["x-team"]) == ("trace-2", "ops")  # the call's own wins
        assert "x-trace-id" not in third  # the view did not change the client
    finally:
        rec.close()


def test_bad_options_name_the_field_and_send_nothing(emu: Emulator, client: hcpartner.Client) -> None:
    cases = [
        ({"timout": 1}, "timout"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": 0}, "timeout"),
        ({"retry": {"max_attempts": 0}}, "retry.max_attempts"),
        ({"retry": {"attempts": 2}}, "retry.attempts"),
        ({"headers": {"Authorization": "x"}}, "headers.Authorization"),
        ({"headers": {"X-Language": "en_US"}}, "headers.X-Language"),
        ({"headers": {"user-agent": "me"}}, "headers.user-agent"),
        ({"headers": {"Bad Name": "x"}}, "headers.Bad Name"),
        ({"headers": {"X-Key": "SECRET-HDR\r\nX: y"}}, "headers.X-Key"),
        ({"headers": {"X-N": 1}}, "headers.X-N"),
    ]
    for options, field in cases:
        with pytest.raises(hcpartner.InvalidArgument) as e:
            client.list_sub_customers(limit=1, _options=options)  # type: ignore[arg-type]
        assert e.value.field == field, (options, e.value.field, str(e.value))
        assert "SECRET-HDR" not in f"{e.value} {e.value!r}"
        with pytest.raises(hcpartner.InvalidArgument):
            client.paginate("list_sub_customers", _options=options)  # type: ignore[arg-type]
    assert _received(emu, "list_sub_customers") == 0
    shown = repr(client.with_options(headers={"X-Api-Key": "SECRET-HDR"}))
    assert "SECRET-HDR" not in shown and "X-Api-Key" in shown
