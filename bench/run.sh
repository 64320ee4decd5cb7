#!/usr/bin/env bash
# `npm run bench`: tokenstore beside jwt-decode and jose in headless Chromium. Builds pkg/ if it is missing.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund
fi
[ -f ../pkg/tokenstore_bg.wasm ] || (cd .. && node scripts/build.mjs)
# `bash bench/run.sh startup`: start-up as a user sees it (startup.mjs), instead of the rest.
if [ "${1:-}" = startup ]; then
	node startup.mjs
else
	node bench.mjs
fi
