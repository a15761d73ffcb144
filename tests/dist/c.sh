# shellcheck shell=bash
# Sourced by tests/dist/run.sh: the C tarball unpacked into a fresh prefix and found only through
# pkg-config; version.c, the tarball's own C example (shared, then static) and its C++ example
# built with it and run against the emulator from dist/.
set -euo pipefail

CROOT=$WORK/fresh/c
CPREFIX=$CROOT/hcpartner-c-$VERSION-linux-x86_64
mkdir -p "$CROOT"
tar -xzf "$CTAR" -C "$CROOT"
export PKG_CONFIG_PATH=$CPREFIX/lib/pkgconfig
HCP_OPTIONS=$("$PYTHON" -c 'import json, os; i = json.loads(os.environ["HCP_EMULATOR_INFO"]); print(json.dumps({"endpoint": i["url"], "credentials": {"type": "ak_sk", "ak": i["ak"], "sk": i["sk"], "domain_id": i["domain_id"]}}))')
export HCP_OPTIONS

c_pkg_config() {
    [ "$(pkg-config --modversion hcpartner)" = "$VERSION" ]
    [ "$(pkg-config --variable=libdir hcpartner)" -ef "$CPREFIX/lib" ]
    [ "$(pkg-config --variable=includedir hcpartner)" -ef "$CPREFIX/include" ]
    [ -f "$CPREFIX/include/README.md" ]
    echo "pkg-config: hcpartner $VERSION in $(pkg-config --variable=prefix hcpartner)"
}
check "C: pkg-config finds the unpacked tarball" c_pkg_config

# c_build OUT COMPILER ARGS...: builds $CROOT/OUT with -Werror and pkg-config's include flags.
c_build() {
    local out=$1
    shift
    "$@" -Wall -Wextra -Werror $(pkg-config --cflags hcpartner) -o "$CROOT/$out"
}
c_version() {
    c_build version gcc -std=c11 tests/dist/version.c $(pkg-config --libs hcpartner)
    LD_LIBRARY_PATH=$CPREFIX/lib "$CROOT/version" "$VERSION"
}
check "C: header macros, hcp_version() and Cargo.toml agree" c_version

c_example_shared() {
    c_build partner gcc -std=c11 "$CPREFIX/examples/c/partner.c" $(pkg-config --libs hcpartner)
    LD_LIBRARY_PATH=$CPREFIX/lib "$CROOT/partner" >"$CROOT/partner.out"
    cat "$CROOT/partner.out"
    grep -q '^customers: [1-9]' "$CROOT/partner.out"
    echo "examples/c/partner.c with libhcpartner.so: $(grep '^customers' "$CROOT/partner.out")"
}
check "C: the tarball's C example, linked with libhcpartner.so" c_example_shared

c_example_static() {
    c_build partner_static gcc -std=c11 "$CPREFIX/examples/c/partner.c" "$CPREFIX/lib/libhcpartner.a" \
        $(pkg-config --libs-only-l --static hcpartner | sed 's/-lhcpartner//')
    if ldd "$CROOT/partner_static" | grep -q libhcpartner; then return 1; fi
    "$CROOT/partner_static" >"$CROOT/partner_static.out"
    cat "$CROOT/partner_static.out"
    grep -q '^customers: [1-9]' "$CROOT/partner_static.out"
    echo "examples/c/partner.c linked with libhcpartner.a runs without the .so"
}
check "C: the tarball's C example, linked with libhcpartner.a" c_example_static

c_example_cpp() {
    c_build partner_cpp g++ -std=c++17 "$CPREFIX/examples/cpp/partner.cpp" $(pkg-config --libs hcpartner)
    LD_LIBRARY_PATH=$CPREFIX/lib "$CROOT/partner_cpp" >"$CROOT/partner_cpp.out"
    cat "$CROOT/partner_cpp.out"
    grep -q '^customers: [1-9]' "$CROOT/partner_cpp.out"
    echo "examples/cpp/partner.cpp with include/hcpartner.hpp runs"
}
check "C++: the tarball's C++ example" c_example_cpp
