"""hcpartner used the way a notebook or script uses it, for `mypy --strict` (see check_types.sh).

It is only type-checked, never run: the endpoint below is unreachable on purpose.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

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
