"""Logging without importing ``logging`` for programs that never use it: a client and its calls
leave ``logging`` unimported; logging set up after the client but before a call gets every event
of that call; a warning in a program that never set logging up still reaches stderr (Python's
``logging.lastResort``). Each runs in a fresh interpreter (this suite's own logging is set up by
pytest and conftest); no output carries a secret."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any, Dict, List

import pytest

from conftest import Emulator

# Prepended to each child's code: the emulator's details, and the client the test uses.
PRELUDE = """
import json, sys
import hcpartner
info = json.loads(sys.argv[1])
def client(**options):
    creds = hcpartner.Password(info["user_name"], info["password"], info["domain_name"])
    return hcpartner.Client(endpoint=info["url"], credentials=creds, **options)
"""


def _run(emu: Emulator, code: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-c", PRELUDE + code, json.dumps(emu.info)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    for secret in [emu.info["password"], emu.info["sk"]]:
        assert secret not in proc.stdout + proc.stderr
    if os.environ.get("HCP_SECRETS_DIR"):  # for tests/secrets/scan.py: the tokens issued too
        with open(os.path.join(os.environ["HCP_SECRETS_DIR"], "python-logging-children.out"), "a") as out:
            out.write(proc.stdout + proc.stderr)
    return proc


def test_a_client_and_its_calls_do_not_import_logging(emu: Emulator) -> None:
    proc = _run(emu, """
c = client()
created = "logging" in sys.modules
c.list_sub_customers(limit=1)  # a token by password, then the call: DEBUG events only
print(json.dumps([created, "logging" in sys.modules]))
""")
    assert json.loads(proc.stdout) == [False, False]
    assert proc.stderr == ""


COLLECT = """
import logging
records = []
class Collect(logging.Handler):
    def emit(self, record):
        records.append([record.levelname, record.name, record.getMessage()])
log = logging.getLogger("hcpartner")
log.addHandler(Collect())
log.setLevel(logging.DEBUG)
"""


@pytest.mark.parametrize("call", [
    "c.list_sub_customers(limit=1)",
    "list(c.paginate('list_sub_customers', limit=1, max_items=1))",
    "c.map('list_sub_customers', [{'limit': 1}])",
])
def test_logging_set_up_after_the_client_gets_the_calls_events(emu: Emulator, call: str) -> None:
    proc = _run(emu, "c = client()\n" + COLLECT + call + "\nprint(json.dumps(records))\n")
    records: List[List[str]] = json.loads(proc.stdout)
    assert all(name.startswith("hcpartner.") for _, name, _ in records), records
    debug = [message for level, _, message in records if level == "DEBUG"]
    # The first events of the call: the IAM token it fetches, then the answer.
    assert any("fetching an IAM token by password" in m for m in debug), records
    assert any(m.startswith('ok op="list_sub_customers" status=200') for m in debug), records


def _warned(emu: Emulator, code: str) -> Dict[str, Any]:
    proc = _run(emu, code + '\nprint(json.dumps("logging" in sys.modules))\n')
    return {"logging": json.loads(proc.stdout), "stderr": proc.stderr}


def test_a_warning_reaches_stderr_without_logging_set_up(emu: Emulator) -> None:
    # Logged while the client is built, on the calling thread (the GIL held).
    out = _warned(emu, "c = client(verify_tls=False)")
    assert "TLS certificate verification is OFF for this hcpartner client" in out["stderr"], out
    assert out["logging"] is True


def test_an_error_event_on_a_thread_without_the_gil_reaches_stderr(emu: Emulator) -> None:
    # The caught panic is logged (ERROR) inside the call, the GIL released.
    out = _warned(emu, """
c = client()
try:
    c._native._panic()
except hcpartner.InternalError:
    pass
""")
    assert "hcpartner caught a panic inside a call" in out["stderr"], out
    assert out["logging"] is True
