#!/usr/bin/env python3
"""Time the OFFICIAL huaweicloudsdkcore signer on the request in benches/signer_case.json.

Usage:  python3 benches/official_signer.py [ITERATIONS]

Uses the venv named by env HCP_VECTORS_VENV, else tests/vectors/.venv (created
and given huaweicloudsdkcore==3.1.219 if missing), and re-executes itself in it.

Two measurements, same iteration count:
  ns_per_sign       fresh SdkRequest + GlobalCredentials.sign_request(request)
                    (what every SDK call pays: X-Domain-Id is added, then signed)
  ns_per_sign_bare  fresh SdkRequest (X-Domain-Id already in its headers)
                    + Signer(credentials).sign(request)
The clock is the case's fixed "time" (datetime.utcnow inside the signer module
is replaced by a constant), so both produce the same Authorization as the Rust
bench would; this makes utcnow() marginally cheaper than the real call.
After a ~0.25 s warm-up of each path, the batch size is calibrated so that all
10 batches (5 per measurement) take about 2 s together; with ITERATIONS, each
measurement runs 5 batches of ITERATIONS // 5. Reported values are the median
over the 5 batches of (batch time / batch size), from time.perf_counter_ns.
Prints exactly one JSON line on stdout.
"""

import json
import os
import subprocess
import sys

SDK_NAME = "huaweicloudsdkcore"
SDK_VERSION = "3.1.219"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CASE_PATH = os.path.join(HERE, "signer_case.json")
DEFAULT_VENV = os.path.join(REPO, "tests", "vectors", ".venv")
BATCHES = 5
TARGET_SECONDS = 2.0


def _venv_dir():
    return os.path.abspath(os.environ.get("HCP_VECTORS_VENV") or DEFAULT_VENV)


def _venv_python(venv):
    if os.name == "nt":
        return os.path.join(venv, "Scripts", "python.exe")
    return os.path.join(venv, "bin", "python")


def _installed_version(python):
    code = ("import importlib.metadata as m, huaweicloudsdkcore; "
            "print(m.version('huaweicloudsdkcore'))")
    r = subprocess.run([python, "-c", code], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, universal_newlines=True)
    return r.stdout.strip() if r.returncode == 0 else None


def ensure_venv_and_reexec():
    venv = _venv_dir()
    if os.path.realpath(sys.prefix) == os.path.realpath(venv):
        return
    if os.environ.get("HCP_VECTORS_REEXEC") == "1":
        sys.exit("official_signer: re-exec did not land inside %s" % venv)
    py = _venv_python(venv)
    if not os.path.exists(py):
        print("official_signer: creating venv %s" % venv, file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    if _installed_version(py) != SDK_VERSION:
        print("official_signer: installing %s==%s into %s" % (SDK_NAME, SDK_VERSION, venv),
              file=sys.stderr)
        subprocess.check_call([py, "-m", "pip", "install", "--disable-pip-version-check", "-q",
                               "%s==%s" % (SDK_NAME, SDK_VERSION)])
        if _installed_version(py) != SDK_VERSION:
            sys.exit("official_signer: could not install %s==%s" % (SDK_NAME, SDK_VERSION))
    env = dict(os.environ)
    env["HCP_VECTORS_REEXEC"] = "1"
    env["HCP_VECTORS_VENV"] = venv
    os.execve(py, [py, os.path.abspath(__file__)] + sys.argv[1:], env)


def main():
    import importlib.metadata
    import statistics
    import time
    from datetime import datetime
    from urllib.parse import unquote, urlsplit

    got = importlib.metadata.version(SDK_NAME)
    if got != SDK_VERSION:
        sys.exit("official_signer: need %s %s, found %s" % (SDK_NAME, SDK_VERSION, got))

    import huaweicloudsdkcore.signer.signer as signer_mod
    from huaweicloudsdkcore.auth.credentials import GlobalCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    with open(CASE_PATH, encoding="utf-8") as f:
        case = json.load(f)

    fixed_dt = datetime.strptime(case["time"], "%Y%m%dT%H%M%SZ")

    class FixedDatetime(datetime):
        @classmethod
        def utcnow(cls):
            return fixed_dt

    signer_mod.datetime = FixedDatetime

    parts = urlsplit(case["url"])
    schema, host, path = parts.scheme, parts.netloc, parts.path
    query = []
    if parts.query:
        for item in parts.query.split("&"):
            k, _, v = item.partition("=")
            query.append((unquote(k), unquote(v)))
    method = case["method"]
    body = case["body"]
    headers = [(k, v) for k, v in case["headers"]]
    headers_with_domain = headers + [("X-Domain-Id", case["domain_id"])]
    credentials = GlobalCredentials(case["ak"], case["sk"], case["domain_id"])

    def one_sign_request():
        req = SdkRequest(method=method, schema=schema, host=host, resource_path=path,
                         query_params=list(query), header_params=dict(headers), body=body)
        return credentials.sign_request(req)

    def one_bare():
        req = SdkRequest(method=method, schema=schema, host=host, resource_path=path,
                         query_params=list(query), header_params=dict(headers_with_domain),
                         body=body)
        return Signer(credentials).sign(req)

    a = one_sign_request().header_params["Authorization"]
    b = one_bare().header_params["Authorization"]
    if a != b:
        sys.exit("official_signer: bare and sign_request disagree:\n%s\n%s" % (a, b))
    print("official_signer: Authorization = %s" % a, file=sys.stderr)

    def run(fn, n):
        t0 = time.perf_counter_ns()
        for _ in range(n):
            fn()
        return time.perf_counter_ns() - t0

    # Warm up both paths (~0.25 s each) and estimate the cost of one iteration.
    per_iter = {}
    for fn in (one_sign_request, one_bare):
        n, spent = 0, 0
        while spent < 250_000_000:
            spent += run(fn, 200)
            n += 200
        per_iter[fn] = spent / n

    if len(sys.argv) > 1:
        batch = max(1, int(sys.argv[1]) // BATCHES)
    else:
        per_mode = TARGET_SECONDS / 2 * 1e9
        batch = max(1, int(per_mode / BATCHES / per_iter[one_sign_request]))

    def measure(fn):
        return statistics.median(run(fn, batch) / batch for _ in range(BATCHES))

    ns = measure(one_sign_request)
    ns_bare = measure(one_bare)
    print(json.dumps({
        "impl": "%s %s" % (SDK_NAME, SDK_VERSION),
        "ns_per_sign": round(ns, 1),
        "ns_per_sign_bare": round(ns_bare, 1),
        "iterations": batch * BATCHES,
    }))


if __name__ == "__main__":
    ensure_venv_and_reexec()
    main()
