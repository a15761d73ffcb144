"""What the face-neutral layer promises, seen from Python: bad input of every kind is an
InvalidArgument naming the field (nothing sent), a panic raises, Ctrl-C and asyncio cancels follow
the money rule, logging works without secrets, the asyncio bridge releases its descriptors, and
numbers follow the response model."""

from __future__ import annotations

import asyncio
import datetime
import fractions
import gc
import http.server
import json
import logging
import os
import signal
import threading
import time
from decimal import Decimal
from typing import Any, Iterator, List

import pytest

import hcpartner
from conftest import Emulator

MONEY = "update_customer_account_amount"


def _sent(emu: Emulator, op: str) -> int:
    return int(emu.stats().get(op, {}).get("received", 0))


def test_bad_input_is_invalid_argument_naming_the_field(emu: Emulator, client: hcpartner.Client) -> None:
    cyclic: List[Any] = []
    cyclic.append(cyclic)
    deep: Any = "x"
    for _ in range(2000):
        deep = {"a": deep}
    rid = emu.seed["resale_customer_id"]
    cases = [
        ({"customer_id": rid, "amount": float("nan")}, "amount"),
        ({"customer_id": rid, "amount": float("inf")}, "amount"),
        ({"customer_id": rid, "amount": Decimal("NaN")}, "amount"),
        ({"customer_id": rid, "amount": Decimal("-Infinity")}, "amount"),
        ({"customer_id": rid, "amount": "1_5"}, "amount"),
        ({"customer_id": rid, "amount": "1._5"}, "amount"),
        ({"customer_id": rid, "amount": "10_"}, "amount"),
        ({"customer_id": rid, "amount": 0.1 + 0.2}, "amount"),
        ({"customer_id": rid, "amount": Decimal("1.005")}, "amount"),
        ({"customer_id": rid, "amount": fractions.Fraction(1, 3)}, "amount"),
        ({"customer_id": rid, "amount": {1}}, "amount"),
        ({"customer_id": b"bytes", "amount": 1}, "customer_id"),
        ({"customer_id": datetime.date.today(), "amount": 1}, "customer_id"),
        ({"customer_id": "\ud800", "amount": 1}, "customer_id"),
        ({"customer_id": rid, "amount": 1, "extra": {1: "x"}}, "extra"),
        ({"customer_id": cyclic, "amount": 1}, "customer_id"),
        ({"customer_id": deep, "amount": 1}, "customer_id"),
    ]
    for params, field in cases:
        with pytest.raises(hcpartner.InvalidArgument) as e:
            client.call(MONEY, params)
        assert e.value.field is not None and e.value.field.startswith(field), (params, e.value.field, e.value)
        assert e.value.code == 100 and e.value.dispatch == "not_sent"
    assert _sent(emu, MONEY) == 0, "nothing reached the service"
    # A 10 MB value is not copied into the message.
    with pytest.raises(hcpartner.InvalidArgument) as e:
        client.list_sub_customers(association_type="x" * 10_000_000)  # type: ignore[arg-type]
    assert len(str(e.value)) < 500


def test_a_panic_raises_internal_error(client: hcpartner.Client) -> None:
    with pytest.raises(hcpartner.InternalError) as e:
        client._native._panic()
    assert e.value.code == 900 and "deliberate test panic" in str(e.value)

    async def main() -> None:
        with pytest.raises(hcpartner.InternalError):
            await asyncio.wait_for(client._native._panic(awaited=True), timeout=5)

    asyncio.run(main())


def _sigint_after(seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    return timer


def test_ctrl_c_stops_a_slow_read_at_once(emu: Emulator, client: hcpartner.Client) -> None:
    emu.fault(path="/v2/partners/sub-customers/query", kind="delay", delay_ms=5000, count=1)
    _sigint_after(0.3)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt) as e:
        client.list_sub_customers(limit=1)
    elapsed = time.monotonic() - started
    assert not isinstance(e.value, hcpartner.OutcomeUnknown)
    assert elapsed < 0.3 + 0.1, f"KeyboardInterrupt took {elapsed - 0.3:.3f} s after the signal"
    # And a paginator.
    emu.fault(path="/v2/partners/sub-customers/query", kind="delay", delay_ms=5000, count=1)
    pages = client.paginate("list_sub_customers", limit=1)
    _sigint_after(0.3)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        next(iter(pages))
    assert time.monotonic() - started < 0.4


def test_ctrl_c_on_a_money_call_on_the_wire(emu: Emulator, client: hcpartner.Client) -> None:
    rid = emu.seed["resale_customer_id"]
    before = client.list_customers_balances_detail(customer_infos=[{"customer_id": rid}])["customer_balances"][0]
    emu.fault(path="/v2/accounts/partner-accounts/adjust-amount", kind="delay", delay_ms=1500, count=1)
    _sigint_after(0.3)
    started = time.monotonic()
    with pytest.raises(hcpartner.InterruptedOutcomeUnknown) as e:
        client.update_customer_account_amount(customer_id=rid, amount=Decimal("25.00"))
    assert time.monotonic() - started < 0.5
    assert isinstance(e.value, KeyboardInterrupt) and isinstance(e.value, hcpartner.OutcomeUnknown)
    assert "list_partner_account_change_records" in (e.value.hint or "")
    time.sleep(1.8)  # it runs to its end in the background
    stats = emu.stats()[MONEY]
    assert (stats["received"], stats["applied"]) == (1, 1)
    after = client.list_customers_balances_detail(customer_infos=[{"customer_id": rid}])["customer_balances"][0]
    assert after["amount"] - before["amount"] == Decimal("25.00"), "applied exactly once"


