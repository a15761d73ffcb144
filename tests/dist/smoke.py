"""The installed wheel or sdist against the emulator binary from dist/ (tests/dist/run.sh runs it
in a fresh venv): the version, a read, a funding call with an exact Decimal, an API error, and a
panic caught as InternalError (unwinding works in the zig-linked library)."""

import json
import os
import sys
from decimal import Decimal

import hcpartner

info = json.loads(os.environ["HCP_EMULATOR_INFO"])
assert hcpartner.__version__ == os.environ["HCP_VERSION"], hcpartner.__version__
assert hcpartner.__file__.startswith(sys.prefix), f"{hcpartner.__file__} is not the venv's"

client = hcpartner.Client(
    endpoint=info["url"], credentials=hcpartner.AkSk(info["ak"], info["sk"], domain_id=info["domain_id"])
)
page = client.list_sub_customers(offset=0, limit=100)
assert page["count"] >= 1 and page["customer_infos"], page
client.update_customer_account_amount(customer_id=info["seed"]["resale_customer_id"], amount=Decimal("12.34"))
try:
    client.update_customer_account_amount(customer_id="0" * 32, amount=Decimal("1.00"))
    raise AssertionError("funding an unknown customer succeeded")
except hcpartner.ApiError as e:
    assert e.code == 300 and e.error_code, (e.code, e.error_code)
try:
    client._native._panic()
    raise AssertionError("no panic")
except hcpartner.InternalError as e:
    assert e.code == 900 and "deliberate test panic" in str(e), e
assert client.list_sub_customers(limit=1)["count"] >= 1
print(f"hcpartner {hcpartner.__version__} from {os.path.dirname(hcpartner.__file__)}: {page['count']} customers")
