"""Each exception class from a real emulator answer (or fault), with its attributes; retries of
reads; money that moved once when the answer was lost."""

from __future__ import annotations

import asyncio
import http.server
import threading
from decimal import Decimal
from typing import Iterator

import pytest

import hcpartner
from conftest import Emulator


def test_invalid_argument_names_the_field(emu: Emulator, client: hcpartner.Client) -> None:
    with pytest.raises(hcpartner.InvalidArgument) as e:
        client.update_customer_account_amount(customer_id="x", amount=Decimal("-1"))
    err = e.value
    assert (err.field, err.dispatch, err.operation) == ("amount", "not_sent", "update_customer_account_amount")
    assert isinstance(err, ValueError) and "amount" in str(err)


def test_api_error_carries_code_status_and_request_id(emu: Emulator, client: hcpartner.Client) -> None:
    cid = client.create_sub_customer(xaccount_id="rich", xaccount_type="hcp_demo_IDP", domain_name="py_rich")["domain_id"]
    with pytest.raises(hcpartner.ApiError) as e:
        client.update_customer_account_amount(customer_id=cid, amount=Decimal("99999999"))
    err = e.value
    assert (err.error_code, err.status, err.dispatch, err.retryable) == ("CBC.99005003", 400, "responded", False)
    assert err.request_id and err.request_id in str(err)
    assert "insufficient" in (err.error_msg or "")


def test_auth_error_for_a_bad_secret_key_is_not_retried(emu: Emulator) -> None:
    bad = hcpartner.AkSk(emu.info["ak"], "not-the-secret-key", domain_id=emu.info["domain_id"])
    client = emu.client(credentials=bad)
    with pytest.raises(hcpartner.AuthError) as e:
        client.list_sub_customers()
    assert (e.value.error_code, e.value.status) == ("APIGW.0301", 401)
    assert "not-the-secret-key" not in repr(e.value) + str(e.value)
    assert emu.stats()["list_sub_customers"]["received"] == 1, "a refused signature must not be retried"


def test_password_and_token_auth(emu: Emulator) -> None:
    pw = hcpartner.Password(emu.info["user_name"], emu.info["password"], emu.info["domain_name"])
    assert emu.client(credentials=pw).list_sub_customers(limit=1)["count"] >= 1
    wrong = hcpartner.Password(emu.info["user_name"], "WRONG-PASSWORD-9", emu.info["domain_name"])
    with pytest.raises(hcpartner.AuthError) as e:
        emu.client(credentials=wrong).list_sub_customers(limit=1)
    assert "WRONG-PASSWORD-9" not in str(e.value) + repr(e.value)


def test_throttled(emu: Emulator) -> None:
    emu.fault(path="/v2/partners/sub-customers/query", kind="throttle", count=5)
    with pytest.raises(hcpartner.ThrottledError) as e:
        emu.client(retry={"max_attempts": 2, "base_delay": 0.01}).list_sub_customers()
    assert (e.value.status, e.value.error_code, e.value.retryable, e.value.attempts) == (429, "APIGW.0308", True, 2)


def test_reads_are_retried_after_a_dropped_connection(emu: Emulator, client: hcpartner.Client) -> None:
    emu.fault(path="/v2/partners/sub-customers/query", kind="drop_before", count=2)
    assert client.list_sub_customers(limit=1)["count"] >= 1
    assert emu.stats()["list_sub_customers"]["received"] == 3


def test_timeout(emu: Emulator) -> None:
    emu.fault(path="/v2/partners/sub-customers/query", kind="delay", delay_ms=1500, count=3)
    with pytest.raises(hcpartner.TimeoutError) as e:
        emu.client(timeouts={"attempt": 0.3}, retry={"max_attempts": 2, "base_delay": 0.01}).list_sub_customers()
    assert isinstance(e.value, TimeoutError) and e.value.dispatch == "maybe_sent"


def test_connection_error() -> None:
    client = hcpartner.Client(endpoint="http://127.0.0.1:9", credentials=hcpartner.AkSk("a", "b", domain_id="d"),
                              retry={"max_attempts": 2, "base_delay": 0.01})
    with pytest.raises(hcpartner.ConnectionError) as e:
        client.update_customer_account_amount(customer_id="c", amount=1)
    assert (e.value.dispatch, e.value.attempts) == ("not_sent", 2), "never sent, so even money may be retried"


def test_money_moves_once_when_the_answer_is_lost(emu: Emulator, client: hcpartner.Client) -> None:
    cid = client.create_sub_customer(xaccount_id="lost", xaccount_type="hcp_demo_IDP", domain_name="py_lost")["domain_id"]
    emu.fault(path="/v2/accounts/partner-accounts/adjust-amount", kind="drop_after", count=1)
    with pytest.raises(hcpartner.OutcomeUnknown) as e:
        client.update_customer_account_amount(customer_id=cid, amount=Decimal("10.00"))
    assert e.value.dispatch == "maybe_sent" and not e.value.retryable and "may have been applied" in (e.value.hint or "")
    stats = emu.stats()["update_customer_account_amount"]
    assert (stats["received"], stats["applied"]) == (1, 1)
    balance = client.list_customers_balances_detail(customer_infos=[{"customer_id": cid}])["customer_balances"][0]
    assert balance["amount"] == Decimal("10.00"), "applied exactly once"


def test_server_error_on_money_is_outcome_unknown(emu: Emulator, client: hcpartner.Client) -> None:
    emu.fault(path="/v2/accounts/partner-accounts/adjust-amount", kind="fail", status=500, error_code="CBC.0999", count=1)
    with pytest.raises(hcpartner.OutcomeUnknown) as e:
        client.update_customer_account_amount(customer_id=emu.seed["resale_customer_id"], amount=1)
    assert (e.value.status, e.value.error_code) == (500, "CBC.0999")
    assert emu.stats()["update_customer_account_amount"]["received"] == 1


class _Html(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"<html><body>maintenance</body></html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def html_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Html)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_decode_error_keeps_an_excerpt(html_server: str) -> None:
    client = hcpartner.Client(endpoint=html_server, credentials=hcpartner.AkSk("a", "b", domain_id="d"))
    with pytest.raises(hcpartner.DecodeError) as e:
        client.list_sub_customers()
    assert "maintenance" in (e.value.body_excerpt or "")


def test_async_errors_are_the_same_classes(emu: Emulator) -> None:
    async def main() -> None:
        c = emu.async_client()
        with pytest.raises(hcpartner.InvalidArgument):
            await c.list_sub_customers(limit=0)
        with pytest.raises(hcpartner.ApiError) as e:
            await c.update_customer_account_amount(customer_id=emu.seed["consulting_customer_id"], amount=1)
        assert e.value.error_code == "CBC.5024"

    asyncio.run(main())


def test_cancelling_an_async_call(emu: Emulator) -> None:
    emu.fault(path="/v2/partners/sub-customers/query", kind="delay", delay_ms=2000, count=1)

    async def main() -> int:
        c = emu.async_client()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(c.list_sub_customers(limit=1), timeout=0.2)
        # The loop and the client keep working after a cancellation.
        results = await asyncio.gather(*(c.list_sub_customers(limit=1) for _ in range(64)))
        return len(results)

    assert asyncio.run(main()) == 64