def test_asyncio_cancel_follows_the_money_rule(emu: Emulator) -> None:
    rid = emu.seed["resale_customer_id"]
    emu.fault(path="/v2/accounts/partner-accounts/adjust-amount", kind="delay", delay_ms=800, count=1)

    async def main() -> None:
        c = emu.async_client()
        task = asyncio.ensure_future(c.update_customer_account_amount(customer_id=rid, amount=1))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(hcpartner.CancelledOutcomeUnknown) as e:
            await task
        assert isinstance(e.value, asyncio.CancelledError) and e.value.operation == MONEY
        # A timeout around one: asyncio's TimeoutError, caused by the outcome-unknown one.
        emu.fault(path="/v2/accounts/partner-accounts/adjust-amount", kind="delay", delay_ms=800, count=1)
        with pytest.raises(asyncio.TimeoutError) as t:
            await asyncio.wait_for(c.update_customer_account_amount(customer_id=rid, amount=1), timeout=0.2)
        assert isinstance(t.value.__cause__, hcpartner.OutcomeUnknown)
        await asyncio.sleep(1.2)

    asyncio.run(main())
    stats = emu.stats()[MONEY]
    assert (stats["received"], stats["applied"]) == (2, 2), "both ran to their end, once each"


def _unix_sockets() -> int:
    """Open Unix-domain sockets of this process (the bridge's socketpairs, asyncio's self-pipes);
    TCP connections of the HTTP pool are not counted."""
    with open("/proc/net/unix") as f:
        inodes = {line.split()[6] for line in f.readlines()[1:] if len(line.split()) > 6}
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            count += 1
    return count


def _settled(expected: int) -> int:
    """The Unix-socket count once it is at most `expected` (a runtime thread may still be
    dropping its end of a finished call's queue; earlier tests' loops may close meanwhile), or
    after a second."""
    gc.collect()
    deadline = time.monotonic() + 1
    while _unix_sockets() > expected and time.monotonic() < deadline:
        time.sleep(0.01)
    return _unix_sockets()


def test_loop_close_releases_the_bridge_descriptors(emu: Emulator) -> None:
    c = emu.async_client()
    asyncio.run(c.list_sub_customers(limit=1))  # the HTTP pool exists now
    gc.collect()
    baseline = _unix_sockets()
    for _ in range(3):
        asyncio.run(c.list_sub_customers(limit=1))
        assert _settled(baseline) <= baseline, "a closed loop keeps none of the bridge's sockets"

    # Closing a loop with calls in flight: no crash, nothing kept once they end, the client works.
    emu.fault(path="/v2/partners/sub-customers/query", kind="delay", delay_ms=400, count=30)
    for _ in range(3):
        loop = asyncio.new_event_loop()

        async def start() -> None:
            for _ in range(10):
                asyncio.ensure_future(c.list_sub_customers(limit=1))
            await asyncio.sleep(0.05)

        loop.run_until_complete(start())
        loop.close()
    time.sleep(0.5)
    assert _settled(baseline) <= baseline

    async def again() -> int:
        return len(await asyncio.gather(*(c.list_sub_customers(limit=1) for _ in range(8))))

    assert asyncio.run(again()) == 8


def test_logging_shows_calls_and_no_secret(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="hcpartner")
    password = hcpartner.Password(emu.info["user_name"], emu.info["password"], emu.info["domain_name"])
    c = hcpartner.Client(endpoint=emu.url, credentials=password)
    c.list_sub_customers(limit=1)
    emu.fault(path="/v2/partners/sub-customers/query", kind="fail", status=503, count=1)
    c.list_sub_customers(limit=1)  # one retry
    emu.client().list_sub_customers(limit=1)
    records = [r for r in caplog.records if r.name.startswith("hcpartner")]
    text = "\n".join(r.getMessage() for r in records)
    assert "fetching an IAM token by password" in text and "retrying" in text, text
    assert any(r.levelno == logging.DEBUG for r in records)
    for secret in [emu.info["password"], emu.info["sk"]]:
        assert secret not in text


class _Integral(http.server.BaseHTTPRequestHandler):
    """Money printed without decimals, and a big integer: the model decides the Python types."""

    def do_GET(self) -> None:  # noqa: N802
        body = json.dumps({"account_balances": [{"amount": 100, "designated_amount": 1.5, "measure_id": 1}],
                           "debt_amount": 0, "measure_id": 1, "currency": "CNY"}).encode()
        body = body.replace(b'"currency"', b'"big": 123456789012345678901234567890, "currency"')
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def integral_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Integral)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_numbers_follow_the_response_model(integral_server: str) -> None:
    c = hcpartner.Client(endpoint=integral_server, credentials=hcpartner.AkSk("a", "b", domain_id="d"))
    r = c.show_customer_account_balances()
    balance = r["account_balances"][0]
    assert type(balance["amount"]) is Decimal and balance["amount"] == 100
    assert type(balance["designated_amount"]) is Decimal
    assert type(balance["measure_id"]) is int and type(r["debt_amount"]) is Decimal
    assert r["big"] == 123456789012345678901234567890  # type: ignore[typeddict-item]
