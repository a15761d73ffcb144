"""Fixtures: one emulator process for the session (the `hcpartner-emulator` binary), reset before
each test, plus helpers for its admin API (faults, stats). With ``HCP_SECRETS_DIR`` set (``make
test``), the suite runs with hcpartner's logging at DEBUG into ``python-debug.log`` there, and the
text of every hcpartner error made (str, repr, every attribute) goes there too, for
tests/secrets/scan.py."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

import hcpartner

# Tests talk only to 127.0.0.1: the default credential chain must not try the metadata service.
os.environ["HCPARTNER_METADATA_DISABLED"] = "1"

ROOT = Path(__file__).resolve().parents[2]


def _debug_log(directory: str) -> None:
    import logging

    handler = logging.FileHandler(Path(directory) / "python-debug.log", mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.DEBUG)
    log = logging.getLogger("hcpartner")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    errors = logging.getLogger("hcpartner_tests.errors")  # not under `hcpartner`: a level set there stays
    errors.addHandler(handler)
    errors.setLevel(logging.DEBUG)
    errors.propagate = False
    init = hcpartner.HcpError.__init__

    def recording_init(self: hcpartner.HcpError, message: str, **report: Any) -> None:
        init(self, message, **report)
        errors.debug("%s %r %r", type(self).__name__, self, vars(self))

    hcpartner.HcpError.__init__ = recording_init  # type: ignore[method-assign]


if os.environ.get("HCP_SECRETS_DIR"):
    _debug_log(os.environ["HCP_SECRETS_DIR"])


def _emulator_binary() -> str:
    path = os.environ.get("HCP_EMULATOR") or str(ROOT / "target" / "release" / "hcpartner-emulator")
    if not Path(path).exists():
        raise RuntimeError(f"emulator binary {path} not found: run `make test` (it builds it) or set HCP_EMULATOR")
    return path


class Emulator:
    def __init__(self, info: Dict[str, Any]) -> None:
        self.info = info
        self.url: str = info["url"]
        self.seed: Dict[str, str] = info["seed"]

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            text = resp.read()
        return json.loads(text) if text else None

    def reset(self) -> None:
        self.admin("POST", "/_emulator/reset")
        self.admin("DELETE", "/_emulator/faults")

    def fault(self, **spec: Any) -> None:
        self.admin("POST", "/_emulator/faults", spec)

    def stats(self) -> Dict[str, Any]:
        """Per operation: received, applied, refused, failed, faulted."""
        stats: Dict[str, Any] = self.admin("GET", "/_emulator/stats")["ops"]
        return stats

    def aksk(self) -> hcpartner.AkSk:
        return hcpartner.AkSk(self.info["ak"], self.info["sk"], domain_id=self.info["domain_id"])

    def client(self, **options: Any) -> hcpartner.Client:
        options.setdefault("credentials", self.aksk())
        options.setdefault("retry", {"base_delay": 0.01, "throttle_delay": 0.01})
        return hcpartner.Client(endpoint=self.url, **options)

    def async_client(self, **options: Any) -> hcpartner.AsyncClient:
        options.setdefault("credentials", self.aksk())
        options.setdefault("retry", {"base_delay": 0.01, "throttle_delay": 0.01})
        return hcpartner.AsyncClient(endpoint=self.url, **options)


@pytest.fixture(scope="session")
def emulator_process() -> Iterator[Emulator]:
    proc = subprocess.Popen(
        [_emulator_binary(), "--port", "0", "--token-ttl", "3600"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the emulator exited before printing its address")
        yield Emulator(json.loads(line))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture()
def emu(emulator_process: Emulator) -> Emulator:
    emulator_process.reset()
    return emulator_process


@pytest.fixture()
def client(emu: Emulator) -> hcpartner.Client:
    return emu.client()
