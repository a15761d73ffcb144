# shellcheck shell=bash
# Sourced by packaging/dist.sh with the build venv's path: puts the venv
# (maturin, cargo-zigbuild, auditwheel) first on PATH and makes zig the C compiler and linker of
# x86_64-unknown-linux-gnu, host build scripts included. The same values for every build, so cargo
# reuses its outputs across them; CARGO_ZIGBUILD_ZIG_PATH saves a Python start per compile.
# SOURCE_DATE_EPOCH dates every file in the wheel, the sdist and the tarballs, so the same sources
# give the same bytes. It is a constant (1980-01-01, the oldest date a zip holds), not the commit's
# time: cc-based build scripts (ring's) watch it, and a new value would rebuild everything.
set -euo pipefail
venv_dir=$1
zig_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PATH="$venv_dir/bin:$PATH"
export CC_x86_64_unknown_linux_gnu=$zig_dir/cc
export CXX_x86_64_unknown_linux_gnu=$zig_dir/c++
export CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER=$zig_dir/cc
export SOURCE_DATE_EPOCH=315532800
export HCP_START_ORDER=1 # zig links with lld: bindings-python/build.rs
CARGO_ZIGBUILD_ZIG_PATH=$("$venv_dir/bin/python" -c 'import os, ziglang; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')
export CARGO_ZIGBUILD_ZIG_PATH
