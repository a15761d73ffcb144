#!/usr/bin/env bash
# Type-checks the Python package the way its users see it: `mypy --strict` on typing_sample.py
# against bindings-python/python (generated _operations.pyi and types.py, the hand-written
# __init__.py, _native.pyi, errors.py), for the oldest Python mypy still targets (3.10: the
# `typing_extensions` branch of types.py) and for the running one; then checks that mypy rejects a
# handful of wrong uses, so a pass means something, and that the stub matches the runtime module
# (mypy.stubtest). The sample uses map, per-call options, with_options views, reconcile and Literal
# operation names; a typo'd operation name must be rejected. pandas is optional (to_dataframe) and not part
# of the typed surface: a missing pandas or pandas-stubs is not an error here.
#
#   bindings-python/tests/check_types.sh            # venv with mypy in /tmp (reused)
#   HCP_TYPING_VENV=dir PYTHON=python3.12 bindings-python/tests/check_types.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pkg=$(cd "$here/../python" && pwd)
venv=${HCP_TYPING_VENV:-/tmp/hcpartner-typing-venv}
python=${PYTHON:-python3}

if [ ! -x "$venv/bin/mypy" ]; then
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "mypy>=1.11"
fi
export MYPYPATH="$pkg"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf '[mypy]\n\n[mypy-pandas.*]\nignore_missing_imports = True\n' >"$scratch/mypy.ini"
mypy=("$venv/bin/mypy" --strict --no-error-summary --config-file "$scratch/mypy.ini"
      --cache-dir "$venv/mypy-cache")

status=0
for version in 3.10 ""; do
    args=()
    [ -n "$version" ] && args=(--python-version "$version")
    if "${mypy[@]}" "${args[@]}" "$here/typing_sample.py"; then
        echo "ok: mypy --strict ${args[*]} typing_sample.py"
    else
        echo "FAIL: mypy --strict ${args[*]} typing_sample.py" >&2
        status=1
    fi
done

# Each wrong use must be rejected, with an error naming what is wrong.
n=0
expect_error() {
    local pattern=$1 code=$2 file
    n=$((n + 1))
    file="$scratch/wrong_$n.py"
    {
        echo "from decimal import Decimal"
        echo "import hcpartner"
        echo "from hcpartner.types import DemandProductInfo"
        echo "client = hcpartner.Client(endpoint='http://127.0.0.1:1')"
        echo "aclient = hcpartner.AsyncClient(endpoint='http://127.0.0.1:1')"
        printf '%s\n' "$code"
    } >"$file"
    local out
    if out=$("${mypy[@]}" "$file" 2>&1); then
        echo "FAIL: mypy accepted: $code" >&2
        status=1
    elif ! grep -q -- "$pattern" <<<"$out"; then
        echo "FAIL: mypy rejected '$code' but not with '$pattern':" >&2
        echo "$out" >&2
        status=1
    else
        echo "ok: rejected: $code"
        echo "    $(grep -m1 -- "$pattern" <<<"$out" | sed 's/^[^:]*:[0-9]*: //')"
    fi
}
expect_error 'Argument "limit"' 'client.list_sub_customers(offset=0, limit="10")'
expect_error 'Unexpected keyword argument "ofset"' 'client.list_sub_customers(ofset=0)'
expect_error 'Missing named argument "amount"' 'client.update_customer_account_amount(customer_id="c")'
expect_error 'Argument "amount"' 'client.update_customer_account_amount(customer_id="c", amount=[1])'
expect_error 'Incompatible types in assignment' 'total: str = client.list_sub_customers().get("count", 0)'
expect_error 'has no key "customer_info"' 'client.list_sub_customers()["customer_info"]'
expect_error 'Missing key' 'p: DemandProductInfo = {"id": "1"}'
expect_error 'Incompatible types in assignment' 'amount: Decimal = client.show_customer_account_balances().get("measure_id", 0)'
expect_error 'Coroutine' 'names = aclient.list_sub_customers().get("count")'
expect_error 'Argument 1 to "paginate"' 'client.paginate("list_sub_customer")'
expect_error 'Argument 1 to "paginate"' 'client.paginate("update_customer_account_amount")'
expect_error 'Argument 1 to "map"' 'client.map("list_sub_customer", [{}])'
expect_error 'Argument 1 to "call"' 'client.call("update_customer_acount_amount")'
expect_error 'Argument "_options"' 'client.list_sub_customers(_options={"timout": 5})'
expect_error 'Argument "timeout"' 'client.with_options(timeout="5")'
expect_error 'has no attribute "request_idd"' 'print(hcpartner.meta(client.list_sub_customers()).request_idd)'
expect_error 'has no key "verdit"' 'print(client.reconcile(hcpartner.OutcomeUnknown("x"))["verdit"])'
expect_error 'Argument 1 to "reconcile"' 'client.reconcile("update_customer_account_amount")'
expect_error 'Incompatible types in assignment' 'n: int = client.reconcile(hcpartner.OutcomeUnknown("x"))["verdict"]'
expect_error 'Coroutine' 'print(aclient.reconcile(hcpartner.OutcomeUnknown("x"))["verdict"])'

# The stub must describe the runtime module exactly (names, keyword-only arguments, defaults,
# sync vs async). The real __init__.py imports the native module, so stubtest imports the
# generated files from a scratch package with an empty __init__.py.
mkdir -p "$scratch/rt/hcpartner"
cp "$pkg"/hcpartner/*.py "$pkg"/hcpartner/*.pyi "$scratch/rt/hcpartner/"
: >"$scratch/rt/hcpartner/__init__.py"
# stubtest cannot compare a Literal alias of 109 names with its runtime value (it wants a Union):
# the aliases are checked by the mypy runs above instead.
printf 'hcpartner.types.OperationName\nhcpartner.types.PaginatedOperation\n' >"$scratch/allowlist"
if (cd "$scratch/rt" && MYPYPATH="$scratch/rt" PYTHONPATH="$scratch/rt" PYTHONDONTWRITEBYTECODE=1 \
    "$venv/bin/python" -m mypy.stubtest --mypy-config-file "$scratch/mypy.ini" --allowlist "$scratch/allowlist" \
    hcpartner._operations hcpartner._async_operations hcpartner.types); then
    echo "ok: stubtest hcpartner._operations hcpartner._async_operations hcpartner.types"
else
    echo "FAIL: stubtest: _operations.pyi does not match _operations.py" >&2
    status=1
fi

exit $status
