#!/usr/bin/env bash
# packaging/c_tarball.sh LIBDIR OUT VERSION EPOCH: OUT/hcpartner-c-VERSION-linux-x86_64.tar.gz with
# lib/libhcpartner.so (soname libhcpartner.so), lib/libhcpartner.a, lib/pkgconfig/hcpartner.pc
# (relocatable: its prefix is where the file lies), include/hcpartner.h, hcpartner.hpp and
# README.md (the ownership rules), examples/c and examples/cpp. File times are EPOCH's, owners
# root, names sorted: the same inputs give the same bytes.
set -euo pipefail
libdir=$1 out=$2 version=$3 epoch=$4
cd "$(dirname "$0")/.."
name=hcpartner-c-$version-linux-x86_64
top=$out/$name
rm -rf "$out" && mkdir -p "$top/lib/pkgconfig" "$top/include" "$top/examples/c" "$top/examples/cpp"
install -m 755 "$libdir/libhcpartner_c.so" "$top/lib/libhcpartner.so"
install -m 644 "$libdir/libhcpartner_c.a" "$top/lib/libhcpartner.a"
strip --strip-debug "$top/lib/libhcpartner.a" # the standard library's debug info: 8 of its 48 MB
install -m 644 include/hcpartner.h include/hcpartner.hpp include/README.md "$top/include/"
install -m 644 examples/c/partner.c "$top/examples/c/"
install -m 644 examples/cpp/partner.cpp "$top/examples/cpp/"
sed -e 's|@PREFIX@|${pcfiledir}/../..|' -e "s|@VERSION@|$version|" bindings-c/hcpartner.pc.in \
    >"$top/lib/pkgconfig/hcpartner.pc"
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -C "$out" -cf - "$name" |
    gzip -6n >"$out/$name.tar.gz"
