#!/usr/bin/env bash
# make dist-check: what users download, installed as they would install it, each in a clean place
# under build/dist-check/fresh (a venv from the wheel and one from the sdist, an npm project from
# the tarball, offline, and the C tarball through pkg-config), then used against the emulator
# binary from dist/. Also: SHA256SUMS, one version everywhere, auditwheel's tag, and no glibc
# symbol newer than 2.17 in any shipped ELF file (objdump -T). Prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DIST=$ROOT/dist
WORK=$ROOT/build/dist-check
VENV=${VENV:-build/venv}
PYTHON=${PYTHON:-python3}
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
export HCP_VERSION=$VERSION
rm -rf "$WORK/fresh" "$WORK/logs" && mkdir -p "$WORK/fresh" "$WORK/logs"

passed=0 failed=0
# check NAME COMMAND...: runs it (errexit on, in a subshell) with its output in a log; shows the
# log's last line, or all of it on failure.
check() {
    local name=$1 log status
    shift
    log=$WORK/logs/$(printf '%s' "$name" | tr -c 'A-Za-z0-9.-' '_').log
    set +e
    (set -e; "$@") >"$log" 2>&1
    status=$?
    set -e
    if [ "$status" = 0 ]; then
        passed=$((passed + 1))
        echo "ok   $name -- $(tail -1 "$log")"
    else
        failed=$((failed + 1))
        echo "FAIL $name"
        sed 's/^/    /' "$log"
    fi
}

WHEEL=$(ls "$DIST"/hcpartner-"$VERSION"-cp310-abi3-*.whl)
SDIST=$DIST/hcpartner-$VERSION.tar.gz
NPM=$DIST/hcpartner-$VERSION.tgz
CTAR=$DIST/hcpartner-c-$VERSION-linux-x86_64.tar.gz
EMULATOR=$DIST/hcpartner-emulator-$VERSION-linux-x86_64

checksums() {
    cd "$DIST"
    sha256sum -c --strict SHA256SUMS
    [ "$(wc -l <SHA256SUMS)" = 5 ]
    [ "$(ls | grep -vcx SHA256SUMS)" = 5 ]
    echo "5 artifacts at $VERSION, checksums match"
}
check "SHA256SUMS" checksums

# The ELF files users get, unpacked from their archives.
ELF=$WORK/fresh/elf
mkdir -p "$ELF"
"$PYTHON" - "$WHEEL" "$ELF" <<'PY'
import pathlib, sys, zipfile
for name in zipfile.ZipFile(sys.argv[1]).namelist():
    if name.startswith("hcpartner/_native") and name.endswith(".so"):
        pathlib.Path(sys.argv[2], pathlib.Path(name).name).write_bytes(zipfile.ZipFile(sys.argv[1]).read(name))
PY
tar -xzf "$NPM" -C "$ELF" --strip-components=1 package/hcpartner.linux-x64-gnu.node
tar -xzf "$CTAR" -C "$ELF" --strip-components=2 "hcpartner-c-$VERSION-linux-x86_64/lib/libhcpartner.so"
for f in "$ELF"/* "$EMULATOR"; do
    check "glibc 2.17 at most: $(basename "$f")" bash tests/dist/glibc.sh "$f"
done

auditwheel_tag() {
    "$ROOT/$VENV/bin/auditwheel" show "$WHEEL" >"$WORK/fresh/auditwheel.txt"
    cat "$WORK/fresh/auditwheel.txt"
    tr -s ' \n' ' ' <"$WORK/fresh/auditwheel.txt" >"$WORK/fresh/auditwheel.line"
    grep -q 'is consistent with the following platform tag: "manylinux_2_17_x86_64"' "$WORK/fresh/auditwheel.line"
    if grep -q 'external shared libraries' "$WORK/fresh/auditwheel.line"; then return 1; fi
    echo "auditwheel show: manylinux_2_17_x86_64, only libraries of the policy"
}
check "auditwheel: the wheel is manylinux_2_17_x86_64" auditwheel_tag

check "emulator --version" bash -c "[ \"\$('$EMULATOR' --version)\" = 'hcpartner-emulator $VERSION' ] && '$EMULATOR' --version"
# One emulator from dist/ for every smoke call; its startup line gives the address and keys.
coproc EMU { "$EMULATOR" --port 0 --exit-with-stdin 2>"$WORK/logs/emulator.stderr"; }
read -r HCP_EMULATOR_INFO <&"${EMU[0]}" || { echo "the emulator from dist/ did not start"; exit 1; }
export HCP_EMULATOR_INFO

source tests/dist/python.sh
source tests/dist/node.sh
source tests/dist/c.sh

exec {EMU[1]}>&-
wait
echo "dist: $passed passed, $failed failed"
[ "$failed" = 0 ]
