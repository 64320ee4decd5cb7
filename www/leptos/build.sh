#!/usr/bin/env bash
# Builds the Leptos app into www/leptos/dist (served at /leptos/): wasm-pack compiles it with tokenstore from
# this repository's src/, and wasm-bindgen-cli (scripts/setup.sh installs the version Cargo.lock names)
# writes the module's JS glue. Skipped when nothing it is built from is newer than the last build; cargo's
# own cache in www/leptos/target makes a rebuild after a small change short.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"

built=dist/pkg/tokenstore_leptos_demo_bg.wasm
if [ -f "$built" ] && [ -f dist/index.html ] &&
	[ -z "$(find src Cargo.toml Cargo.lock index.html ../../src ../../Cargo.toml -newer "$built" -print -quit)" ]; then
	echo "[www] www/leptos is up to date"
	exit 0
fi
echo "[www] wasm-pack build www/leptos"
# --mode no-install: wasm-pack uses the wasm-bindgen-cli on PATH and never downloads one.
wasm-pack --quiet build --release --target web --mode no-install --no-typescript --no-pack --out-dir dist/pkg
cp index.html dist/index.html
