#!/usr/bin/env bash
# Smoke test of the package as a consumer gets it: `npm pack`, install the tarball into a fresh folder outside the
# repository, import it by name with plain node (one write, one read on SQLite), type-check a consumer file against
# the emitted .d.ts as the bot compiles (strict: false) and as its web app does (strict: true), and run every function
# of the bot's contract in each of the five modes (with a stub @repo/shared analyzer beside the package), expecting
# one transcript from all of them and, in the shadowed modes, both databases verified equal by `omega-db verify`.
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
cp "$repo/test/smoke/consumer.mjs" "$repo/test/smoke/consumer.ts" "$repo/test/smoke/bot-modes.mjs" .
# The bot's monorepo links its @repo/shared beside this package; the stub stands in for it.
cp -R "$repo/test/smoke/repo-shared" node_modules/@repo/shared

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

# The five modes, each in a fresh process configured only by its environment, as the bot's deploys are.
admin="${TEST_POSTGRES_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_admin() { node -e "const pg=require('pg');const c=new pg.Client({connectionString:process.argv[1]});c.connect().then(()=>c.query(process.argv[2])).then(()=>c.end())" "$admin" "$1"; }
declare -A flags=(
  [sqlite]=""
  [shadow]="USE_POSTGRES_SHADOW=true"
  [read]="USE_POSTGRES_SHADOW=true USE_POSTGRES_READ=true"
  [postgres]="USE_POSTGRES_PRIMARY=true"
  [rollback]="USE_POSTGRES_PRIMARY=true USE_POSTGRES_SHADOW=true"
)
for mode in sqlite shadow read postgres rollback; do
  name="omega_smoke_$$_$mode"
  pg_admin "DROP DATABASE IF EXISTS $name"
  pg_admin "CREATE DATABASE $name"
  url="${admin%/*}/$name"
  # Phase 1 of the guide, before any mode writes: both schemas in place.
  node_modules/.bin/omega-db schema --create --sqlite "$work/$mode.db" --postgres "$url" >/dev/null
  env -u POSTGRES_URL -u DATABASE_URL -u DATABASE_PUBLIC_URL SQLITE_PATH="$work/$mode.db" POSTGRES_URL="$url" \
    ${flags[$mode]} node bot-modes.mjs >"$work/$mode.out"
  tail -n 1 "$work/$mode.out" >"$work/$mode.json"
  if [ "$mode" = shadow ] || [ "$mode" = read ] || [ "$mode" = rollback ]; then
    node_modules/.bin/omega-db verify --sqlite "$work/$mode.db" --postgres "$url" --json >"$work/$mode.verify" ||
      { echo "smoke: verify failed after the $mode mode" >&2; cat "$work/$mode.verify" >&2; exit 1; }
  fi
  pg_admin "DROP DATABASE $name WITH (FORCE)"
  echo "smoke: the bot's functions ran in mode $mode${flags[$mode]:+ (${flags[$mode]})}"
done
node -e '
const fs = require("fs")
const [dir, ...modes] = process.argv.slice(1)
const read = (m) => JSON.parse(fs.readFileSync(`${dir}/${m}.json`, "utf8"))
const reference = JSON.stringify(read(modes[0]).seen)
for (const m of modes) {
  if (JSON.stringify(read(m).seen) !== reference) {
    console.error(`smoke: mode ${m} answered differently from mode ${modes[0]}:`)
    console.error(JSON.stringify(read(m).seen, null, 1))
    process.exit(1)
  }
}
const seen = read(modes[0]).seen
if (seen.analyzerContext.join() !== "0,1") throw new Error(`analyzer contexts ${seen.analyzerContext}`)
if (typeof seen.human[0].sentiment_analysis !== "string") throw new Error("sentiment_analysis is not JSON text")
console.log("smoke: all five modes gave the same answers, in the legacy shapes, analysed by the @repo/shared stub")
' "$work" sqlite shadow read postgres rollback
