"""hcpartner.sign_request against the vectors made with the official huaweicloudsdkcore signer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import pytest

import hcpartner

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "vectors" / "signing.json").read_text(encoding="utf-8"))["vectors"]


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector(v: Dict[str, Any]) -> None:
    headers = [tuple(h) for h in v["headers"]]
    if v["time"] is not None:
        # The vector's clock: pass X-Sdk-Date as the SDK would have added it.
        headers.append(("X-Sdk-Date", v["time"]))
    added = hcpartner.sign_request(
        v["method"], v["url"], headers, v["body"].encode(),
        ak=v["ak"], sk=v["sk"], security_token=v["security_token"], domain_id=v["domain_id"],
    )
    assert added["Authorization"] == v["expected"]["authorization"]
    for name, value in added.items():
        official = {k.lower(): val for k, val in v["expected"]["added_headers"].items()}
        assert official.get(name.lower()) == value, name


def test_sign_request_accepts_dict_headers_and_str_body() -> None:
    out = hcpartner.sign_request(
        "POST", "https://bss.myhuaweicloud.com/v2/partners/sub-customers/query",
        {"Content-Type": "application/json"}, '{"limit":10}', ak="AK", sk="SK",
    )
    assert set(out) == {"X-Sdk-Date", "Host", "Authorization"}
    assert out["Authorization"].startswith("SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host;x-sdk-date, ")


def test_sign_request_names_the_bad_field() -> None:
    with pytest.raises(hcpartner.InvalidArgument) as e:
        hcpartner.sign_request("GET", "bss.myhuaweicloud.com/v2", ak="AK", sk="SK")
    assert e.value.field == "url"
