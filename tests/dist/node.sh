# shellcheck shell=bash
# Sourced by tests/dist/run.sh: the npm tarball installed offline into a fresh npm project, then
# smoke.js against the emulator from dist/, and its index.d.ts under tsc --strict.
set -euo pipefail

APP=$WORK/fresh/npm-app
node_tarball() {
    mkdir -p "$APP"
    printf '{"name": "dist-check", "private": true}\n' >"$APP/package.json"
    (cd "$APP" && npm install --offline --no-audit --no-fund --loglevel=error "$NPM")
    cp tests/dist/smoke.js "$APP/"
    node "$APP/smoke.js"
}
check "Node: a fresh npm project from the tarball (offline)" node_tarball

node_types() {
    cat >"$APP/check.ts" <<'TS'
import { Client, akSk, version, ApiError } from 'hcpartner';
const client: Client = new Client({ endpoint: 'http://127.0.0.1:9', credentials: akSk('AK', 'SK') });
const v: string = version;
async function count(): Promise<number | undefined> {
  const page = await client.listSubCustomers({ limit: 10 });
  return page.count;
}
export { v, count, ApiError };
TS
    cat >"$APP/tsconfig.json" <<'JSON'
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", "module": "nodenext",
    "moduleResolution": "nodenext", "lib": ["es2022", "dom"], "types": [] }, "files": ["check.ts"] }
JSON
    "$ROOT/bindings-node/node_modules/.bin/tsc" -p "$APP"
    echo "index.d.ts of the installed package types a sample under tsc --strict"
}
check "Node: the installed index.d.ts under tsc --strict" node_types
