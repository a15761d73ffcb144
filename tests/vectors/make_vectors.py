#!/usr/bin/env python3
"""Generate tests/vectors/signing.json from the OFFICIAL huaweicloudsdkcore signer.

Usage:  python3 tests/vectors/make_vectors.py

The script bootstraps its own virtualenv (env HCP_VECTORS_VENV, default
tests/vectors/.venv), installs huaweicloudsdkcore==3.1.219 into it if needed,
re-executes itself inside that venv and writes tests/vectors/signing.json.

Every expected value comes from the official code path:
SdkRequest(...) signed by BasicCredentials / GlobalCredentials.sign_request.
The clock is fixed by swapping the `datetime` name inside
huaweicloudsdkcore.signer.signer for a subclass whose utcnow() is constant, so
the signer itself adds X-Sdk-Date. The output is deterministic (run it twice
and diff).
"""

import os
import subprocess
import sys

SDK_NAME = "huaweicloudsdkcore"
SDK_VERSION = "3.1.219"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT_PATH = os.path.join(HERE, "signing.json")
DEFAULT_VENV = os.path.join(HERE, ".venv")
FIXED_TIME = "20240102T030405Z"


# --------------------------------------------------------------------------
# venv bootstrap
# --------------------------------------------------------------------------

def _venv_dir():
    return os.path.abspath(os.environ.get("HCP_VECTORS_VENV") or DEFAULT_VENV)


def _venv_python(venv):
    if os.name == "nt":
        return os.path.join(venv, "Scripts", "python.exe")
    return os.path.join(venv, "bin", "python")


def _in_venv(venv):
    return os.path.realpath(sys.prefix) == os.path.realpath(venv)


def _installed_version(python):
    code = ("import importlib.metadata as m, huaweicloudsdkcore; "
            "print(m.version('huaweicloudsdkcore'))")
    r = subprocess.run([python, "-c", code], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, universal_newlines=True)
    return r.stdout.strip() if r.returncode == 0 else None


