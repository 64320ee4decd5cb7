#!/usr/bin/env bash
# Builds the npm package into pkg/ (wasm-pack --target web, then wasm-opt -Oz from npm's binaryen).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
wasm-pack build --release --target web --out-dir pkg
