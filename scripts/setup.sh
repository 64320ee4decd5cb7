#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already there.
#   scripts/setup.sh build   the Rust compiler release the build needs (checked), its wasm target and
#                            rust-src, wasm-bindgen-cli, npm packages
#   scripts/setup.sh test    the above, plus wasm-pack, Chromium, chromedriver, Firefox ESR, geckodriver, and
#                            WebKit: WebKitGTK's WebDriver (MiniBrowser) with Xvfb, its virtual display
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-build}
case "$what" in build | test) ;; *)
	echo "usage: scripts/setup.sh [build|test]" >&2
	exit 2
	;;
esac

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# Root needs no sudo (CI and the dev machines run as root); anyone else needs it for apt.
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The release build rebuilds core and alloc for size with unstable options (-Zbuild-std,
# -Cpanic=immediate-abort: scripts/build.mjs). They change from one compiler release to the next, so this
# is the release they were measured and tested with, or newer (README, Building).
rustc_needed=1.95.0
rustc_found=$(rustc --version 2>/dev/null | awk '{ print $2 }')
if [ "$(printf '%s\n' "$rustc_needed" "${rustc_found:-0}" | sort -V | head -n1)" != "$rustc_needed" ]; then
	echo "[setup] the package build needs rustc $rustc_needed or newer (found ${rustc_found:-no rustc}): rustup update stable" >&2
	exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
	say "adding the wasm32-unknown-unknown target"
	rustup target add wasm32-unknown-unknown
fi

# The release build rebuilds core and alloc from the standard library's source.
if ! rustup component list --installed | grep -qx 'rust-src'; then
	say "adding the rust-src component"
	rustup component add rust-src
fi

# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly, or the generated glue is refused.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
	echo "[setup] no wasm-bindgen version in Cargo.lock" >&2
	exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]; then
	say "installing wasm-bindgen-cli $bindgen_version (about 3 minutes)"
	# Not --locked: one of its locked dependencies is missing from the registry mirror here.
	cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	say "installing npm packages"
	npm ci --no-audit --no-fund
fi

[ "$what" = test ] || exit 0

# The browser tests run through wasm-pack.
if ! command -v wasm-pack >/dev/null; then
	say "installing wasm-pack (about 2 minutes)"
	cargo install wasm-pack --locked
fi

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
# WebKit, Safari's engine: WebKitGTK has no headless mode, so its driver runs on Xvfb (xvfb-run -a).
[ -x /usr/bin/WebKitWebDriver ] || missing+=(webkit2gtk-driver)
[ -x /usr/bin/xvfb-run ] || missing+=(xvfb)
if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]} from Debian"
	as_root apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

if ! command -v geckodriver >/dev/null; then
	say "building geckodriver (about 3 minutes)"
	cargo install geckodriver --locked || cargo install geckodriver
fi
