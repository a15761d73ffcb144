#!/usr/bin/env bash
# Builds the C example (shared, and static against libhcpartner.a) and the C++ example against
# the installed library (pkg-config) and runs each against an emulator. Prints "N passed, N failed".
set -euo pipefail
OUT=$1
cd "$(dirname "$0")/../.."
mkdir -p "$OUT/examples"
LOG=$OUT/examples.log
: >"$LOG"
passed=0 failed=0
CFLAGS="-Wall -Wextra -Werror $(pkg-config --cflags hcpartner)"
gcc -std=c11 $CFLAGS -o "$OUT/examples/partner_c" examples/c/partner.c $(pkg-config --libs hcpartner)
gcc -std=c11 $CFLAGS -o "$OUT/examples/partner_c_static" examples/c/partner.c \
    "$(pkg-config --variable=libdir hcpartner)/libhcpartner.a" $(pkg-config --libs-only-l --static hcpartner | sed 's/-lhcpartner//')
g++ -std=c++17 $CFLAGS -o "$OUT/examples/partner_cpp" examples/cpp/partner.cpp $(pkg-config --libs hcpartner)
# The README's C example compiles as it is (it is not run: it names the real service).
sed -n '/^## C in 15 lines/,/^## /p' README.md | sed -n '/^```c$/,/^```$/p' | sed '1d;$d' >"$OUT/examples/readme.c"
if [ "$(wc -l <"$OUT/examples/readme.c")" -eq 15 ] &&
    gcc -std=c11 $CFLAGS -o "$OUT/examples/readme" "$OUT/examples/readme.c" $(pkg-config --libs hcpartner); then
    passed=$((passed + 1)); echo "ok   README C example (15 lines) compiles" | tee -a "$LOG"
else
    failed=$((failed + 1)); echo "FAIL README C example (15 lines) compiles" | tee -a "$LOG"
fi

# One emulator for the three: its startup line gives the options.
coproc EMU { "$HCP_EMULATOR" --port 0 --exit-with-stdin 2>/dev/null; }
read -r line <&"${EMU[0]}"
HCP_OPTIONS=$(python3 -c 'import json,sys; i=json.loads(sys.argv[1]); print(json.dumps({"endpoint": i["url"], "credentials": {"type": "ak_sk", "ak": i["ak"], "sk": i["sk"], "domain_id": i["domain_id"]}}))' "$line")
export HCP_OPTIONS
for ex in partner_c partner_c_static partner_cpp; do
    if "$OUT/examples/$ex" >"$OUT/examples/$ex.out" 2>&1 && grep -q "^customers: [0-9]" "$OUT/examples/$ex.out"; then
        passed=$((passed + 1)); echo "ok   example $ex" | tee -a "$LOG"
    else
        failed=$((failed + 1)); echo "FAIL example $ex" | tee -a "$LOG"; cat "$OUT/examples/$ex.out"
    fi
    sed "s/^/  [$ex] /" "$OUT/examples/$ex.out"
done
[ "$(pkg-config --modversion hcpartner)" = "$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)" ] \
    && { passed=$((passed + 1)); echo "ok   pkg-config --modversion" | tee -a "$LOG"; } \
    || { failed=$((failed + 1)); echo "FAIL pkg-config --modversion" | tee -a "$LOG"; }
exec {EMU[1]}>&-
wait
echo "$passed passed, $failed failed" | tee -a "$LOG"
[ "$failed" = 0 ]
