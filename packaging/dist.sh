#!/usr/bin/env bash
# make dist: writes dist/ with every artifact at Cargo.toml's version, for x86_64 Linux with glibc
# 2.17 or later, and SHA256SUMS. No container: zig (PyPI's ziglang) links against glibc 2.17's
# symbol versions, through cargo-zigbuild's wrapper (packaging/zig/cc). Every build runs with the
# same environment and the `dist` profile, so cargo reuses what it compiled before; the same
# sources give the same bytes, and a file in dist/ is replaced only when its content changed.
#
#   hcpartner-VERSION-cp310-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl   (maturin)
#   hcpartner-VERSION.tar.gz                      the Python sdist (maturin sdist)
#   hcpartner-VERSION.tgz                         the npm package with the linux-x64-gnu addon
#   hcpartner-c-VERSION-linux-x86_64.tar.gz       libhcpartner.so/.a, include/, pkg-config, examples
#   hcpartner-emulator-VERSION-linux-x86_64       the emulator binary
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-build/venv}
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
TARGET=x86_64-unknown-linux-gnu
OUT=${CARGO_TARGET_DIR:-$ROOT/target}/$TARGET/dist
STAGE=$ROOT/build/dist
DIST=$ROOT/dist
source packaging/zig/env.sh "$ROOT/$VENV" # PATH, zig as CC and linker, SOURCE_DATE_EPOCH

step() { echo "== dist: $* (${SECONDS}s)"; }
rm -rf "$STAGE" && mkdir -p "$STAGE" "$DIST"

step "wheel (maturin, manylinux2014)"
maturin build --locked -q --profile dist --target "$TARGET" --compatibility manylinux2014 \
    -m bindings-python/Cargo.toml -o "$STAGE/wheel"
step "sdist (maturin)"
maturin sdist -m bindings-python/Cargo.toml -o "$STAGE/sdist" >/dev/null

step "Node addon, C library, emulator (cargo, one build)"
cargo build --locked -q --profile dist --target "$TARGET" \
    -p hcpartner-node -p hcpartner-c -p hcpartner-emulator

step "npm package"
bash packaging/npm.sh "$OUT/libhcpartner_node.so" "$STAGE/npm"

step "C tarball"
bash packaging/c_tarball.sh "$OUT" "$STAGE/c" "$VERSION" "$SOURCE_DATE_EPOCH"

install -m 755 "$OUT/hcpartner-emulator" "$STAGE/hcpartner-emulator-$VERSION-linux-x86_64"

# Into dist/: changed files only, nothing stale, then the checksums.
want=()
for f in "$STAGE"/wheel/*.whl "$STAGE"/sdist/*.tar.gz "$STAGE"/npm/*.tgz "$STAGE"/c/*.tar.gz \
    "$STAGE/hcpartner-emulator-$VERSION-linux-x86_64"; do
    name=$(basename "$f")
    case $name in *"$VERSION"*) ;; *) echo "dist: $name does not carry version $VERSION"; exit 1 ;; esac
    want+=("$name")
    cmp -s "$f" "$DIST/$name" || cp -p "$f" "$DIST/$name"
done
for f in "$DIST"/*; do
    name=$(basename "$f")
    [ "$name" = SHA256SUMS ] || printf '%s\n' "${want[@]}" | grep -qxF "$name" || rm -f "$f"
done
(cd "$DIST" && sha256sum "${want[@]}" >SHA256SUMS.new && mv SHA256SUMS.new SHA256SUMS)
step "dist/ (version $VERSION)"
(cd "$DIST" && ls -l "${want[@]}" SHA256SUMS | awk '{printf "  %10d  %s\n", $5, $9}')
