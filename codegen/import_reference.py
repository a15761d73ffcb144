#!/usr/bin/env python3
"""One-time conversion of the reference (shared/reference/operations.tsv + models.json) into the API
description under core/api/ (operations.json, models.json, reference-operations.tsv).

After the first run the JSON files are the source of truth: they are checked in and edited by hand.
Rerun this only to see how a new reference differs (it overwrites core/api/; review the git diff):

    python3 codegen/import_reference.py [--reference ../shared/reference]

What the conversion does beyond copying:
- Request wrappers (`<Op>Request` in the reference) become the operation's `params` (path, query,
  header) plus `body` (the body model's name); the body model's fields are merged into the flat
  request by the generator, so they are described once, in models.json.
- Types are normalized to `string int float decimal bool object list<T> map<T> ModelName`.
- Money fields the SDK types as float (listed in the tsv `notes`, partner-api-notes.md §11) become
  `decimal`.
- Constraints (enum, limits, secret) that the notes or the docs state are added, each with a
  `source`; see CONSTRAINTS below.
- Pagination strings (`offset/limit@body;items=a|b;total=count;max_limit=100`) become objects.
"""
import argparse
import csv
import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

NOTES = "partner-api-notes.md"

# Secret fields the reference does not flag. Never printed in Debug or echoed in error messages.
EXTRA_SECRETS = {
    ("NewCustomerV2", "password"): "a password (policy: passwords are secrets)",
    ("CreateCustomerV2Req", "verification_code"): "a one-time SMS code (policy: credentials are secrets)",
    ("NewCustomerV2", "verification_code"): "a one-time SMS code (policy: credentials are secrets)",
    ("BankCardInfoV2", "verification_code"): "a one-time SMS code (policy: credentials are secrets)",
    ("IdentityToken", "id"): "an IAM token (policy: tokens are secrets)",
}

# Constraints on body-model fields: (model, field) -> dict(enum=..., limits=..., source=...).
PAGE_OFFSET = {"limits": {"min": 0},
               "source": "docs mc_00021, mt_000503, ep_00021: offset is a 0-based record offset"}
PAGE_LIMIT = {"limits": {"min": 1},
              "source": "docs mt_000503, ep_00021: limit [1-100]; a page of 0 records is meaningless"}

MODEL_CONSTRAINTS = {
    ("QuerySubCustomerListReq", "offset"): {
        "limits": {"min": 0, "max": 40000000},
        "source": "notes §7; docs https://support.huaweicloud.com/api-bpconsole/mc_00021.html ([0-40000000])"},
    ("QuerySubCustomerListReq", "limit"): {
        "limits": {"min": 1, "max": 100},
        "source": "notes §7; docs mc_00021 (max 100)"},
    ("QuerySubCustomerListReq", "association_type"): {
        "enum": ["1", "2"], "limits": {"max_len": 2},
        "source": "notes §9: 1 = referral (顾问销售), 2 = resale (代售); docs mc_00021"},
    ("QuerySubCustomerListReq", "account_name"): {"limits": {"max_len": 64}, "source": "docs mc_00021"},
    ("QuerySubCustomerListReq", "customer"): {"limits": {"max_len": 64}, "source": "docs mc_00021"},
    ("QuerySubCustomerListReq", "label"): {"limits": {"max_len": 64}, "source": "docs mc_00021"},
    ("ListConsumeSubCustomersReq", "limit"): {
        "limits": {"min": 1, "max": 100},
        "source": "notes §7; docs https://support.huaweicloud.com/api-bpconsole/mt_000503.html ([1-100])"},
    ("ListConsumeSubCustomersReq", "offset"): {
        "limits": {"min": 0, "max": 2147483646}, "source": "docs mt_000503 ([0-2147483646])"},
    ("ListConsumeSubCustomersReq", "bill_cycle"): {"limits": {"max_len": 10}, "source": "docs mt_000503 (YYYY-MM)"},
    ("ResourceSpecsQueryReq", "limit"): {
        "limits": {"min": 1, "max": 100},
        "source": "notes §7: list_resource_specs max 100 (default 100)"},
    ("BusinessDiscountQueryReq", "limit"): {
        "limits": {"min": 1, "max": 1000},
        "source": "notes §7: list_business_discount_info max 1000 (default 20)"},
    ("CreateCustomerV2Req", "xaccount_id"): {
        "limits": {"max_len": 128},
        "source": "notes §9; docs https://support.huaweicloud.com/api-bpconsole/mc_00016.html"},
    ("CreateCustomerV2Req", "xaccount_type"): {
        "limits": {"max_len": 64}, "source": "notes §9; docs mc_00016"},
    ("ApplyEnterpriseRealnameAuthsReq", "xaccount_type"): {
        "limits": {"max_len": 64}, "source": "notes §9 (the partner platform id, max 64)"},
    ("ApplyIndividualRealnameAuthsReq", "xaccount_type"): {
        "limits": {"max_len": 64}, "source": "notes §9 (the partner platform id, max 64)"},
    ("ChangeEnterpriseRealnameAuthsReq", "xaccount_type"): {
        "limits": {"max_len": 64}, "source": "notes §9 (the partner platform id, max 64)"},
    ("CreateCustomerV2Req", "password"): {
        "limits": {"min_len": 8}, "source": "notes §9; docs mc_00016 (at least 8 characters since 2022-08-01)"},
    ("AdjustAccountReq", "amount"): {
        "limits": {"min": 0.01},
        "source": "notes §11: > 0 with at most 2 decimal places, so 0.01 is the smallest amount"},
    ("AdjustToIndirectPartnerReq", "amount"): {
        "limits": {"min": 0.01},
        "source": "notes §11: > 0 with at most 2 decimal places, so 0.01 is the smallest amount"},
    ("RateOnDemandReq", "inquiry_precision"): {
        "enum": [0, 1],
        "source": "notes §11: 0 = up to 6 decimals (default), 1 = up to 10; docs api-oce/bcloud_01001"},
    ("IdentityAssumerole", "duration_seconds"): {
        "limits": {"min": 900, "max": 86400}, "source": "notes §3 (IAM-OAS CreateTemporaryAccessKeyByAgency)"},
    ("PwdIdentity", "methods"): {"enum": ["password"], "source": "notes §2"},
    ("AgencyTokenIdentity", "methods"): {"enum": ["assume_role"], "source": "notes §3"},
    ("AgencyAuthIdentity", "methods"): {"enum": ["assume_role"], "source": "notes §3"},
    ("TokenAuthIdentity", "methods"): {"enum": ["token"], "source": "notes §3"},
}

