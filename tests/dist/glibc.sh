#!/usr/bin/env bash
# tests/dist/glibc.sh FILE...: prints the newest glibc symbol version each ELF file needs
# (`objdump -T`, its dynamic symbols) and fails when one needs a glibc newer than 2.17, or none.
set -euo pipefail
MAX=2.17
status=0
for f in "$@"; do
    newest=$(objdump -T "$f" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/^GLIBC_//' | sort -uV | tail -1)
    if [ -z "$newest" ]; then
        echo "$(basename "$f"): no GLIBC symbol versions (is it a dynamically linked ELF file?)"
        status=1
    elif [ "$(printf '%s\n%s\n' "$newest" "$MAX" | sort -V | tail -1)" != "$MAX" ]; then
        echo "$(basename "$f"): GLIBC_$newest, newer than $MAX:"
        objdump -T "$f" | grep -E "GLIBC_$newest([^0-9.]|$)" | sed 's/^/    /'
        status=1
    else
        echo "$(basename "$f"): GLIBC_$newest"
    fi
done
exit $status
