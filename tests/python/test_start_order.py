"""bindings-python/link/order.py, the writer of the linker script that puts the extension's
start-up code first: its globs survive rebuilds, its callgrind reader follows name compression, and
the checked-in start.ld is exactly what its writer makes of the lists it holds (hand edits drift)."""

from __future__ import annotations

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("order", ROOT / "bindings-python/link/order.py")
assert spec and spec.loader
order = importlib.util.module_from_spec(spec)
spec.loader.exec_module(order)


def test_patterns_drop_what_a_rebuild_changes() -> None:
    legacy = "_ZN9hcpartner6config13ConfigBuilder5build17hded09a5616fe7358E"
    assert order.pattern(legacy) == "_ZN9hcpartner6config13ConfigBuilder5build17h*"
    assert order.pattern(legacy + ".llvm.3040405072142348386") == "_ZN9hcpartner6config13ConfigBuilder5build17h*"
    v0 = "_RNvNtNtNtCsjrHSEGnQ3l9_3std3sys6random5linux9getrandom.llvm.3643936799275306673"
    assert order.pattern(v0) == "_RNvNtNtNtCs*_3std3sys6random5linux9getrandom"
    assert order.pattern("PyInit__native") == "PyInit__native"


def test_callgrind_names_are_read_through_their_compression() -> None:
    profile = "\n".join([
        "ob=(1) /usr/lib/libc.so.6", "fn=(1) malloc", "0 10",
        "ob=(2) /site-packages/hcpartner/_native.abi3.so", "fn=(2) PyInit__native", "0 5",
        "cob=(1)", "cfn=(1)", "calls=1 0", "0 3",
        "cfn=(3) _ZN3foo3bar17h0123456789abcdefE", "calls=1 0", "0 2",
        "fn=(3)", "0 7", "fn=(4) 0x00000000001eb440", "0 1",
        "fn=(5) _ZN3foo3baz17h0123456789abcdefE'2", "0 1",
        "ob=(1)", "fn=(1)", "0 4",
    ])
    assert order.functions(profile, "_native.abi3.so") == [
        "PyInit__native", "_ZN3foo3bar17h0123456789abcdefE", "_ZN3foo3baz17h0123456789abcdefE"]


def test_aliases_of_merged_functions_are_named_too() -> None:
    address = {"a": 16, "b": 16, "c": 32}
    assert order.with_aliases(["a"], address) == ["a", "b"]


def test_checked_in_script_is_what_the_writer_makes() -> None:
    text = (ROOT / "bindings-python/link/start.ld").read_text()
    start, call = order.patterns_in(text)
    assert "PyInit__native" in start and call, "no start-up or first-call patterns"
    assert order.script(start, call) == text
    assert f"HIDDEN({order.MARK} = .);" in text and "INSERT AFTER .eh_frame;" in text