# Constraints on query/header params: (op or "*", param) -> dict.
PARAM_CONSTRAINTS = {
    ("*", "X-Language"): {"enum": ["zh_CN", "en_US"], "source": "notes §5; docs api-bpconsole/qct_00008"},
    ("list_customer_coupon_change_records", "limit"): {
        "limits": {"min": 1, "max": 100}, "source": "notes §7"},
    ("list_issued_coupon_quotas", "limit"): {"limits": {"min": 1, "max": 100}, "source": "notes §7"},
    ("list_provinces", "limit"): {"limits": {"min": 1, "max": 1000}, "source": "notes §7"},
    ("list_cities", "limit"): {"limits": {"min": 1, "max": 1000}, "source": "notes §7"},
    ("list_counties", "limit"): {"limits": {"min": 1, "max": 1000}, "source": "notes §7"},
    ("list_enterprise_sub_customers", "limit"): {
        "limits": {"min": 1, "max": 100},
        "source": "docs https://support.huaweicloud.com/api-oce/ep_00021.html ([1-100])"},
    ("list_sub_customer_coupons", "coupon_type"): {
        "limits": {"min": 1, "max": 4},
        "source": "notes §10; docs mp_02001 ([1-4]: 1 cash coupon, 2 discount coupon, 4 cash voucher)"},
    ("list_sub_customer_coupons", "status"): {
        "limits": {"min": 1, "max": 5},
        "source": "notes §10; docs mp_02001 ([1-5]: 2 unused, 3 used, 4 expired, 5 reclaimed)"},
    ("list_sub_customer_bill_detail", "association_type"): {
        "enum": ["1", "2"], "source": "notes §9: 1 = referral (顾问销售), 2 = resale (代售)"},
}

# Request fields only the international SDK has (operations.tsv `intl_diff`, intl-only:req.body.*).
# The tsv gives no type: string is assumed (an e-mail address, an area code), not verified.
INTL_ONLY_FIELDS = {
    "CreateCustomerV2Req": ["domain_area", "email"],
    "SendVerificationCodeV2Req": ["email"],
}
INTL_SOURCE = "international site only (operations.tsv intl_diff: intl-only); type string assumed, not verified"

# Fields the China SDK requires that the international SDK does not have: optional here, so one
# description serves both sites.
CN_ONLY_REQUIRED = {("SendVerificationCodeV2Req", "mobile_phone")}
CN_SOURCE = "required by the China SDK only; absent from the international SDK (operations.tsv intl_diff: cn-only)"