def ensure_venv_and_reexec():
    venv = _venv_dir()
    if _in_venv(venv):
        return
    if os.environ.get("HCP_VECTORS_REEXEC") == "1":
        sys.exit("make_vectors: re-exec did not land inside %s (sys.prefix=%s)" % (venv, sys.prefix))
    py = _venv_python(venv)
    if not os.path.exists(py):
        print("make_vectors: creating venv %s" % venv, file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    if _installed_version(py) != SDK_VERSION:
        print("make_vectors: installing %s==%s into %s" % (SDK_NAME, SDK_VERSION, venv), file=sys.stderr)
        subprocess.check_call([py, "-m", "pip", "install", "--disable-pip-version-check", "-q",
                               "%s==%s" % (SDK_NAME, SDK_VERSION)])
        got = _installed_version(py)
        if got != SDK_VERSION:
            sys.exit("make_vectors: expected %s %s in venv, found %r" % (SDK_NAME, SDK_VERSION, got))
    env = dict(os.environ)
    env["HCP_VECTORS_REEXEC"] = "1"
    env["HCP_VECTORS_VENV"] = venv
    os.execve(py, [py, os.path.abspath(__file__)] + sys.argv[1:], env)


# --------------------------------------------------------------------------
# Vector definitions
# --------------------------------------------------------------------------

BSS = "bss.myhuaweicloud.com"
AK = "HPUAEXAMPLEAK1234567"
SK = "exampleSecretKey0123456789abcdefghijKLMN"
DOMAIN = "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"
TOKEN = ("gQpjbi1ub3J0aC00RXhhbXBsZVNlY3VyaXR5VG9rZW4rL3dpdGgvc2xhc2hlcytwbHVzZXM9PQ"
         "==/AbCdEf+0123456789")
JSON = [["Content-Type", "application/json"]]

BSS_QUERY_BODY = ('{"account_name":"customer-001","associated_on_begin":"2024-01-01T00:00:00Z",'
                  '"associated_on_end":"2024-02-01T00:00:00Z","indirect_partner_id":null,'
                  '"offset":0,"limit":10}')

UNICODE_JSON_BODY = ('{"customer":"华为云客户","note":"emoji 😀🚀 and ünïcödé",'
                     '"tags":["计费","月度"],"amount":12.5}')

RESERVED = "!*'();:@&=+$,/?#[] %~-._"


def V(name, method="GET", scheme="https", host=BSS, path="/v2/test", query=None,
      headers=None, body="", ak=AK, sk=SK, token=None, domain=None, time=FIXED_TIME,
      body_bytes=False):
    return dict(name=name, method=method, scheme=scheme, host=host, path=path,
                query=list(query or []), headers=[list(h) for h in (headers or [])],
                body=body, ak=ak, sk=sk, token=token, domain=domain, time=time,
                body_bytes=body_bytes)


def q(s):
    from urllib.parse import quote
    return quote(s, safe="")


VECTORS = [
    # ---- every HTTP method -------------------------------------------------
    V("method-get-no-query"),
    V("method-post-json-body", "POST", headers=JSON, body='{"a":1}'),
    V("method-put-json-body", "PUT", path="/v2/test/items/42", headers=JSON,
      body='{"name":"x","enabled":true}', domain=DOMAIN),
    V("method-delete-no-body", "DELETE", path="/v2/test/items/42", domain=DOMAIN),
    V("method-patch-json-body", "PATCH", path="/v2/test/items/42", headers=JSON,
      body='{"op":"replace","path":"/name","value":"y"}', domain=DOMAIN),
    V("method-head", "HEAD", path="/v2/test/items", query=[("limit", "1")]),
    V("method-options", "OPTIONS", path="/v2/test/items",
      headers=[["Origin", "https://example.com"], ["Access-Control-Request-Method", "POST"]]),
    V("method-delete-with-json-body", "DELETE", path="/v2/test/items", headers=JSON,
      body='{"ids":["a","b"]}', domain=DOMAIN),

    # ---- paths -------------------------------------------------------------
    V("path-root", path="/"),
    V("path-root-with-query", path="/", query=[("a", "1")]),
    V("path-trailing-slash", path="/v2/test/items/"),
    V("path-no-trailing-slash", path="/v2/test/items"),
    V("path-double-slash", path="/v2//test"),
    V("path-unicode-percent-encoded", path="/v2/customers/" + q("华为云") + "/bills"),
    V("path-unicode-raw", path="/v2/customers/华为云/bills"),
    V("path-emoji-percent-encoded", path="/v2/tags/" + q("😀🚀") + "/x"),
    V("path-emoji-raw", path="/v2/tags/😀🚀/x"),
    V("path-unicode-lowercase-hex", path="/v2/customers/%e5%8d%8e%e4%b8%ba/bills"),
    V("path-reserved-percent-encoded", path="/v2/items/" + q(RESERVED) + "/end"),
    V("path-sub-delims-raw", path="/v2/items/!$&'()*+,;=:@/end"),
    V("path-space-and-percent-encoded", path="/v2/items/" + q("50% off now") + "/x"),
    V("path-encoded-slash-in-segment", path="/v2/items/" + q("a/b") + "/c"),
    V("path-unreserved-raw", path="/v2/items/A-Z_a.z~0/x"),
    V("path-tilde-percent-encoded", path="/v2/items/%7Euser"),
    V("path-invalid-utf8-percent", path="/v2/items/%FF%FE/x"),
    V("path-trailing-encoded-space", path="/v2/items/name%20"),

    # ---- query -------------------------------------------------------------
    V("query-simple-two", query=[("offset", "0"), ("limit", "10")]),
    V("query-unsorted-keys", query=[("zeta", "1"), ("alpha", "2"), ("mid", "3")]),
    V("query-repeated-key-unsorted-values",
      query=[("tag", "zeta"), ("other", "x"), ("tag", "alpha"), ("tag", "mid")]),
    V("query-list-value", query=[("ids", ["c", "a", "b"]), ("limit", "5")]),
    V("query-list-value-unicode", query=[("名", ["乙", "甲", "a"])]),
    V("query-list-single-element", query=[("ids", ["only"])]),
    V("query-empty-value", query=[("a", ""), ("b", "2")]),
    V("query-only-empty-value", query=[("k", "")]),
    V("query-repeated-key-with-empty", query=[("k", "v"), ("k", "")]),
    V("query-sort-key-then-value",
      query=[("b", "1"), ("a", "z"), ("a", "y"), ("ab", "0"), ("a-b", "0"), ("a_b", "0"),
             ("a.b", "0"), ("A", "0")]),
    V("query-keys-differ-in-case", query=[("key", "lower"), ("Key", "title"), ("KEY", "upper")]),
    V("query-sort-raw-vs-encoded-keys",
      query=[("a5", "1"), ("a:", "2"), ("a.", "3"), ("a/", "4"), ("az", "5"), ("aé", "6")]),
    V("query-sort-raw-vs-encoded-values",
      query=[("k", "x/"), ("k", "x."), ("k", "x5"), ("k", "x:"), ("k", "xé"), ("k", "xz")]),
    V("query-int-and-bool", query=[("limit", 10), ("offset", 0), ("include_sub", True),
                                   ("dry_run", False)]),
    V("query-negative-int-and-big-int", query=[("n", -5), ("big", 12345678901234567890)]),
    V("query-unicode-key-and-value", query=[("客户", "华为云"), ("note", "😀 ok")]),
    V("query-unicode-sort-order", query=[("😀", "1"), ("！", "2"), ("é", "3"), ("z", "4")]),
    V("query-reserved-in-value", query=[("v", RESERVED), ("plain", "x")]),
    V("query-reserved-in-key", query=[(RESERVED, "value"), ("plain", "x")]),
    V("query-plus-and-space", query=[("expr", "a+b c"), ("sum", "1+1=2")]),
    V("query-percent-literal", query=[("pct", "100%"), ("enc", "%41%20")]),
    V("query-tilde-and-unreserved", query=[("t~", "~-._"), ("A-Z", "a_z.0")]),
    V("query-equals-and-ampersand", query=[("a=b", "c&d"), ("e", "f=g")]),

    # ---- headers -----------------------------------------------------------
    V("header-underscore-excluded",
      headers=[["X_Custom_Header", "not signed"], ["X-Custom-Header", "signed"]]),
    V("header-underscore-trimmed",
      headers=[["X_Trim_Me", "  spaced  "]]),
    V("header-value-leading-trailing-spaces",
      headers=[["X-Language", "  en_US  "], ["X-Inner", "a   b\t c"]]),
    V("header-value-tabs-and-unicode-space",
      headers=[["X-Tabbed", "\t value\t"], ["X-Ideographic", "\u3000全角\u3000"]]),
    V("header-value-empty-and-blank",
      headers=[["X-Empty", ""], ["X-Blank", "   "]]),
    V("header-names-odd-case",
      headers=[["x-LaNgUaGe", "en_US"], ["USER-AGENT", "hcpartner/0.1.0"], ["content-TYPE", "application/json"]],
      method="POST", body='{"x":1}'),
    V("header-unicode-value-chinese", headers=[["X-Customer-Name", "华为云客户"]]),
    V("header-unicode-value-emoji-trimmed", headers=[["X-Note", "  hi 😀 ünï  "]]),
    V("header-caller-host", headers=[["Host", "custom.example.com"]]),
    V("header-caller-host-lowercase-with-port", headers=[["host", "bss.myhuaweicloud.com:443"]]),
    V("header-duplicate-names-differing-case",
      headers=[["X-Dup", "first"], ["x-dup", "second"]]),
    V("header-caller-x-sdk-date", headers=[["X-Sdk-Date", "20231231T235959Z"]], time=None,
      query=[("a", "b")]),
    V("header-caller-x-sdk-date-lowercase", "POST", headers=JSON + [["x-sdk-date", "20200229T000000Z"]],
      body='{"leap":true}', time=None, domain=DOMAIN),

    # ---- hosts / schemes ---------------------------------------------------
    V("host-ip-port-http", scheme="http", host="127.0.0.1:8080", path="/v2/test",
      query=[("a", "1")]),
    V("host-ip-port-https-post", "POST", scheme="https", host="127.0.0.1:8080", headers=JSON,
      body='{"k":"v"}', domain=DOMAIN),
    V("host-localhost-http-no-port", scheme="http", host="localhost"),
    V("host-name-port-https", host="bss.example.com:8443", path="/v2/x"),

    # ---- content type / payload --------------------------------------------
    V("body-empty-json-ct", "POST", headers=JSON, body=""),
    V("body-json-charset", "POST", headers=[["Content-Type", "application/json;charset=UTF-8"]],
      body='{"a":"b"}'),
    V("body-bson-ct", "POST", headers=[["Content-Type", "application/bson"]], body="bson-ish"),
    V("body-text-plain-with-body", "POST", headers=[["Content-Type", "text/plain"]],
      body="hello world"),
    V("body-text-plain-without-body", "POST", headers=[["Content-Type", "text/plain"]], body=""),
    V("body-form-urlencoded", "POST", headers=[["Content-Type", "application/x-www-form-urlencoded"]],
      body="a=1&b=2"),
    V("body-octet-stream", "PUT", headers=[["Content-Type", "application/octet-stream"]],
      body="raw bytes here", body_bytes=True),
    V("body-ct-uppercase-json", "POST", headers=[["Content-Type", "Application/JSON"]],
      body='{"a":1}'),
    V("body-ct-leading-space-json", "POST", headers=[["Content-Type", " application/json"]],
      body='{"a":1}'),
    V("body-ct-lowercase-name-text-plain", "POST", headers=[["content-type", "text/plain"]],
      body="hashed because lookup is case-sensitive"),
    V("body-no-content-type", "POST", body='{"no":"content-type"}'),
    V("body-no-content-type-empty", "POST", body=""),
    V("body-unicode-json", "POST", headers=JSON, body=UNICODE_JSON_BODY, domain=DOMAIN),
    V("body-unicode-json-bytes", "POST", headers=JSON, body=UNICODE_JSON_BODY, body_bytes=True),
    V("body-caller-content-sha256-header", "POST",
      headers=JSON + [["x-sdk-content-sha256", "UNSIGNED-PAYLOAD"]], body='{"a":1}'),
    V("body-caller-content-sha256-empty-body", "POST",
      headers=JSON + [["X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"]], body=""),

    # ---- credentials -------------------------------------------------------
    V("cred-basic-neither"),
    V("cred-domain-only", domain=DOMAIN),
    V("cred-token-only", token=TOKEN),
    V("cred-token-and-domain", "POST", headers=JSON, body='{"a":1}', token=TOKEN, domain=DOMAIN),
    V("cred-unusual-ak-sk", ak="AK.with-odd_chars~0/+=", sk="s k!@#$%^&*()_+-=[]{}|;':\",./<>?`~"),
    V("cred-unicode-sk", sk="密钥-secret-😀", domain=DOMAIN),
    V("cred-short-ak-sk", ak="a", sk="b"),

    # ---- realistic BSS calls -----------------------------------------------
    V("bss-query-sub-customers", "POST", path="/v2/partners/sub-customers/query",
      headers=[["Content-Type", "application/json"], ["User-Agent", "hcpartner/0.1.0"],
               ["X-Language", "en_US"]],
      body=BSS_QUERY_BODY, domain=DOMAIN),
    V("bss-monthly-sum", "GET", path="/v2/bills/customer-bills/monthly-sum",
      query=[("bill_cycle", "2024-01"), ("offset", 0), ("limit", 10)],
      headers=[["X-Language", "en_US"], ["User-Agent", "hcpartner/0.1.0"]],
      domain=DOMAIN),
    V("bss-monthly-sum-string-values", "GET", path="/v2/bills/customer-bills/monthly-sum",
      query=[("bill_cycle", "2024-01"), ("offset", "0"), ("limit", "10")],
      headers=[["X-Language", "en_US"], ["User-Agent", "hcpartner/0.1.0"]],
      domain=DOMAIN),
    V("bss-query-sub-customers-with-token", "POST", path="/v2/partners/sub-customers/query",
      query=[("offset", "0"), ("limit", "10")],
      headers=[["Content-Type", "application/json;charset=UTF-8"], ["User-Agent", "hcpartner/0.1.0"],
               ["X-Language", "zh_CN"]],
      body=BSS_QUERY_BODY, token=TOKEN, domain=DOMAIN),
    V("bss-path-param-customer-id", "GET",
      path="/v2/partners/sub-customers/" + q("客户/01 +x") + "/coupons",
      query=[("status", 1), ("limit", 100)], headers=[["X-Language", "zh_CN"]], domain=DOMAIN),
]


# --------------------------------------------------------------------------
# Generation (runs inside the venv)
# --------------------------------------------------------------------------

def build_url(v):
    parts = []
    for k, val in v["query"]:
        vals = val if isinstance(val, list) else [val]
        for x in vals:
            if isinstance(x, bool):
                s = "true" if x else "false"
            else:
                s = str(x)
            parts.append("%s=%s" % (q(k), q(s)))
    url = "%s://%s%s" % (v["scheme"], v["host"], v["path"])
    if parts:
        url += "?" + "&".join(parts)
    return url


def generate():
    import copy
    import hashlib
    import hmac
    import importlib.metadata
    import json
    from datetime import datetime

    got = importlib.metadata.version(SDK_NAME)
    if got != SDK_VERSION:
        sys.exit("make_vectors: need %s %s, found %s" % (SDK_NAME, SDK_VERSION, got))

    import huaweicloudsdkcore.signer.signer as signer_mod
    from huaweicloudsdkcore.auth.credentials import BasicCredentials, GlobalCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest

    fixed_dt = datetime.strptime(FIXED_TIME, "%Y%m%dT%H%M%SZ")

    class FixedDatetime(datetime):
        @classmethod
        def utcnow(cls):
            return fixed_dt

        @classmethod
        def now(cls, tz=None):
            raise AssertionError("unexpected datetime.now in signer")

    signer_mod.datetime = FixedDatetime

    captured = []
    orig_canonical = signer_mod.Signer._process_canonical_request

    def capturing(self, request, signed_headers):
        cr = orig_canonical(self, request, signed_headers)
        captured.append(cr)
        return cr

    signer_mod.Signer._process_canonical_request = capturing

    names = set()
    out = []
    for v in VECTORS:
        if v["name"] in names:
            sys.exit("duplicate vector name " + v["name"])
        names.add(v["name"])
        hdr_names = [h[0] for h in v["headers"]]
        if len(set(hdr_names)) != len(hdr_names):
            sys.exit("duplicate exact header name in " + v["name"])
        if "Authorization" in hdr_names:
            sys.exit("Authorization header short-circuits signing: " + v["name"])

        url = build_url(v)  # before signing: the SDK sorts list values in place
        headers_in = dict((k, val) for k, val in v["headers"])
        body = v["body"]
        sdk_body = body.encode("utf-8") if v["body_bytes"] else body
        if body == "" and v["method"] in ("GET", "HEAD", "DELETE", "OPTIONS"):
            sdk_body = None  # what the generated SDK clients pass for no body

        req = SdkRequest(method=v["method"], schema=v["scheme"], host=v["host"],
                         resource_path=v["path"], query_params=copy.deepcopy(v["query"]),
                         header_params=dict(headers_in), body=sdk_body)
        if v["domain"] is not None:
            cred = GlobalCredentials(v["ak"], v["sk"], v["domain"])
        else:
            cred = BasicCredentials(v["ak"], v["sk"])
        if v["token"] is not None:
            cred = cred.with_security_token(v["token"])

        del captured[:]
        signed = cred.sign_request(req)
        if len(captured) != 1:
            sys.exit("expected exactly one canonical request for " + v["name"])
        canonical = captured[0]

        final = {}
        for k, val in signed.header_params.items():
            if k == "Authorization":
                final[k] = val  # added after the latin-1 rewrite, never re-encoded
            else:
                final[k] = val.encode("iso-8859-1").decode("utf-8")
        added = {}
        for k, val in final.items():
            if k not in headers_in or headers_in[k] != val:
                added[k] = val

        # Self-check: the signature must follow from canonical request + time.
        t = v["time"]
        if t is None:
            t = [val for k, val in final.items() if k.lower() == "x-sdk-date"][0]
        else:
            if final.get("X-Sdk-Date") != t:
                sys.exit("fixed clock not applied for " + v["name"])
        sts = "SDK-HMAC-SHA256\n%s\n%s" % (t, hashlib.sha256(canonical.encode("utf-8")).hexdigest())
        sig = hmac.new(v["sk"].encode("utf-8"), sts.encode("utf-8"), hashlib.sha256).hexdigest()
        auth = final["Authorization"]
        if not auth.endswith("Signature=" + sig):
            sys.exit("self-check failed for " + v["name"])

        out.append({
            "name": v["name"],
            "method": v["method"],
            "url": url,
            "headers": [[k, val] for k, val in v["headers"]],
            "body": body,
            "ak": v["ak"],
            "sk": v["sk"],
            "security_token": v["token"],
            "domain_id": v["domain"],
            "time": v["time"],
            "expected": {
                "canonical_request": canonical,
                "authorization": auth,
                "added_headers": added,
                "request_uri": signed.uri,
            },
        })

    doc = {
        "generator": "tests/vectors/make_vectors.py",
        "sdk": "%s %s" % (SDK_NAME, SDK_VERSION),
        "vectors": out,
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    with open(OUT_PATH, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print("wrote %d vectors to %s" % (len(out), os.path.relpath(OUT_PATH)))


if __name__ == "__main__":
    ensure_venv_and_reexec()
    generate()
