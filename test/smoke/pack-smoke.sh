#!/usr/bin/env bash
# Smoke test of the package as a consumer gets it: `npm pack`, install the tarball into a fresh folder outside the
# repository, import it by name with plain node (one write, one read on SQLite), and type-check a consumer file
# against the emitted .d.ts as the bot compiles (strict: false) and as its web app does (strict: true).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/omega-smoke-XXXXXX")"
trap 'rm -rf "$work"' EXIT

(cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball="$(ls "$work"/*.tgz)"
echo "smoke: packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) kB)"

mkdir -p "$work/consumer"
cd "$work/consumer"
cat >package.json <<JSON
{ "name": "smoke-consumer", "private": true, "type": "module" }
JSON
# Dependencies come from the npm cache that `npm ci` filled; the registry only for what is missing. Install scripts
# are skipped and better-sqlite3's addon is taken from the repository's install (same version, same Node): compiling
# SQLite again would double this test's time and test nothing of ours (building it is `npm ci`'s job).
npm install --silent --no-audit --no-fund --prefer-offline --ignore-scripts "$tarball" "@types/node@^20" >/dev/null
version_of() { node -p "require('$1/package.json').version"; }
if [ "$(version_of "$repo/node_modules/better-sqlite3")" = "$(version_of "$PWD/node_modules/better-sqlite3")" ]; then
  cp -R "$repo/node_modules/better-sqlite3/build" node_modules/better-sqlite3/
else
  npm rebuild --silent better-sqlite3 >/dev/null
fi
cp "$repo/test/smoke/consumer.mjs" "$repo/test/smoke/consumer.ts" .

SQLITE_PATH="$work/smoke.db" node consumer.mjs

tsc="$repo/node_modules/typescript/bin/tsc"
check() {
  local name="$1"
  shift
  node "$tsc" --noEmit --incremental false --skipLibCheck false --types node --target ES2022 "$@" consumer.ts
  echo "smoke: consumer.ts compiles as $name"
}
check "the bot (strict: false, NodeNext)" --strict false --noImplicitAny false --module NodeNext --moduleResolution NodeNext
check "the web app (strict: true, bundler)" --strict true --module ESNext --moduleResolution bundler
