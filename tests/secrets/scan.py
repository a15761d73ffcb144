"""Scans what the demo and the suites printed at debug level for the secrets they used; any hit
fails (make test-secrets, after the suites have run with HCP_SECRETS_DIR=build/secrets).

The secrets: every one the emulators held or handed out, as they recorded them
(HCP_EMULATOR_SECRETS: the partner's SK and password, the seeded and created customers'
passwords, every IAM token, temporary secret key and security token), the fake ones the suites
plant to check that they stay hidden (PLANTED), and the shape of an emulator token (its prefix
and 16 hex digits of it) for the tokens, so a token cut short is found too.

    python3 tests/secrets/scan.py DIR [--require GLOB ...]

Scans every file in DIR but the record itself; each --require GLOB must match a non-empty file
(a suite that wrote nothing is an error, not a pass). Before scanning, it checks itself: a
planted line of each kind in a scratch file must be found."""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Tuple

RECORD = "emulator-secrets.txt"
# The fake secrets the suites plant (grep -rn SECRET tests/), each asserted hidden where planted.
PLANTED = [
    "SKSECRET-123", "SKSECRET-42", "TOKSECRET-456", "PWSECRET-789", "PROXYPW-000", "PROXY-SECRET-9",
    "SK-SECRET-1", "TOKEN-SECRET-2", "PASSWORD-SECRET-3", "TOKEN-SECRET-4", "WRONG-PASSWORD-9",
    "not-the-secret-key", "SECRET-HDR", "HDR-SECRET",
]
# IAM tokens and security tokens as the emulator makes them (emulator/src/auth.rs, iam.rs).
SHAPES = re.compile(r"MIIemu[0-9a-f]{16}|gQpzZWNyZXRfdG9rZW4[0-9a-f]{16}")


def load_secrets(directory: Path) -> Tuple[List[str], Dict[str, int]]:
    record = directory / RECORD
    issued = [s for s in record.read_text(encoding="utf-8").splitlines() if s] if record.exists() else []
    tokens = {s for s in issued if s.startswith(("MIIemu", "gQpzZWNyZXRfdG9rZW4"))}
    # The shape must match every token the emulators made, else it would miss one cut short.
    assert all(SHAPES.match(t) for t in tokens), "a token of another shape"
    # A password the emulator refused as too short (under 8) is no text worth looking for.
    others = sorted({s for s in issued if s not in tokens and len(s) >= 8} | set(PLANTED), key=len, reverse=True)
    kinds = {"tokens": len(tokens), "SKs and passwords": len(others) - len(PLANTED), "planted": len(PLANTED)}
    return others, kinds


def matcher(others: List[str]) -> "re.Pattern[str]":
    """The token shape, or any of the other secrets (longest first)."""
    return re.compile("|".join([SHAPES.pattern, *map(re.escape, others)]))


def scan(path: Path, pattern: "re.Pattern[str]") -> List[str]:
    """Where `path` holds a secret, as `path:line: what` (the secret itself is not shown)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    hits = []
    for m in pattern.finditer(text):
        what = "an emulator token" if SHAPES.match(m.group()) else f"a secret of {len(m.group())} characters"
        hits.append(f"{path}:{text.count(chr(10), 0, m.start()) + 1}: {what}")
    return hits


def self_check(others: List[str], pattern: "re.Pattern[str]") -> None:
    """Each kind of secret planted in a scratch file is found; a clean line is not."""
    samples = others[:3] + [others[-1], "MIIemu" + "ab" * 8, "gQpzZWNyZXRfdG9rZW4" + "0f" * 8]
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "planted.log"
        for s in samples:
            f.write_text(f"clean line\nDEBUG hcpartner: request id 42 {s} done\n", encoding="utf-8")
            assert len(scan(f, pattern)) == 1 and scan(f, pattern)[0].startswith(f"{f}:2: "), s
        f.write_text("DEBUG hcpartner: ok op=list_sub_customers status=200 token=*** sk: '***' MIIemu\n", encoding="utf-8")
        assert scan(f, pattern) == [], "a clean line was flagged"


def main() -> int:
    args = argparse.ArgumentParser()
    args.add_argument("dir", type=Path)
    args.add_argument("--require", action="append", default=[])
    a = args.parse_args()
    others, kinds = load_secrets(a.dir)
    if kinds["tokens"] == 0 or kinds["SKs and passwords"] < 4:
        print(f"secrets: the emulators recorded too little ({kinds}): is HCP_EMULATOR_SECRETS set?")
        return 1
    pattern = matcher(others)
    self_check(others, pattern)
    files = sorted(p for p in a.dir.iterdir() if p.is_file() and p.name != RECORD)
    missing = [g for g in a.require if not any(p.stat().st_size > 0 for p in a.dir.glob(g))]
    if missing:
        print(f"secrets: no output captured for {', '.join(missing)} in {a.dir}")
        return 1
    hits = [h for f in files for h in scan(f, pattern)]
    size = sum(f.stat().st_size for f in files)
    print(f"secrets: {len(files)} files ({size / 1e6:.1f} MB) scanned for "
          f"{', '.join(f'{v} {k}' for k, v in kinds.items())} and the token shape: {len(hits)} hits")
    for h in hits[:50]:
        print("  " + h)
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
