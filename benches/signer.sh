#!/usr/bin/env bash
# Signs the same typical BSS request (benches/signer_case.json) with hcpartner's signer (criterion)
# and with the official Python signer (huaweicloudsdkcore), in one run, and prints the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -q -p hcpartner --bench signer -- --warm-up-time 1 --measurement-time 3 sign_bss_request >/dev/null 2>target/signer-bench.err || { cat target/signer-bench.err; exit 1; }
ours=$(python3 -c 'import json;print(json.load(open("target/criterion/sign_bss_request/new/estimates.json"))["median"]["point_estimate"])')
official=$(python3 benches/official_signer.py 2>target/official-signer.err)
python3 - "$ours" "$official" <<'PY'
import json, sys
ours = float(sys.argv[1]); off = json.loads(sys.argv[2])
print("signer: one signature of a typical BSS request (POST, 4 headers, 315-byte JSON body)")
print(f"  hcpartner (Rust)            {ours/1000:9.2f} us")
print(f"  {off['impl']:<28}{off['ns_per_sign']/1000:9.2f} us   (sign_request incl. X-Domain-Id)")
print(f"  {'':<28}{off['ns_per_sign_bare']/1000:9.2f} us   (bare Signer.sign)")
print(f"  ratio: hcpartner is {off['ns_per_sign']/ours:.1f}x faster ({off['ns_per_sign_bare']/ours:.1f}x vs the bare signer)")
PY
# Both must produce the same Authorization header for the case.
theirs=$(grep -o 'SDK-HMAC-SHA256 Access=[^"]*' target/official-signer.err | head -1 || true)
mine=$(grep -o 'SDK-HMAC-SHA256 Access=.*' target/signer-bench.err | head -1 || true)
if [ -n "$theirs" ] && [ "$theirs" != "$mine" ]; then echo "MISMATCH: $mine vs $theirs" >&2; exit 1; fi
[ -n "$theirs" ] && echo "  same Authorization from both: yes"
