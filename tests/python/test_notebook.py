"""The notebook example (bindings-python/examples/notebook.ipynb) executed headless with nbclient
against the emulator: every customer into a DataFrame, three months of bills through map with a
progress bar, a matplotlib plot, a funding call with its request id."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT, Emulator

NOTEBOOK = ROOT / "bindings-python" / "examples" / "notebook.ipynb"


def _text(cell: nbformat.NotebookNode) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.append(json.dumps(out.get("data", {})))
    return "".join(parts)


def test_the_notebook_runs_against_the_emulator(emu: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rid = emu.seed["resale_customer_id"]
    for name, value in {"HCP_EMULATOR_URL": emu.url, "HUAWEICLOUD_SDK_AK": emu.info["ak"],
                        "HUAWEICLOUD_SDK_SK": emu.info["sk"], "HUAWEICLOUD_SDK_DOMAIN_ID": emu.info["domain_id"],
                        "HCP_CUSTOMER_ID": rid, "MPLBACKEND": "module://matplotlib_inline.backend_inline",
                        "JUPYTER_PLATFORM_DIRS": "1"}.items():
        monkeypatch.setenv(name, value)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit the notebook without outputs"
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not any(o.get("output_type") == "error" for o in c.outputs) for c in code)
    customers, bills, plot, funding = _text(code[1]), _text(code[2]), code[3], _text(code[4])
    assert rid in customers and "list_sub_customers" in customers  # the frame and the progress bar
    assert "<MapResults of list_subcustomer_monthly_bills: 3 ok, 0 failed>" in bills and "CNY" in bills
    assert any("image/png" in o.get("data", {}) for o in plot.outputs), "the plot"
    assert "transfer TRANS" in funding and "request id " in funding
    stats = emu.stats()
    assert (stats["update_customer_account_amount"]["received"], stats["list_subcustomer_monthly_bills"]["received"]) == (1, 3)