# Documented page-size maxima that the tsv leaves open.
EXTRA_MAX_LIMIT = {
    "list_enterprise_sub_customers": (100, "docs https://support.huaweicloud.com/api-oce/ep_00021.html ([1-100])"),
}


def norm_type(t, models):
    t = t.strip()
    m = re.fullmatch(r"list\[(.+)\]", t)
    if m:
        return "list<%s>" % norm_type(m.group(1), models)
    m = re.fullmatch(r"map\[str,\s*(.+)\]", t)
    if m:
        return "map<%s>" % norm_type(m.group(1), models)
    m = re.fullmatch(r"dict\(str,\s*(.+)\)", t)
    if m:
        return "map<%s>" % norm_type(m.group(1), models)
    if t == "str":
        return "string"
    if t in ("string", "int", "float", "decimal", "bool", "object"):
        return t
    if t in models:
        return t
    sys.exit("unknown type %r" % t)


def parse_params(spec):
    """`name:type[:required],...` from the tsv -> {name: (type, required)}"""
    out = {}
    if spec in ("", "-"):
        return out
    for part in spec.split(","):
        bits = part.split(":")
        out[bits[0]] = (bits[1], len(bits) > 2 and bits[2] == "required")
    return out


def parse_pagination(spec, op):
    if spec in ("", "-"):
        return None
    head, *rest = spec.split(";")
    m = re.fullmatch(r"(offset|marker)/limit@(body|query)", head)
    if not m:
        sys.exit("%s: bad pagination %r" % (op, spec))
    kv = dict(part.split("=", 1) for part in rest)
    items = kv["items"].split("|")
    p = {
        "style": m.group(1),
        "location": m.group(2),
        "offset_param": m.group(1),
        "limit_param": "limit",
        "items_field": items[0],
    }
    if len(items) > 1:
        p["other_items_fields"] = items[1:]
    if "total" in kv:
        p["total_field"] = kv["total"]
    if "next" in kv:
        p["next_marker_field"] = kv["next"]
    if kv.get("max_limit", "?") != "?":
        p["max_limit"] = int(kv["max_limit"])
    if op in EXTRA_MAX_LIMIT and "max_limit" not in p:
        p["max_limit"], p["source"] = EXTRA_MAX_LIMIT[op]
    if m.group(1) == "marker":
        p["source"] = "notes §7: marker paging; the next marker is page_info.next_marker; keep the filters unchanged while paging"
    return p


