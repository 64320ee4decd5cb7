#!/usr/bin/env bash
# End-to-end tests: the demo server's API, then each demo app in headless Debian Chromium, the Leptos app
# in Chromium, Firefox and WebKit (leptos.test.mjs), then the package in WebKit (webkit.test.mjs, through
# WebKitWebDriver).
# Expects pkg/ and the demo apps built (scripts/test.sh does that first).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund
fi
for app in react svelte; do
	if [ -f "../../www/$app/package.json" ]; then
		echo "[e2e] type-checking www/$app against the shipped declarations"
		(cd "../../www/$app" && npm run --silent check)
	fi
done
node --test --test-concurrency=1 server.test.mjs refresh-server.test.mjs browser.test.mjs hostile.test.mjs lifetimes.test.mjs logout.test.mjs refresh.test.mjs timing.test.mjs model.test.mjs dpop.test.mjs leaks.test.mjs apps.test.mjs leptos.test.mjs webkit.test.mjs
