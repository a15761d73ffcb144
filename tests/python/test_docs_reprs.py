"""What help() and reprs show: every method's docstring lists its parameters with type, meaning,
allowed values and date form, and says whether it moves money; operation names are Literals for
type checkers; reprs carry no Rust syntax and no secret; IAM errors carry the service's code,
not the HTTP status."""

from __future__ import annotations

import asyncio
import inspect
import pydoc
import typing

import pytest

import hcpartner
from conftest import Emulator


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_help_lists_parameters_values_and_money() -> None:
    bills = _flat(pydoc.render_doc(hcpartner.Client.list_subcustomer_monthly_bills, renderer=pydoc.plaintext))
    assert "cycle (str, required): a month, YYYY-MM (UTC+8)" in bills
    assert "charge_mode (str, required): 1 = yearly/monthly, 3 = pay-per-use, 10 = reserved" in bills
    assert "Reads only" in bills and "_options (CallOptions)" in bills and ".meta" in bills
    fund = _flat(inspect.getdoc(hcpartner.Client.update_customer_account_amount) or "")
    assert "Moves money: never retried once sent" in fund
    assert "amount (decimal, required): in yuan; at least 0.01; at most 2 decimal places." in fund
    lang = _flat(inspect.getdoc(hcpartner.Client.list_consume_sub_customers) or "")
    assert 'x_language (str): sent as `X-Language`; language of names and labels in the answer; one of "zh_CN", "en_US"' in lang
    assert "offset (int): 0-based record offset" in lang
    customers = _flat(inspect.getdoc(hcpartner.Client.list_sub_customers) or "")
    assert "associated_on_begin (str): a UTC time, YYYY-MM-DDTHH:MM:SSZ" in customers
    assert "association_type (str): 1 = referral" in customers
    for name in hcpartner.OPERATIONS:
        sync_doc = getattr(hcpartner.Client, name).__doc__
        assert sync_doc and "Args:" in sync_doc and "Returns:" in sync_doc, name
        assert getattr(hcpartner.AsyncClient, name).__doc__ == sync_doc, name
        params = [p for p in inspect.signature(getattr(hcpartner.Client, name)).parameters if p != "self"]
        assert params[-1] == "_options" and all(f"    {p} (" in sync_doc for p in params), name


def test_operation_names_are_literals() -> None:
    from hcpartner import types

    names = set(typing.get_args(types.OperationName))
    assert names == set(hcpartner.OPERATIONS)
    paged = set(typing.get_args(types.PaginatedOperation))
    assert "list_sub_customers" in paged and "update_customer_account_amount" not in paged
    from hcpartner._operations import PAGINATION

    assert paged == set(PAGINATION)


def test_reprs_are_python_not_rust(emu: Emulator) -> None:
    client = emu.client()
    customer = client.for_customer("agency", customer_id="cust-1")
    shown = " ".join([repr(client), repr(customer), repr(client.paginate("list_sub_customers", limit=5)),
                      repr(client.list_sub_customers(limit=1).meta),
                      repr(client.map("list_sub_customers", [{"limit": 1}]))])
    for rust in ["Some(", "None)", "Id(", "Name(", "\\\""]:
        assert rust not in shown, (rust, shown)
    assert 'assume_role agency for customer id "cust-1"' in repr(customer)
    assert "<Paginator items of list_sub_customers(limit=5)>" in shown


def test_iam_errors_carry_the_service_code_not_the_status(emu: Emulator) -> None:
    wrong = hcpartner.Password(emu.info["user_name"], "WRONG-PASSWORD-9", emu.info["domain_name"])
    with pytest.raises(hcpartner.AuthError) as e:
        emu.client(credentials=wrong).list_sub_customers(limit=1)
    assert e.value.status == 401 and e.value.error_code != "401"
    assert e.value.error_code is None  # a keystone answer has none: its number is the status
    assert "The username or password is wrong" in str(e.value)
    with pytest.raises(hcpartner.HcpError) as e:
        emu.client().keystone_validate_token(x_subject_token="not-a-token")
    assert e.value.status is not None and e.value.error_code != str(e.value.status)


def test_every_error_message_names_its_field(emu: Emulator, client: hcpartner.Client) -> None:
    cases = [
        lambda: client.list_sub_customers(limit="10"),  # type: ignore[arg-type]
        lambda: client.call("list_sub_customers", limt=1),
        lambda: client.update_customer_account_amount(customer_id="c", amount=1e30),
        lambda: client.list_sub_customers(_options={"timeout": "5"}),  # type: ignore[typeddict-item]
        lambda: client.paginate("list_sub_customers", max_items=-1),
        lambda: client.map("list_sub_customers", [{"limit": 0}]).raise_first(),
    ]
    for case in cases:
        with pytest.raises(hcpartner.InvalidArgument) as e:
            case()
        assert e.value.field and e.value.field in str(e.value), str(e.value)


def test_async_client_repr_and_view(emu: Emulator) -> None:
    async def main() -> None:
        ac = emu.async_client().with_options(timeout=30)
        assert "options={'timeout': 30}" in repr(ac)
        assert (await ac.list_sub_customers(limit=1)).meta.status == 200  # type: ignore[attr-defined]

    asyncio.run(main())


def test_sign_request_refuses_what_no_request_can_carry() -> None:
    url = "https://bss.myhuaweicloud.com/v2/x"
    for args, field in [(("GE\r\nT", url), "method"), (("GET", url, {"X-A": "a\r\nb"}), "headers.X-A")]:
        with pytest.raises(hcpartner.InvalidArgument) as e:
            hcpartner.sign_request(*args, ak="AK", sk="SK")  # type: ignore[arg-type]
        assert e.value.field == field
    with pytest.raises(hcpartner.InvalidArgument) as e:
        hcpartner.sign_request("GET", url, ak="AK", sk="SK", security_token="T\r\nX: y")
    assert e.value.field == "security_token" and "X: y" not in str(e.value)
