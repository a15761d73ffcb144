# Sourced by tests/dist/run.sh: the wheel and the sdist, each installed into a fresh venv, then
# smoke.py against the emulator from dist/.

python_wheel() {
    local venv=$WORK/fresh/venv-wheel
    "$PYTHON" -m venv "$venv"
    "$venv/bin/pip" install -q --no-index "$WHEEL"
    "$venv/bin/python" tests/dist/smoke.py
}
check "Python: a fresh venv from the wheel" python_wheel

# pip builds the sdist as it would on a user's machine (maturin from PyPI in an isolated build
# environment, the Rust sources of the sdist), with the dist build's settings and target directory
# so that only the sdist's own crates compile (the registry crates are the wheel's). It is
# unpacked in a fixed place: unchanged, it compiles nothing.
python_sdist() {
    local venv=$WORK/fresh/venv-sdist src=$WORK/sdist
    "$PYTHON" -m venv "$venv"
    rm -rf "$src" && mkdir -p "$src" && tar -xzf "$SDIST" -C "$src"
    (
        source packaging/zig/env.sh "$ROOT/$VENV"
        export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
        export MATURIN_PEP517_ARGS="--profile dist --target x86_64-unknown-linux-gnu --compatibility manylinux2014"
        "$venv/bin/pip" install -q "$src/hcpartner-$VERSION"
    )
    "$venv/bin/python" tests/dist/smoke.py
}
check "Python: a fresh venv from the sdist (pip builds it)" python_sdist