def dumps(v, indent=0):
    """JSON with one line per field or param (and per small value) so the files are easy to edit and diff."""
    compact = json.dumps(v, ensure_ascii=False)
    if not isinstance(v, (dict, list)) or not v:
        return compact
    if isinstance(v, dict) and "name" in v and "type" in v:
        return compact  # a field or a param
    nested = any(isinstance(x, dict) or (isinstance(x, list) and any(isinstance(y, dict) for y in x))
                 for x in (v.values() if isinstance(v, dict) else v))
    if len(compact) + indent <= 100 and not nested and not (isinstance(v, dict) and "name" in v):
        return compact
    pad = " " * (indent + 2)
    if isinstance(v, dict):
        items = ["%s%s: %s" % (pad, json.dumps(k, ensure_ascii=False), dumps(x, indent + 2)) for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + dumps(x, indent + 2) for x in v]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def apply(field, c):
    for k in ("enum", "limits"):
        if k in c:
            field[k] = c[k]
    field["source"] = c["source"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", default=os.path.join(ROOT, "..", "shared", "reference"))
    args = ap.parse_args()
    ref = os.path.abspath(args.reference)
    raw_models = json.load(open(os.path.join(ref, "models.json"), encoding="utf-8"))
    rows = list(csv.DictReader(open(os.path.join(ref, "operations.tsv"), encoding="utf-8"), delimiter="\t"))

    float_money = set()
    for r in rows:
        m = re.search(r"money fields typed float \(not decimal\) in SDK: ([^;]*)", r["notes"])
        if m:
            float_money |= set(m.group(1).split("|"))

    request_wrappers = {r["sdk_request"] for r in rows}
    body_models = {r["body"] for r in rows if r["body"] != "-"}
    used_constraints = set()

    models = {}
    for name in sorted(raw_models):
        if name in request_wrappers:
            continue
        rm = raw_models[name]
        kind = "body" if name in body_models else rm["kind"]
        fields = []
        for f in rm["fields"]:
            nf = {"name": f["name"], "type": norm_type(f["type"], raw_models)}
            if f["required"]:
                nf["required"] = True
            if f.get("secret"):
                nf["secret"] = True
            if f.get("sdk_attr"):
                nf["sdk_attr"] = f["sdk_attr"]
            key = (name, f["name"])
            if name + "." + f["name"] in float_money:
                assert nf["type"] == "float", key
                nf["type"] = "decimal"
                nf["source"] = "money typed float in the SDK, kept exact (notes §11; operations.tsv notes)"
            if key in EXTRA_SECRETS:
                nf["secret"] = True
                nf["source"] = EXTRA_SECRETS[key]
            if key in MODEL_CONSTRAINTS:
                apply(nf, MODEL_CONSTRAINTS[key])
                used_constraints.add(key)
            elif kind == "body" and f["name"] == "offset":
                apply(nf, PAGE_OFFSET)
            elif kind == "body" and f["name"] == "limit":
                apply(nf, PAGE_LIMIT)
            if key in CN_ONLY_REQUIRED:
                del nf["required"]
                nf["source"] = CN_SOURCE
            fields.append(nf)
        for extra in INTL_ONLY_FIELDS.get(name, []):
            assert extra not in [f["name"] for f in fields], (name, extra)
            fields.append({"name": extra, "type": "string", "source": INTL_SOURCE})
        models[name] = {"kind": kind, "source": rm["source"], "fields": fields}
        if rm.get("required_from"):
            models[name]["required_from"] = rm["required_from"]
    missing = set(MODEL_CONSTRAINTS) - used_constraints
    assert not missing, missing

    ops = []
    used_param_constraints = set()
    for r in rows:
        op = r["op"]
        wrapper = raw_models[r["sdk_request"]]
        tsv_params = {}
        for col, loc in (("path_params", "path"), ("query_params", "query"), ("header_params", "header")):
            for n, (t, req) in parse_params(r[col]).items():
                tsv_params[n] = (loc, t, req)
        params = []
        body = None
        for f in wrapper["fields"]:
            if f["in"] == "body":
                body = f["type"]
                continue
            p = {"name": f["name"], "in": f["in"], "type": norm_type(f["type"], raw_models)}
            if f["required"]:
                p["required"] = True
            if f.get("secret"):
                p["secret"] = True
            loc, t, req = tsv_params.pop(f["name"])
            assert (loc, norm_type(t, raw_models), req) == (p["in"], p["type"], p.get("required", False)), (op, f)
            if p["type"].startswith("list<") and p["in"] == "query":
                p["collection_format"] = "multi"
            for key in ((op, f["name"]), ("*", f["name"])):
                if key in PARAM_CONSTRAINTS:
                    apply(p, PARAM_CONSTRAINTS[key])
                    used_param_constraints.add(key)
                    break
            else:
                if f["name"] == "offset":
                    apply(p, PAGE_OFFSET)
                elif f["name"] == "limit":
                    apply(p, PAGE_LIMIT)
            params.append(p)
        assert not tsv_params, (op, tsv_params)
        assert (body or "-") == r["body"], op
        o = {
            "name": op,
            "method": r["method"],
            "path": r["path"],
            "service": r["service"],
            "category": r["category"],
            "effect": r["effect"],
            "audience": r["audience"],
            "caller": r["caller_detail"],
            "params": params,
        }
        if body:
            o["body"] = body
        o["response"] = r["sdk_response"]
        m = re.search(r"response headers: ([\w,-]+)", r["notes"])
        if m:
            o["response_headers"] = m.group(1).split(",")
        pg = parse_pagination(r["pagination"], op)
        if pg:
            o["pagination"] = pg
        o["docs"] = r["doc_urls"].split()
        if r["notes"]:
            o["notes"] = r["notes"]
        o["in_bssintl"] = r["in_bssintl"]
        if r["intl_diff"]:
            o["intl_diff"] = r["intl_diff"]
        ops.append(o)
    missing = set(PARAM_CONSTRAINTS) - used_param_constraints
    assert not missing, missing

    api = os.path.join(ROOT, "core", "api")
    os.makedirs(api, exist_ok=True)
    with open(os.path.join(api, "operations.json"), "w", encoding="utf-8") as f:
        f.write(dumps({"operations": sorted(ops, key=lambda o: o["name"])}))
        f.write("\n")
    with open(os.path.join(api, "models.json"), "w", encoding="utf-8") as f:
        f.write(dumps({"models": models}))
        f.write("\n")
    shutil.copyfile(os.path.join(ref, "operations.tsv"), os.path.join(api, "reference-operations.tsv"))
    print("wrote %d operations, %d models" % (len(ops), len(models)))


if __name__ == "__main__":
    main()
