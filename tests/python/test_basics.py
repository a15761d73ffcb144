"""Construction, reprs without secrets, credentials providers, the exception tree."""

from __future__ import annotations

import builtins
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest

import hcpartner
from hcpartner import errors


def test_version_and_operations() -> None:
    cargo = (Path(__file__).resolve().parents[2] / "Cargo.toml").read_text()
    version = re.search(r'^version = "(.*)"$', cargo, re.M)
    assert version and hcpartner.__version__ == version.group(1), "the workspace version of Cargo.toml"
    assert importlib.metadata.version("hcpartner") == hcpartner.__version__, "the wheel's metadata"
    assert "list_sub_customers" in hcpartner.OPERATIONS and "update_customer_account_amount" in hcpartner.OPERATIONS
    assert len(hcpartner.OPERATIONS) == 109


def test_no_secret_in_reprs() -> None:
    creds = [
        hcpartner.AkSk("AKID", "SK-SECRET-1", security_token="TOKEN-SECRET-2", domain_id="dom"),
        hcpartner.Password("admin", "PASSWORD-SECRET-3", "acct"),
        hcpartner.Token("TOKEN-SECRET-4"),
    ]
    creds.append(hcpartner.AssumeRole(creds[1], "agency", customer_id="cust"))
    client = hcpartner.Client(endpoint="http://127.0.0.1:9", credentials=creds[0])
    text = " ".join(repr(x) for x in [*creds, client, hcpartner.from_env(), hcpartner.from_profile("/nonexistent")])
    for secret in ["SK-SECRET-1", "TOKEN-SECRET-2", "PASSWORD-SECRET-3", "TOKEN-SECRET-4"]:
        assert secret not in text
    assert "AKID" in text and "agency" in text


def test_construction_never_touches_the_network() -> None:
    # A port nothing listens on: building succeeds; the first call fails to connect.
    c = hcpartner.Client(endpoint="http://127.0.0.1:9", credentials=hcpartner.AkSk("a", "b", domain_id="d"), retry={"max_attempts": 1})
    with pytest.raises(hcpartner.ConnectionError) as e:
        c.list_sub_customers(limit=10)
    assert isinstance(e.value, builtins.ConnectionError) and e.value.dispatch == "not_sent"


def test_bad_options_name_the_field() -> None:
    with pytest.raises(hcpartner.InvalidArgument) as e:
        hcpartner.Client(endpoint="bss.myhuaweicloud.com", credentials=hcpartner.AkSk("a", "b"))
    assert e.value.field == "endpoint"
    with pytest.raises(hcpartner.InvalidArgument) as e:
        hcpartner.Client(site="mars", credentials=hcpartner.AkSk("a", "b"))
    assert e.value.field == "site"
    with pytest.raises(hcpartner.InvalidArgument) as e:
        hcpartner.Client(credentials="AK:SK")  # type: ignore[arg-type]
    assert e.value.field == "credentials"
    with pytest.raises(hcpartner.InvalidArgument) as e:
        hcpartner.Client(endpoint="http://127.0.0.1:9", timeouts={"total": -1})
    assert e.value.field == "timeouts.total" and "Client options" in str(e.value)
    with pytest.raises(hcpartner.InvalidArgument) as e:
        hcpartner.Client(endpoint="http://127.0.0.1:9", timeouts={"totl": 1})  # type: ignore[typeddict-unknown-key]
    assert e.value.field == "timeouts.totl"
    with pytest.raises(hcpartner.InvalidArgument) as e:
        hcpartner.Client(endpoint="http://127.0.0.1:9", retry={"max_attempts": "3"})  # type: ignore[typeddict-item]
    assert e.value.field == "retry.max_attempts"
    with pytest.raises(hcpartner.InvalidArgument) as e:
        hcpartner.Client(endpoint="http://127.0.0.1:9", rate_limit=1e-20)
    assert e.value.field == "rate_limit"


def test_exception_tree() -> None:
    for cls in [errors.InvalidArgument, errors.AuthError, errors.ApiError, errors.ThrottledError, errors.TimeoutError,
                errors.ConnectionError, errors.OutcomeUnknown, errors.DecodeError]:
        assert issubclass(cls, hcpartner.HcpError)
    assert issubclass(errors.InvalidArgument, ValueError)
    assert issubclass(errors.TimeoutError, builtins.TimeoutError)
    assert issubclass(errors.ThrottledError, errors.ApiError)


def test_profile_and_env_providers(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "credentials"
    path.write_text("[global]\nak = FILE-AK\nsk = FILE-SK\ndomain_id = D\n")
    c = hcpartner.Client(endpoint="http://127.0.0.1:9", credentials=hcpartner.from_profile(str(path)), retry={"max_attempts": 1})
    with pytest.raises(hcpartner.ConnectionError):
        c.call("list_sub_customers", limit=1)  # credentials loaded fine; only the network is missing
    monkeypatch.delenv("HUAWEICLOUD_SDK_AK", raising=False)
    c = hcpartner.Client(endpoint="http://127.0.0.1:9", credentials=hcpartner.from_env())
    with pytest.raises(hcpartner.InvalidArgument) as e:
        c.call("list_sub_customers", limit=1)
    assert e.value.field == "HUAWEICLOUD_SDK_AK"


def test_import_is_fast_and_pandas_is_optional() -> None:
    code = "import sys, hcpartner; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False", "importing hcpartner must not import pandas"


def test_to_dataframe_without_pandas_says_what_to_install(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        hcpartner.to_dataframe([{"a": 1}])


def test_the_async_client_loads_on_first_use() -> None:
    code = ("import sys, hcpartner; before = sorted(m for m in ('collections', 'hcpartner._async_operations', "
            "'asyncio') if m in sys.modules); from hcpartner import AsyncClient; "
            "print(before, AsyncClient.__module__, hcpartner.AsyncClient is AsyncClient, "
            "'hcpartner._async_operations' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[] hcpartner True True", out
