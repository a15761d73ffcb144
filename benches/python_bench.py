#!/usr/bin/env python3
"""hcpartner vs the official huaweicloudsdkbss, against the same local emulator, in one run.

Measures: sequential calls/s, calls/s from 16 threads sharing one client, asyncio with 64 calls
in flight (the official SDK has no asyncio: it runs in a 64-thread executor, its only way),
import time and RSS after import. The call is list_sub_customers(offset=0, limit=10), a signed
POST with a JSON body; both clients sign with AK/SK and the emulator verifies every signature.

Usage: python benches/python_bench.py [--seconds S]   (run inside a venv with both installed;
`make bench-python` sets that up).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Dict, List

ROOT = Path(__file__).resolve().parents[1]


def start_emulator() -> "tuple[subprocess.Popen[str], Dict[str, Any]]":
    binary = os.environ.get("HCP_EMULATOR") or str(ROOT / "target" / "release" / "hcpartner-emulator")
    proc = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    return proc, json.loads(proc.stdout.readline())


def official_client(info: Dict[str, Any]) -> Callable[[], Any]:
    from huaweicloudsdkbss.v2 import BssClient, ListSubCustomersRequest, QuerySubCustomerListReq
    from huaweicloudsdkcore.auth.credentials import GlobalCredentials
    from huaweicloudsdkcore.http.http_config import HttpConfig

    config = HttpConfig.get_default_config()
    config.retry_times = 0
    client = (
        BssClient.new_builder()
        .with_http_config(config)
        .with_credentials(GlobalCredentials(info["ak"], info["sk"], info["domain_id"]))
        .with_endpoints([info["url"]])
        .build()
    )

    def call() -> Any:
        resp = client.list_sub_customers(ListSubCustomersRequest(body=QuerySubCustomerListReq(offset=0, limit=10)))
        assert resp.count is not None
        return resp

    return call


def hcp_client(info: Dict[str, Any]) -> "tuple[Callable[[], Any], Any]":
    import hcpartner

    creds = hcpartner.AkSk(info["ak"], info["sk"], domain_id=info["domain_id"])
    client = hcpartner.Client(endpoint=info["url"], credentials=creds)
    aclient = hcpartner.AsyncClient(endpoint=info["url"], credentials=creds)

    def call() -> Any:
        resp = client.list_sub_customers(offset=0, limit=10)
        assert "count" in resp
        return resp

    return call, aclient


def rate(fn: Callable[[], int], seconds: float) -> float:
    """Calls per second: repeat `fn` (which returns how many calls it made) for about `seconds`."""
    fn()  # warm up: connections, tokens, caches
    calls, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        calls += fn()
    return calls / (time.perf_counter() - t0)


def sequential(call: Callable[[], Any]) -> Callable[[], int]:
    def run() -> int:
        for _ in range(20):
            call()
        return 20
    return run


def threaded(call: Callable[[], Any], pool: ThreadPoolExecutor, threads: int) -> Callable[[], int]:
    def worker() -> None:
        for _ in range(10):
            call()

    def run() -> int:
        for f in [pool.submit(worker) for _ in range(threads)]:
            f.result()
        return 10 * threads
    return run


def asyncio_hcp(aclient: Any, in_flight: int) -> Callable[[], int]:
    loop = asyncio.new_event_loop()

    async def batch() -> None:
        await asyncio.gather(*(aclient.list_sub_customers(offset=0, limit=10) for _ in range(in_flight * 4)))

    def run() -> int:
        loop.run_until_complete(batch())
        return in_flight * 4
    return run


def asyncio_official(call: Callable[[], Any], in_flight: int) -> Callable[[], int]:
    loop = asyncio.new_event_loop()
    pool = ThreadPoolExecutor(in_flight)

    async def batch() -> None:
        await asyncio.gather(*(loop.run_in_executor(pool, call) for _ in range(in_flight * 4)))

    def run() -> int:
        loop.run_until_complete(batch())
        return in_flight * 4
    return run


def import_cost(module: str, runs: int = 7) -> "tuple[float, float]":
    """Median seconds to import `module` in a fresh interpreter, and the RSS (MiB) it adds."""
    code = (
        "import time,re;"
        "rss=lambda: int(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read()).group(1))/1024;"
        f"r0=rss();t=time.perf_counter();import {module};d=time.perf_counter()-t;print(d, rss()-r0)"
    )
    times, rss = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        times.append(float(out[0]))
        rss.append(float(out[1]))
    return statistics.median(times), statistics.median(rss)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    args = ap.parse_args()
    proc, info = start_emulator()
    try:
        off = official_client(info)
        hcp, aclient = hcp_client(info)
        rows: List["tuple[str, float, float, str]"] = []
        rows.append(("sequential calls/s", rate(sequential(off), args.seconds), rate(sequential(hcp), args.seconds), "x"))
        with ThreadPoolExecutor(16) as pool:
            rows.append(("16 threads calls/s", rate(threaded(off, pool, 16), args.seconds),
                         rate(threaded(hcp, pool, 16), args.seconds), "x"))
        rows.append(("asyncio, 64 in flight, calls/s", rate(asyncio_official(off, 64), args.seconds),
                     rate(asyncio_hcp(aclient, 64), args.seconds), "x"))
        off_imp, off_rss = import_cost("huaweicloudsdkbss.v2")
        hcp_imp, hcp_rss = import_cost("hcpartner")
        rows.append(("import time, ms", off_imp * 1000, hcp_imp * 1000, "/"))
        rows.append(("RSS added by import, MiB", off_rss, hcp_rss, "/"))
    finally:
        proc.terminate()
        proc.wait()
    print(f"{'measure':<32}{'huaweicloudsdkbss':>18}{'hcpartner':>12}{'hcpartner is':>16}")
    for name, off_v, hcp_v, kind in rows:
        ratio = hcp_v / off_v if kind == "x" else off_v / max(hcp_v, 1e-9)
        better = "faster" if kind == "x" or "time" in name else "smaller"
        print(f"{name:<32}{off_v:>18.1f}{hcp_v:>12.1f}{ratio:>10.1f}x {better}")


if __name__ == "__main__":
    main()
