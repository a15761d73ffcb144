#!/usr/bin/env bash
# The C suite (make test-c): programs built with gcc -Wall -Wextra -Werror against the INSTALLED
# header and library (build/c/prefix, found through pkg-config), each run under valgrind (no
# errors, no definite leaks), then all built again with -fsanitize=address,undefined and run;
# then the C example (linked statically too) and the C++ example, against the emulator.
set -euo pipefail
cd "$(dirname "$0")/../.."
PREFIX=$PWD/build/c/prefix
OUT=$PWD/build/c
export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
export LD_LIBRARY_PATH=$PREFIX/lib
: "${HCP_EMULATOR:?set HCP_EMULATOR to the hcpartner-emulator binary}"
export HCP_EMULATOR HCP_VECTORS=$PWD/tests/vectors/signing.json
mkdir -p "$OUT/bin" "$OUT/asan"
if [ -n "${HCP_SECRETS_DIR:-}" ]; then : >"$HCP_SECRETS_DIR/c-errors.log"; fi # harness.c appends

CFLAGS="-std=gnu11 -Wall -Wextra -Werror -g -O1 $(pkg-config --cflags hcpartner libcjson)"
LIBS="$(pkg-config --libs hcpartner libcjson) -lpthread"
PROGRAMS="test_calls test_errors test_reconcile test_threads test_signing"

totals_passed=0 totals_failed=0
tally() { # the "N passed, N failed" line of a program's output
    local line; line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -1)
    totals_passed=$((totals_passed + ${line%% passed*}))
    local f=${line#*, }; totals_failed=$((totals_failed + ${f%% failed}))
}
run() { # NAME LOG COMMAND...: runs it, shows its output, fails the suite if it fails
    local name=$1 log=$2; shift 2
    if "$@" >"$log" 2>&1; then status=ok; else status=FAILED; fi
    sed "s/^/  [$name] /" "$log"
    tally "$log"
    [ "$status" = ok ] || { echo "C suite: $name FAILED"; exit 1; }
}

for p in $PROGRAMS; do
    gcc $CFLAGS -o "$OUT/bin/$p" tests/c/$p.c tests/c/harness.c $LIBS
    gcc $CFLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
        -o "$OUT/asan/$p" tests/c/$p.c tests/c/harness.c $LIBS
done

VALGRIND="valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-fds=no"
for p in $PROGRAMS; do
    run "valgrind $p" "$OUT/$p.valgrind.log" $VALGRIND "$OUT/bin/$p"
done
for p in $PROGRAMS; do
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        run "asan $p" "$OUT/$p.asan.log" "$OUT/asan/$p"
done

bash tests/c/examples.sh "$OUT"
tally "$OUT/examples.log"
echo "C: $totals_passed passed, $totals_failed failed"
