"""hcpartner used the way a notebook or script uses it, for `mypy --strict` (see check_types.sh).

It is only type-checked, never run: the endpoint below is unreachable on purpose.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import hcpartner
from hcpartner.types import (
    AccountBalanceV3,
    CustomerInformation,
    DemandProductInfo,
    ListSubCustomersResponse,
)


def make_client() -> hcpartner.Client:
    return hcpartner.Client(
        endpoint="http://127.0.0.1:1",
        credentials=hcpartner.AkSk("ak", "sk", domain_id="d"),
    )


def customer_names(client: hcpartner.Client) -> list[str]:
    resp = client.list_sub_customers(offset=0, limit=10)
    customers: list[CustomerInformation] = resp.get("customer_infos", [])
    total: int = resp.get("count", 0)
    names = [c.get("account_name", "?") for c in customers]
    print(f"{len(names)} of {total} customers")
    return names


def fund(client: hcpartner.Client, customer_id: str) -> str:
    # Moves money: never retried once sent. The amount stays exact as a Decimal.
    resp = client.update_customer_account_amount(customer_id=customer_id, amount=Decimal("10.00"))
    return resp.get("transfer_id", "")


def balances(client: hcpartner.Client) -> Decimal:
    resp = client.show_customer_account_balances()
    accounts: list[AccountBalanceV3] = resp.get("account_balances", [])
    return sum((a.get("amount", Decimal(0)) for a in accounts), Decimal(0))


def price(client: hcpartner.Client) -> Decimal | None:
    product: DemandProductInfo = {
        "id": "1",
        "cloud_service_type": "hws.service.type.ebs",
        "resource_type": "hws.resource.type.volume",
        "resource_spec": "SSD",
        "region": "cn-north-1",
        "usage_factor": "duration",
        "usage_value": 1,
        "usage_measure_id": 4,
        "subscription_num": 1,
        "resource_size": 40,
    }
    resp = client.list_on_demand_resource_ratings(project_id="p", product_infos=[product])
    return resp.get("amount")


def every_customer(client: hcpartner.Client) -> int:
    return sum(1 for _ in client.paginate("list_sub_customers", limit=100))


async def async_names() -> list[str]:
    async with hcpartner.AsyncClient(
        endpoint="http://127.0.0.1:1",
        credentials=hcpartner.AkSk("ak", "sk", domain_id="d"),
    ) as client:
        page: ListSubCustomersResponse = await client.list_sub_customers(offset=0, limit=10)
        first, second = await asyncio.gather(
            client.list_consume_sub_customers(bill_cycle="2025-01", x_language="en_US"),
            client.update_customer_account_amount(customer_id="c", amount="0.50"),
        )
        print(first.get("total_count"), second.get("transfer_id"))
        return [c.get("account_name", "?") for c in page.get("customer_infos", [])]


def fan_out(client: hcpartner.Client, customer_ids: list[str]) -> list[Decimal]:
    # One operation for many params, Literal operation names, per-call options, metadata.
    results = client.map(
        "list_subcustomer_monthly_bills",
        [{"customer_id": c} for c in customer_ids],
        cycle="2025-01",
        charge_mode="1",
        concurrency=8,
        progress=True,
        _options={"timeout": 30, "retry": {"max_attempts": 2}, "headers": {"X-Trace-Id": "t"}},
    )
    failed: list[hcpartner.MapItem] = results.errors
    print(len(failed), results.ok)
    totals = []
    for item in results:
        if item.result is not None:
            totals.append(sum((Decimal(b["amount"]) for b in item.result.get("bill_sums", [])), Decimal(0)))
    return totals


def with_options(client: hcpartner.Client) -> str | None:
    quick: hcpartner.Client = client.with_options(timeout=5, headers={"X-Trace-Id": "t"})
    page = quick.list_sub_customers(limit=10, _options={"retry": {"max_attempts": 1}})
    meta: hcpartner.ResponseMeta | None = hcpartner.meta(page)
    result: hcpartner.Result = client.call("list_sub_customers", limit=1)
    attempts: int = result.meta.attempts if result.meta else 0
    print(attempts, client.proxy)
    pager = client.paginate("list_sub_customers", max_items=10, progress=True)
    total: int | None = pager.total
    print(total, pager.to_pandas(page_fields=True, decimal="float"))
    return meta.request_id if meta else None


async def async_fan_out(client: hcpartner.AsyncClient) -> int:
    results: hcpartner.MapResults = await client.map("list_sub_customers", [{"limit": 1}, {"limit": 2}])
    page = await client.with_options(timeout=10).list_sub_customers(limit=1)
    return len(results) + len(page.get("customer_infos", []))


def settle(client: hcpartner.Client, customer_id: str) -> str:
    # An unknown outcome settled from the service's records: a typed answer, a typed ticket.
    try:
        fund(client, customer_id)
    except hcpartner.OutcomeUnknown as e:
        found: hcpartner.Reconciliation = client.reconcile(e)
        records: list[dict[str, Any]] = found["records"]
        ticket: hcpartner.ReconcileTicket | None = e.ticket
        if ticket is not None and found["verdict"] == "not_applied":
            began: int = ticket["began"]
            print(began, client.reconcile(ticket)["looked_in"], len(records))
        return found["verdict"]
    return "applied"


async def async_settle(client: hcpartner.AsyncClient, error: hcpartner.OutcomeUnknown) -> bool:
    found = await client.reconcile(error)
    return found["verdict"] == "applied"
