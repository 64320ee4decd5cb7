#!/usr/bin/env bash
# Installs the demo's npm packages where missing or stale, and builds the React and Svelte apps against pkg/
# (their "tokenstore" dependency is file:../../pkg, which npm links, so a rebuilt pkg/ is picked up as is),
# and the Leptos app with tokenstore's Rust API (leptos/build.sh).
set -euo pipefail
cd "$(dirname "$0")"

install() {
	if [ ! -f "$1/node_modules/.package-lock.json" ] || [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
		echo "[www] npm ci in www/$1"
		(cd "$1" && npm ci --no-audit --no-fund)
	fi
}

install .
for app in react svelte; do
	install "$app"
	echo "[www] vite build www/$app"
	(cd "$app" && npx vite build --logLevel error)
done
bash leptos/build.sh
