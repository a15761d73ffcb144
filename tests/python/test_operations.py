"""Every operation category through the Python client against the emulator binary, sync and async,
plus threads, pagination across pages and DataFrames."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any, List

import pytest

import hcpartner
from conftest import Emulator

XTYPE = "hcp_demo_IDP"


def new_customer(client: hcpartner.Client, xid: str, **extra: Any) -> str:
    resp = client.create_sub_customer(xaccount_id=xid, xaccount_type=XTYPE, domain_name=f"py_{xid}", **extra)
    customer_id: str = resp["domain_id"]
    return customer_id


def test_customers_and_realname(client: hcpartner.Client) -> None:
    a = new_customer(client, "cust-a")
    b = new_customer(client, "cust-b", cooperation_type="1")
    listed = {c["customer_id"]: c for c in client.list_sub_customers(limit=100)["customer_infos"]}
    assert listed[a]["xaccount_id"] == "cust-a" and listed[a]["association_type"] == "2"
    assert listed[b]["association_type"] == "1"
    assert "customer_level" in listed[a]
    out = client.create_personal_realname_auth(
        customer_id=a, identify_type=0, verified_file_url=["a.jpg", "b.jpg"], name="Zhang San",
        verified_number="110101199001011234", xaccount_type=XTYPE,
    )
    assert "is_review" in out
    review = client.show_realname_authentication_review_result(customer_id=a)
    assert review["review_result"] == 2


def test_funding_moves_exact_money_and_keeps_the_sum(emu: Emulator, client: hcpartner.Client) -> None:
    a = new_customer(client, "fund-a")

    def balance() -> Decimal:
        row = client.list_customers_balances_detail(customer_infos=[{"customer_id": a}])["customer_balances"][0]
        amount = row["amount"]
        assert isinstance(amount, (Decimal, int)), "money arrives exact, never as float"
        return Decimal(amount)

    assert balance() == 0
    assert client.update_customer_account_amount(customer_id=a, amount=Decimal("500.10"))["transfer_id"]
    client.reclaim_to_partner_account(customer_id=a, amount=Decimal("0.10"))
    assert balance() == Decimal("500.00")
    assert emu.stats()["update_customer_account_amount"]["applied"] == 1


def test_coupons_bills_orders_resources_pricing(emu: Emulator, client: hcpartner.Client) -> None:
    a = new_customer(client, "coup-a")
    quota = emu.seed["quota_id"]
    issued = client.create_partner_coupons(
        quota_id=quota, customer_ids=[a, emu.seed["consulting_customer_id"]], face_value=Decimal("50.25"),
        cloud_service_types=["hws.service.type.ec2"],
    )
    assert len(issued["coupon_infos"]) == 1 and issued["error_details"][0]["error_code"] == "CBC.99000014"
    coupons = client.list_issued_partner_coupons(customer_id=a)
    assert coupons["total_count"] == 1 and Decimal(str(coupons["user_coupons"][0]["face_value"])) == Decimal("50.25")

    customer = client.for_customer(emu.info["agency_name"], customer_id=emu.seed["resale_customer_id"])
    bills = customer.show_customer_monthly_sum(bill_cycle=_last_month())
    assert bills["total_count"] >= 1 and isinstance(bills["consume_amount"], Decimal)
    partner_view = client.list_subcustomer_monthly_bills(
        customer_id=emu.seed["resale_customer_id"], cycle=_last_month(), charge_mode="1"
    )
    assert partner_view["count"] == 1 and partner_view["bill_sums"][0]["amount"] == Decimal("129.60")

    orders = customer.list_customer_orders()
    assert orders["total_count"] >= 2
    detail = customer.show_customer_order_details(order_id=emu.seed["paid_order_id"])
    assert detail["order_info"]["order_id"] == emu.seed["paid_order_id"]
    customer.auto_renewal_resources(resource_id=emu.seed["server_resource_id"])
    customer.cancel_auto_renewal_resources(resource_id=emu.seed["server_resource_id"])

    rating = client.list_on_demand_resource_ratings(
        project_id="p1",
        product_infos=[{"id": "1", "cloud_service_type": "hws.service.type.ec2", "resource_type": "hws.resource.type.vm",
                        "resource_spec": "s6.large.2.linux", "region": "cn-north-4", "usage_factor": "Duration",
                        "usage_value": 10, "usage_measure_id": 4, "subscription_num": 2}],
    )
    assert rating["amount"] == Decimal("8") and isinstance(rating["amount"], (Decimal, int))  # 0.40/h x 10 h x 2
    assert client.list_service_types()["service_types"]


def _last_month() -> str:
    import datetime

    first = datetime.date.today().replace(day=1)
    prev = first - datetime.timedelta(days=1)
    return f"{prev.year:04d}-{prev.month:02d}"


def test_async_client(emu: Emulator) -> None:
    async def main() -> List[Any]:
        async with emu.async_client() as c:
            created = await asyncio.gather(*(
                c.create_sub_customer(xaccount_id=f"async-{i}", xaccount_type=XTYPE, domain_name=f"py_async_{i}")
                for i in range(8)
            ))
            listed = await c.list_sub_customers(limit=100)
            items = [x async for x in c.paginate("list_sub_customers", limit=3)]
            return [created, listed, items]

    created, listed, items = asyncio.run(main())
    ids = {c["domain_id"] for c in created}
    assert ids <= {c["customer_id"] for c in listed["customer_infos"]}
    assert len(items) == listed["count"]


def test_threads_share_one_client(emu: Emulator, client: hcpartner.Client) -> None:
    seen: List[str] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        cid = new_customer(client, f"thr-{i}")
        with lock:
            seen.append(cid)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(work, range(32)))
    assert len(set(seen)) == 32
    assert emu.stats()["create_sub_customer"]["applied"] == 32


def test_pagination_across_pages_and_dataframe(emu: Emulator, client: hcpartner.Client) -> None:
    for i in range(23):
        new_customer(client, f"page-{i:02d}")
    total = client.list_sub_customers(limit=1)["count"]
    items = client.paginate("list_sub_customers", limit=10).to_list()
    assert len(items) == total >= 25
    assert len({c["customer_id"] for c in items}) == total
    assert emu.stats()["list_sub_customers"]["received"] >= 4  # 1 + 3 pages
    pages = list(client.pages("list_sub_customers", limit=10))
    assert [len(p["customer_infos"]) for p in pages][:2] == [10, 10]
    df = client.paginate("list_sub_customers", limit=10).to_pandas()
    assert len(df) == total and {"customer_id", "xaccount_id", "customer_level"} <= set(df.columns)


def test_generic_call_and_camel_case(client: hcpartner.Client) -> None:
    assert client.call("listSubCustomers", limit=2)["count"] == client.call("list_sub_customers", {"limit": 2})["count"]


@pytest.mark.parametrize("bad", [{"limit": 1000}, {"offset": -1}, {"association_type": "3"}])
def test_bad_input_is_not_sent(emu: Emulator, client: hcpartner.Client, bad: Any) -> None:
    with pytest.raises(hcpartner.InvalidArgument) as e:
        client.list_sub_customers(**bad)
    assert e.value.field == next(iter(bad)) and e.value.dispatch == "not_sent"
    assert emu.stats().get("list_sub_customers", {}).get("received", 0) == 0


def test_remaining_categories_reach_the_service(emu: Emulator, client: hcpartner.Client) -> None:
    # indirect partners, system (modelled by the emulator)
    balances = client.list_partner_balances()["account_balances"]
    assert any(b["amount"] == Decimal("100000.00") for b in balances), "the seeded partner balance, exact"
    provinces = client.list_provinces()
    assert provinces["provinces"] and provinces["count"] >= 1
    # enterprise, costs, free resources: the seeded resale customer is an enterprise master with
    # a resource package and bills.
    customer = client.for_customer(emu.info["agency_name"], customer_id=emu.seed["resale_customer_id"])
    tree = customer.list_enterprise_organizations(recursive_query=1)
    assert tree["child_nodes"][0]["id"] == emu.seed["org_id"]
    cycle = emu.admin("GET", "/_emulator/state")["bills"][0]["bill_cycle"]
    costs = customer.list_costs(time_condition={"time_measure_id": 2, "begin_time": cycle, "end_time": cycle},
                                groupby=[{"type": "dimension", "key": "CLOUD_SERVICE_TYPE"}],
                                cost_type="ORIGINAL_COST", amount_type="PAYMENT_AMOUNT")
    assert costs["total_count"] == len(costs["cost_data"]) > 0
    packages = customer.list_free_resource_infos()["free_resource_packages"]
    assert packages[0]["free_resources"][0]["free_resource_id"] == emu.seed["free_resource_id"]
