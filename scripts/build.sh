#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack --target web, then wasm-opt from npm's binaryen
# (wasm-pack's own wasm-opt download cannot work here; Cargo.toml turns it off), then the hand-written
# entries of js/ around wasm-bindgen's glue, the classic-script and single-file builds, package.json,
# README and licenses.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# A fresh clone has none of the tools yet; this returns at once when they are there.
bash scripts/setup.sh build
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
# -Os, then whole-program flow analysis (--gufa) and -Os again over what it simplified; the target
# features section is for tools, not browsers. Each measured smaller gzipped than -Oz, converging, or
# leaving it out (see README). The features rustc enables by default for wasm32-unknown-unknown are
# named, so wasm-opt may keep using them.
node_modules/.bin/wasm-opt -Os --gufa -Os --strip-target-features --strip-debug --strip-producers \
	--enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
	--enable-reference-types --enable-sign-ext --enable-multivalue \
	pkg/tokenstore_bg.wasm -o pkg/tokenstore_bg.wasm
# wasm-bindgen's glue becomes core.js, wrapped by the entries of js/; the wasm keeps its name (the glue
# and the exports map refer to it).
mv pkg/tokenstore.js pkg/core.js
mv pkg/tokenstore.d.ts pkg/core.d.ts
node scripts/types.mjs pkg/core.d.ts
rm pkg/package.json pkg/README.md pkg/.gitignore

# The entry module imports from snippets by placeholder (./snippets/TOKEN_ERROR_JS for
# src/wasm/token_error.js): each becomes the path wasm-bindgen wrote, exactly one file, or stop.
cp js/index.js pkg/index.js
for placeholder in $(grep -o '\./snippets/[A-Z_]*_JS' js/index.js | sort -u); do
	snippet=$(basename "$placeholder" _JS | tr '[:upper:]' '[:lower:]').js
	mapfile -t found < <(cd pkg && find snippets -path "*/src/wasm/$snippet")
	if [ ${#found[@]} -ne 1 ]; then
		echo "build: expected one snippets/*/src/wasm/$snippet in pkg/, found ${#found[@]}" >&2
		exit 1
	fi
	sed -i "s|$placeholder\"|./${found[0]}\"|" pkg/index.js
done
# A module that is not ours must never become the module: init() rejects, and the next init() is free
# to load the right one (the glue keeps the first module it finalizes, even one that then fails).
finalize='function __wbg_finalize_init(instance, module) {'
if [ "$(grep -cF "$finalize" pkg/core.js)" -ne 1 ]; then
	echo "build: pkg/core.js must define __wbg_finalize_init once" >&2
	exit 1
fi
sed -i "s|^$finalize\$|&\n    if (typeof instance.exports.tokenstore_new !== \"function\") throw new TypeError(\"tokenstore: this WebAssembly module is not tokenstore_bg.wasm\");|" pkg/core.js
cp js/node.js js/react.js js/index.d.ts js/react.d.ts js/global.d.ts pkg/
cp js/README.md pkg/README.md
cp LICENSE-MIT LICENSE-APACHE pkg/

# Ship the JS minified: a <script type="module"> page downloads it as is. Class names stay (TokenStore and
# AutoLogin show by name in the console); the docs and types live in the .d.ts files.
for file in pkg/core.js pkg/index.js pkg/snippets/*/src/wasm/*.js; do
	node_modules/.bin/terser "$file" --module --compress --mangle --keep-classnames --output "$file"
done
node scripts/shorten-imports.mjs pkg/tokenstore_bg.wasm pkg/core.js

# The module entry as one file: the entry, wasm-bindgen's glue and its snippets bundled, which gzips
# smaller than six files and saves the browser five requests; core.d.ts stays for the types. wasm-bindgen
# writes `free()` before ours in the class body (see README), hence the duplicate member it reports.
node_modules/.bin/esbuild pkg/index.js --bundle --format=esm --target=es2022 \
	--log-override:duplicate-class-member=silent --outfile=pkg/index.bundle.js --log-level=warning
# esbuild's helpers, made to work under a polluted Object.prototype (see the script).
node scripts/harden-bundle.mjs pkg/index.bundle.js
node_modules/.bin/terser pkg/index.bundle.js --module --compress --mangle --keep-classnames --output pkg/index.js
rm -r pkg/index.bundle.js pkg/core.js pkg/snippets

# The classic-script build and the single-file module with the wasm inside, bundled from the finished
# files above. The classic build passes the wasm's URL to init(), so its missing import.meta is unused.
# Bundled unminified so that scripts/harden-bundle.mjs finds esbuild's helpers, then minified; the names
# --keep-names keeps are set by calls in the code, which the second pass keeps.
cp js/global.js pkg/global.src.js
cp js/inline.js pkg/inline.src.js
node_modules/.bin/esbuild pkg/global.src.js --bundle --keep-names --format=iife \
	--global-name=tokenstore --target=es2020 --log-override:empty-import-meta=silent \
	--log-override:duplicate-class-member=silent \
	--outfile=pkg/global.bundle.js --log-level=warning
node_modules/.bin/esbuild pkg/inline.src.js --bundle --keep-names --format=esm \
	--target=es2022 --loader:.wasm=binary --log-override:duplicate-class-member=silent --outfile=pkg/inline.bundle.js --log-level=warning
node scripts/harden-bundle.mjs pkg/global.bundle.js pkg/inline.bundle.js
node_modules/.bin/esbuild pkg/global.bundle.js --minify --target=es2020 --outfile=pkg/tokenstore.global.js --log-level=warning
node_modules/.bin/esbuild pkg/inline.bundle.js --minify --format=esm --target=es2022 --outfile=pkg/tokenstore.inline.js --log-level=warning
rm pkg/global.src.js pkg/inline.src.js pkg/global.bundle.js pkg/inline.bundle.js
cp js/inline.d.ts pkg/tokenstore.inline.d.ts

# The CommonJS builds (see the exports map in package-json.mjs): node.js and everything it imports in
# one file, import.meta.url and the text codecs supplied by js/cjs-shim.js; the React hook beside it.
node_modules/.bin/esbuild pkg/node.js --bundle --minify --keep-names --format=cjs --platform=node \
	--target=node20 --inject:js/cjs-shim.js --define:import.meta.url=importMetaUrl \
	--log-override:duplicate-class-member=silent --outfile=pkg/tokenstore.cjs --log-level=warning
node_modules/.bin/esbuild pkg/react.js --bundle --format=cjs --platform=node --target=node20 \
	--external:react --outfile=pkg/react.cjs --log-level=warning

node scripts/package-json.mjs
