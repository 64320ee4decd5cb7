#!/usr/bin/env bash
# `npm test`: every test. Installs what is missing first, so it runs on a fresh clone of a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

bash scripts/setup.sh test

step "format and lints"
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
# The release configuration: no standard library, the crate's own allocator and panic handler.
cargo clippy --target wasm32-unknown-unknown --lib --no-default-features -- -D warnings

step "native core (cargo test)"
cargo test

step "browser tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome

step "browser tests in headless Firefox"
GECKODRIVER="$(command -v geckodriver)" wasm-pack test --headless --firefox

step "package build and size ratchet"
node --test tests/build/
bash scripts/build.sh
node bench/check-size.mjs

step "the built package in Node (server-side rendering, init without arguments)"
node --test tests/node/

step "consumer matrix: the packed tarball in fresh projects, driven in headless Chromium (and Firefox)"
bash tests/consumers/run.sh

step "demo apps and end-to-end tests in headless Chromium"
bash www/build.sh
bash tests/e2e/run.sh
