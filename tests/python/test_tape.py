"""An answer's JSON made into Python values two ways (bindings-python/src/tape.rs): jiter's one
pass under the GIL, taken by a thread calling alone, and the tape parsed off the GIL, taken when
other calls are in progress and by asyncio. Both must give the same values of the same types,
and both refuse what is not JSON."""

from __future__ import annotations

import decimal
import json
import threading
from typing import Any

import pytest

from hcpartner import _native
from conftest import Emulator


def same(a: Any, b: Any) -> bool:
    """Equal, with the same type at every level (1 == 1.0 == Decimal(1) would hide a change)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, decimal.Decimal):
        return str(a) == str(b)
    return bool(a == b)


DOCUMENTS = [
    '{"count": 3, "customer_infos": [{"customer_id": "000000004e5f40718293a4b5c6d7e8f9", "is_frozen": 0}]}',
    '{"amount": 12.30, "rate": 1e-7, "big": 123456789012345678901234567890, "neg": -9223372036854775809,'
    ' "min": -9223372036854775808, "zero": -0, "exp": 5E+3, "frac": 0.1}',
    '{"escaped": "a\\"b\\\\c\\n\\u00e9\\ud83d\\ude00", "plain": "\u4e2d\u6587", "empty": "", "key\\u0041": 1}',
    '{"dup": 1, "dup": 2, "t": true, "f": false, "n": null, "list": [], "obj": {}}',
    '[1, "two", [3, [4, {"five": 5}]], null]',
    # Objects in an array with the keys of the one before (their dicts are copies): other
    # orders, fewer and more keys, duplicate keys, nested values, escaped keys.
    '[{"a": 1, "b": [{"x": 1}, {"x": 2}]}, {"a": 3, "b": {"y": 1}}, {"b": 5, "a": 6}, {"a": 7},'
    ' {"a": 8, "b": 9, "c": 10}, {"a": 1, "a": 2}, {"a": 3, "a": 4}, {"\\u0061": 5, "b": 6},'
    ' {"a": 5, "b": 6}, 7, {"a": 8, "b": 9}, {}, {}]',
    '"just a string"',
    "  \n ",
    '{"long": "' + "x" * 200 + '", "short": "' + "y" * 64 + '", "just_over": "' + "z" * 65 + '"}',
    json.dumps({f"k{i}": [i, str(i), i / 4] for i in range(300)}),
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_both_ways_give_the_same_values(text: str) -> None:
    direct, taped = _native._parse_both_ways(text.encode())
    assert not isinstance(direct, ValueError), direct
    assert same(direct, taped), (direct, taped)


def test_repeated_strings_are_equal_from_the_cache() -> None:
    text = json.dumps([{"status": "1", "currency": "CNY"} for _ in range(50)]).encode()
    for _ in range(3):  # the second and third time every string comes from the cache
        direct, taped = _native._parse_both_ways(text)
        assert same(direct, taped)


@pytest.mark.parametrize("text", ['{"a": 1', '{"a": 1} x', '{"a": NaN}', '[1,]', '{"a": "\\x"}', "\xff"])
def test_both_ways_refuse_what_is_not_json(text: str) -> None:
    direct, taped = _native._parse_both_ways(text.encode("latin-1"))
    assert isinstance(direct, ValueError) and isinstance(taped, ValueError), (direct, taped)
    assert " at line " in str(taped), taped


def test_nesting_beyond_the_limit_is_refused_not_a_crash() -> None:
    direct, taped = _native._parse_both_ways(b"[" * 5000 + b"]" * 5000)
    assert isinstance(taped, ValueError) and "nested deeper than" in str(taped)
    assert isinstance(direct, ValueError)


def test_calls_in_threads_and_alone_give_the_same_results(emu: Emulator) -> None:
    client = emu.client()
    alone = client.list_sub_customers(offset=0, limit=10)
    results: list[Any] = []

    def work() -> None:
        for _ in range(10):
            results.append(client.list_sub_customers(offset=0, limit=10))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 40
    for r in results:
        assert type(r) is type(alone) and same(dict(r), dict(alone))
