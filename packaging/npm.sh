#!/usr/bin/env bash
# packaging/npm.sh ADDON OUT: the npm package, as `npm pack` makes it of a staged copy of
# bindings-node (the entries of its package.json "files") with ADDON, the release build of the
# addon, as hcpartner.linux-x64-gnu.node: the name napi-rs gives a linux-x64-gnu build, which
# lib/native.js loads (or, napi-rs's platform package layout, the package hcpartner-linux-x64-gnu).
set -euo pipefail
addon=$1 out=$2
cd "$(dirname "$0")/../bindings-node"
pkg=$out/package
rm -rf "$out" && mkdir -p "$pkg"
node -e 'for (const f of require("./package.json").files) if (!f.includes("*")) console.log(f)' |
    while read -r entry; do cp -r "${entry%/}" "$pkg/"; done
cp package.json "$pkg/"
install -m 755 "$addon" "$pkg/hcpartner.linux-x64-gnu.node"
(cd "$pkg" && npm pack --loglevel=error --ignore-scripts --pack-destination "$out" >/dev/null)
