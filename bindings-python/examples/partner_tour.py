#!/usr/bin/env python3
"""The partner tour in Python, against a local emulator (no account, no real money):
create customers, real-name one, fund and reclaim, issue and list coupons, list customers,
read a bill, and show typed errors.   Run: `make demo` (or HCP_EMULATOR=... python partner_tour.py)."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Sequence

import hcpartner

ROOT = Path(__file__).resolve().parents[2]


def table(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    rows = [["-" if v is None else str(v) for v in r] for r in rows]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    print(f"\n{title}")
    print(("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths))).rstrip())
    print("  " + "  ".join("-" * w for w in widths))
    for r in rows:
        print(("  " + "  ".join(v.ljust(w) for v, w in zip(r, widths))).rstrip())


def main() -> None:
    binary = os.environ.get("HCP_EMULATOR") or str(ROOT / "target" / "debug" / "hcpartner-emulator")
    emu = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert emu.stdout is not None
        info = json.loads(emu.stdout.readline())
        tour(info)
    finally:
        emu.terminate()
        emu.wait()
        if emu.stdout:
            emu.stdout.close()


def tour(info: dict) -> None:  # type: ignore[type-arg]
    print(f"Python {hcpartner.__version__} against the emulator at {info['url']}")
    with hcpartner.Client(
        endpoint=info["url"], credentials=hcpartner.AkSk(info["ak"], info["sk"], domain_id=info["domain_id"])
    ) as client:
        xtype = info["xaccount_type"]
        shop = client.create_sub_customer(xaccount_id="py-shop-1", xaccount_type=xtype, domain_name="py_tour_shop")
        lab = client.create_sub_customer(
            xaccount_id="py-lab-2", xaccount_type=xtype, domain_name="py_tour_lab", cooperation_type="1"
        )
        table("1. Two new customers", ["account", "customer id"],
              [[shop["domain_name"], shop["domain_id"]], [lab["domain_name"], lab["domain_id"]]])

        client.create_enterprise_realname_authentication(
            customer_id=shop["domain_id"], identify_type=1, verified_file_url=["licence.jpg"], corp_name="Py Shop Ltd",
            verified_number="91110000MA01ABCD1X", xaccount_type=xtype,
        )
        review = client.show_realname_authentication_review_result(customer_id=shop["domain_id"])
        table("2. Enterprise real-name", ["customer id", "review result"], [[shop["domain_id"], review["review_result"]]])

        def balance() -> Decimal:
            rows = client.list_customers_balances_detail(customer_infos=[{"customer_id": shop["domain_id"]}])
            return Decimal(rows["customer_balances"][0]["amount"])

        fund = client.update_customer_account_amount(customer_id=shop["domain_id"], amount=Decimal("300.00"))
        after_fund = balance()
        back = client.reclaim_to_partner_account(customer_id=shop["domain_id"], amount=Decimal("45.50"))
        table("3. Fund 300.00, reclaim 45.50 (exact decimals)", ["step", "transaction", "customer balance"],
              [["fund", fund["transfer_id"], after_fund], ["reclaim", back["trans_id"], balance()]])

        issued = client.create_partner_coupons(
            quota_id=info["seed"]["quota_id"], customer_ids=[shop["domain_id"], lab["domain_id"]],
            face_value=Decimal("66.00"), cloud_service_types=["hws.service.type.ec2"],
        )
        rows = [[c["id"], "issued", c["coupon_id"]] for c in issued["coupon_infos"]]
        rows += [[e["id"], "refused", e["error_code"]] for e in issued.get("error_details", [])]
        table("4. Issue a 66.00 coupon to both", ["customer id", "result", "coupon / code"], rows)
        coupons = client.paginate("list_issued_partner_coupons", limit=50).to_list()
        table("   Issued coupons", ["coupon id", "customer", "face value", "status"],
              [[c["coupon_id"], c["customer_id"], c["face_value"], c["status"]] for c in coupons])

        customers = client.paginate("list_sub_customers", limit=2).to_list()
        table(f"5. Customers, paged 2 at a time ({len(customers)})", ["account", "xaccount_id", "level", "association"],
              [[c["account_name"], c.get("xaccount_id"), c.get("customer_level"), c["association_type"]] for c in customers])

        first = datetime.date.today().replace(day=1)
        cycle = (first - datetime.timedelta(days=1)).strftime("%Y-%m")
        seed_customer = client.for_customer(info["agency_name"], customer_id=info["seed"]["resale_customer_id"])
        bill = seed_customer.show_customer_monthly_sum(bill_cycle=cycle)
        table(f"6. Bill {cycle} of the seeded customer (its own view, via assume_role)", ["service", "amount"],
              [[b.get("service_type_name"), b.get("consume_amount")] for b in bill.get("bill_sums", [])])

        rows = []
        try:
            client.update_customer_account_amount(customer_id=shop["domain_id"], amount=Decimal("99999999"))
        except hcpartner.ApiError as e:
            rows.append([type(e).__name__, e.error_code, e.status, e.dispatch, e.request_id])
        try:
            client.update_customer_account_amount(customer_id=shop["domain_id"], amount=Decimal("-5"))
        except hcpartner.InvalidArgument as e:
            rows.append([type(e).__name__, f"field {e.field}", e.status, e.dispatch, e.request_id])
        table("7. Typed errors", ["exception", "code", "status", "sent?", "request id"], rows)


if __name__ == "__main__":
    main()
