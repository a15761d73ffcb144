# shellcheck shell=bash
# Sourced by tests/dist/run.sh: the wheel and the sdist, each installed into a fresh venv, then
# smoke.py against the emulator from dist/.
set -euo pipefail

python_wheel() {
    local venv=$WORK/fresh/venv-wheel
    "$PYTHON" -m venv "$venv"
    "$venv/bin/pip" install -q --no-index "$WHEEL"
    "$venv/bin/python" tests/dist/smoke.py
}
check "Python: a fresh venv from the wheel" python_wheel

# Import + a client add at most 5 MiB of RSS (#11), with the wheel's start-up code placed first
# (bindings-python/link/start.ld; zig's link strips the symbols that would show where it lies).
python_footprint() {
    "$WORK/fresh/venv-wheel/bin/python" bindings-python/link/order.py --check
}
check "Python: import + a client add at most 5 MiB of RSS" python_footprint

# pip builds the sdist as on a user's machine: maturin from PyPI in an isolated build environment,
# the sdist's Rust sources, the system's C compiler and linker. In the dev profile and the shared
# target directory: cargo names a workspace's crates by their relative paths, so it would take the
# sdist's crates for the ones `make wheel` built; the sources are touched so that they compile,
# from the sdist, while the registry crates are reused.
python_sdist() {
    local venv=$WORK/fresh/venv-sdist src=$WORK/sdist
    "$PYTHON" -m venv "$venv"
    rm -rf "$src" && mkdir -p "$src" && tar -xzf "$SDIST" -C "$src"
    find "$src" -type f -exec touch {} +
    CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target} MATURIN_PEP517_ARGS="--profile dev" \
        "$venv/bin/pip" install -v "$src/hcpartner-$VERSION" >"$WORK/fresh/sdist-build.log" 2>&1 ||
        { tail -40 "$WORK/fresh/sdist-build.log"; return 1; }
    grep -E '^ +Compiling (hcpartner|hcpartner-python) v' "$WORK/fresh/sdist-build.log"
    "$venv/bin/python" tests/dist/smoke.py
}
check "Python: a fresh venv from the sdist (pip builds it)" python_sdist
