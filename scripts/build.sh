#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack --target web, then wasm-opt -Os from npm's binaryen
# (wasm-pack's own wasm-opt download cannot work here; Cargo.toml turns it off).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# Without the `std` feature the module brings its own small allocator and panic handler (src/runtime.rs).
# A clean pkg/: wasm-pack leaves files of earlier builds (old snippets) in place.
rm -rf pkg
# core and alloc rebuilt for size: panics abort on the spot, with no message, location or Debug text
# to format (1.1 KB gzipped less than the prebuilt core). These are nightly options of the stable
# toolchain, which RUSTC_BOOTSTRAP unlocks for this build only; they need the rust-src component.
RUSTC_BOOTSTRAP=1 \
	RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
	wasm-pack build --release --target web --out-dir pkg -- --no-default-features \
	-Zbuild-std=core,alloc -Zbuild-std-features=optimize_for_size
# The features rustc enables by default for wasm32-unknown-unknown, so wasm-opt may keep using them.
node_modules/.bin/wasm-opt -Os --strip-debug --strip-producers \
	--enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
	--enable-reference-types --enable-sign-ext --enable-multivalue \
	pkg/tokenstore_bg.wasm -o pkg/tokenstore_bg.wasm
# Ship the JS minified: a <script type="module"> page downloads it as is. Class names stay (TokenStore and
# AutoLogin show by name in the console); the docs and types live in tokenstore.d.ts.
for file in pkg/tokenstore.js pkg/snippets/*/src/wasm/*.js; do
	node_modules/.bin/terser "$file" --module --compress --mangle --keep-classnames --output "$file"
done
node scripts/shorten-imports.mjs pkg/tokenstore_bg.wasm pkg/tokenstore.js
