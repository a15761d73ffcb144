"""A client used in a child process after fork works: the runtime and pool are rebuilt there."""

from __future__ import annotations

import multiprocessing
import os

import hcpartner
from conftest import Emulator


def _count(client: hcpartner.Client) -> int:
    n: int = client.list_sub_customers(limit=1)["count"]
    return n


def test_os_fork(emu: Emulator, client: hcpartner.Client) -> None:
    parent = _count(client)  # the parent's runtime and pool are now in use
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        try:
            os.write(w, str(_count(client)).encode())
        finally:
            os._exit(0)
    os.close(w)
    got = os.read(r, 100).decode()
    os.close(r)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and got == str(parent)
    assert _count(client) == parent  # the parent still works


def test_multiprocessing_fork_pool(emu: Emulator, client: hcpartner.Client) -> None:
    expected = _count(client)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(3) as pool:
        results = pool.starmap(_count_with, [(emu.url, emu.info)] * 6)
    assert results == [expected] * 6


def _count_with(url: str, info: dict) -> int:  # type: ignore[type-arg]
    creds = hcpartner.AkSk(info["ak"], info["sk"], domain_id=info["domain_id"])
    return _count(hcpartner.Client(endpoint=url, credentials=creds))
