"""numpy and pandas values are values: numpy scalars and arrays, a Series, ``pd.NA``, and dates
(``datetime``, ``date``, ``pd.Timestamp``, ``np.datetime64``) written as their field takes them.
A float64 amount goes through the money rules (its shortest repr, then the scale check). Neither
numpy nor pandas is imported by ``import hcpartner``."""

from __future__ import annotations

import datetime
import subprocess
import sys
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import hcpartner
from conftest import Emulator

MONEY = "update_customer_account_amount"


def _balance(client: hcpartner.Client, rid: str) -> Decimal:
    r = client.list_customers_balances_detail(customer_infos=[{"customer_id": rid}])
    amount: Decimal = r["customer_balances"][0]["amount"]
    return amount


def test_numpy_scalars_are_values(emu: Emulator, client: hcpartner.Client) -> None:
    assert len(client.list_sub_customers(limit=np.int64(1), offset=np.int32(0))["customer_infos"]) == 1
    assert len(client.list_sub_customers(limit=np.uint8(2))["customer_infos"]) == 2
    rid = emu.seed["resale_customer_id"]
    before = _balance(client, rid)
    client.update_customer_account_amount(customer_id=np.str_(rid), amount=np.float64(10.5))
    client.update_customer_account_amount(customer_id=rid, amount=np.float32(0.1))  # "0.1", not 0.10000000149
    client.update_customer_account_amount(customer_id=rid, amount=np.int64(2))
    assert _balance(client, rid) - before == Decimal("12.60")
    with pytest.raises(hcpartner.InvalidArgument) as e:
        client.update_customer_account_amount(customer_id=rid, amount=np.float64(0.1) + np.float64(0.2))
    assert e.value.field == "amount"
    for bad in [np.float64("nan"), np.float32("inf")]:
        with pytest.raises(hcpartner.InvalidArgument) as e:
            client.update_customer_account_amount(customer_id=rid, amount=bad)
        assert e.value.field == "amount"
    with pytest.raises(hcpartner.InvalidArgument) as e:
        client.list_sub_customers(limit=np.bool_(True))  # a boolean is no page size
    assert e.value.field == "limit"
    assert emu.stats()[MONEY]["received"] == 3


def test_a_dataframe_row_is_params(emu: Emulator, client: hcpartner.Client) -> None:
    rid = emu.seed["resale_customer_id"]
    df = pd.DataFrame({"customer_id": [rid, rid], "amount": [1.25, 2.5], "indirect_partner_id": [pd.NA, pd.NA]})
    before = _balance(client, rid)
    for _, row in df.iterrows():
        client.call(MONEY, dict(row))  # pd.NA: the optional field is left out
    client.update_customer_account_amount(customer_id=df["customer_id"].iloc[0], amount=df["amount"].iloc[1])
    assert _balance(client, rid) - before == Decimal("6.25")
    ids = pd.Series([rid])
    r = client.list_customers_balances_detail(customer_infos=[{"customer_id": c} for c in ids])
    assert r["customer_balances"][0]["customer_id"] == rid
    listed = client.list_sub_customers(customer_id=ids.iloc[0], limit=np.array([5])[0])
    assert listed["customer_infos"][0]["customer_id"] == rid
    with pytest.raises(hcpartner.InvalidArgument) as e:
        client.call(MONEY, customer_id=df, amount=1)
    assert e.value.field == "customer_id" and "DataFrame" in str(e.value)
    with pytest.raises(hcpartner.InvalidArgument) as e:
        client.update_customer_account_amount(customer_id=pd.NA, amount=1)  # type: ignore[arg-type]
    assert e.value.field == "customer_id"


def test_arrays_and_series_are_lists(emu: Emulator, client: hcpartner.Client) -> None:
    rid = emu.seed["resale_customer_id"]
    for ids in [np.array([rid]), pd.Series([rid]), pd.Index([rid]), pd.DataFrame({"c": [rid]})["c"]]:
        tags = client.list_sub_customer_new_tag(customer_ids=ids)["new_customer_tags"]  # type: ignore[arg-type]
        assert [t["customer_id"] for t in tags] == [rid], type(ids)
    r = client.call("list_sub_customers", {"limit": np.array(3)})  # a 0-d array is a scalar
    assert len(r["customer_infos"]) <= 3
    with pytest.raises(hcpartner.InvalidArgument) as e:
        client.list_sub_customer_new_tag(customer_ids=np.array([1, 2]))  # type: ignore[arg-type]
    assert e.value.field == "customer_ids[0]"


def _cycles(client: hcpartner.Client, cycle: object) -> list:
    page = client.list_subcustomer_monthly_bills(cycle=cycle, charge_mode="1", limit=100)  # type: ignore[arg-type]
    return page["bill_sums"]


def test_dates_are_written_as_their_field_takes_them(emu: Emulator, client: hcpartner.Client) -> None:
    today = datetime.date.today()
    last = (today.replace(day=1) - datetime.timedelta(days=1))
    text = last.strftime("%Y-%m")
    want = _cycles(client, text)
    assert want, "the emulator bills the months before this one"
    for value in [last, datetime.datetime(last.year, last.month, 15, 12), pd.Timestamp(last),
                  np.datetime64(last.isoformat()), pd.Timestamp(last.year, last.month, 10, tz="Asia/Shanghai")]:
        assert _cycles(client, value) == want, value
    # An instant is converted to UTC+8 for a bill month: 20:00 UTC on the last day is the next month.
    end_utc = pd.Timestamp(last.year, last.month, last.day, 20, tz="UTC")
    assert _cycles(client, end_utc) == _cycles(client, today.strftime("%Y-%m"))
    # A UTC instant field: the customers associated after a date.
    all_ = client.list_sub_customers(limit=100)["customer_infos"]
    later = client.list_sub_customers(limit=100, associated_on_begin=pd.Timestamp("2000-01-01", tz="UTC"))
    assert len(later["customer_infos"]) == len(all_)
    future = client.list_sub_customers(associated_on_begin=datetime.datetime(2999, 1, 1))
    assert future["customer_infos"] == []
    none = client.list_sub_customers(limit=100, associated_on_begin=pd.NaT)
    assert len(none["customer_infos"]) == len(all_)
    with pytest.raises(hcpartner.InvalidArgument) as e:
        client.list_sub_customers(account_name=pd.Timestamp("2024-01-01"))
    assert e.value.field == "account_name" and "pass a str" in str(e.value)


def test_import_hcpartner_imports_neither_numpy_nor_pandas() -> None:
    code = "import sys, hcpartner; print(sorted(m for m in ('numpy', 'pandas', 'tqdm') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
