#!/usr/bin/env bash
# `npm test`: every stage, in order, after installing whatever is missing (so it runs on a fresh clone of a
# fresh machine). `npm test -- STAGE [ENGINE]` runs one stage:
#   lint       cargo fmt, clippy (native, wasm32, the no_std release configuration), no import circle in
#              the facade, the browser scenarios parse, the fuzz targets
#   core       cargo test: the native core
#   browser    wasm-pack test in Chromium, Firefox and WebKit; `browser firefox` runs one engine
#   package    the package build, the size ratchet, the build scripts' tests, the package in Node
#   consumers  a Rust crate using the Rust API, and the packed package in fresh projects, driven in
#              Chromium, Firefox and WebKit
#   e2e        the demo server, the demo apps and the end-to-end scenarios
# consumers and e2e test pkg/ and rebuild it first when anything it is built from is newer.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

STAGES=(lint core browser package consumers e2e)
ENGINES=(chromium firefox webkit)

usage() {
	echo "usage: npm test [-- STAGE [ENGINE]]   STAGE: ${STAGES[*]}; ENGINE (browser only): ${ENGINES[*]}" >&2
	exit 2
}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

lint() {
	step "format and lints"
	cargo fmt --check
	# The demo's Leptos app is a crate of its own (www/leptos), outside this one's workspace.
	cargo fmt --check --manifest-path www/leptos/Cargo.toml
	cargo clippy --all-targets -- -D warnings
	# The browser tests drive the JS API, hence `js`; the default features alone are the Rust API's.
	cargo clippy --target wasm32-unknown-unknown --all-targets --features js -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib -- -D warnings
	# The release configuration: no standard library, the crate's own allocator and panic handler.
	cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features js -- -D warnings
	step "the facade's modules import each other in one direction"
	node scripts/module-cycles.mjs src/wasm
	step "the glue imports at most four snippet modules (the most a test page loads reliably from the runner)"
	node scripts/snippet-modules.mjs
	step "the browser scenarios parse (tests/scenarios/*.mjs, which the Rust browser tests run)"
	for scenario in tests/scenarios/*.mjs; do node --check "$scenario"; done
	step "the fuzz targets compile (bash fuzz/run.sh runs them)"
	# cargo-fuzz's crate needs nightly features; RUSTC_BOOTSTRAP lets the stable toolchain have them.
	(cd fuzz && RUSTC_BOOTSTRAP=1 cargo check --bins --quiet)
}

core() {
	step "native core (cargo test)"
	cargo test
}

# The test files that run in a browser; each runs on its own, so one failing file hides no other.
browser_tests() { grep -l 'wasm_bindgen_test_configure!(run_in_browser)' tests/*.rs | xargs -n1 basename | sed 's/\.rs$//'; }

browser() {
	local engines=("${ENGINES[@]}") failed=()
	if [ $# -gt 0 ]; then engines=("$@"); fi
	for engine in "${engines[@]}"; do
		local run
		case "$engine" in
		chromium) run=(env CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome) ;;
		firefox) run=(env GECKODRIVER="$(command -v geckodriver)" wasm-pack test --headless --firefox) ;;
		# WebKitGTK has no headless mode: its driver opens MiniBrowser on a virtual display.
		webkit) run=(xvfb-run -a wasm-pack test --headless --safari --safaridriver /usr/bin/WebKitWebDriver) ;;
		*) usage ;;
		esac
		for file in $(browser_tests); do
			step "browser: tests/$file.rs in $engine"
			local log
			log=$(mktemp)
			if ! "${run[@]}" -- --features js --test "$file" 2>&1 | tee "$log"; then
				# WebKitGTK's driver sometimes never starts the test page ("Loading scripts..." until the
				# runner's time limit): no test ran, so the file runs once more. A test that ran and
				# failed is never retried.
				if [ "$engine" = webkit ] && ! grep -q '^test result:' "$log"; then
					step "browser: tests/$file.rs in $engine again (the page never started its tests)"
					"${run[@]}" -- --features js --test "$file" || failed+=("$file in $engine")
				else
					failed+=("$file in $engine")
				fi
			fi
			rm -f "$log"
		done
	done
	if [ ${#failed[@]} -gt 0 ]; then
		printf '\nbrowser tests failed: %s\n' "${failed[@]}" >&2
		return 1
	fi
}

build_package() {
	step "package build and size ratchet"
	npm run --silent build
	node bench/check-size.mjs
}

package() {
	build_package
	# After the build: they rewrite the glue wasm-bindgen writes for the release module it compiled.
	step "the build scripts' own tests"
	node --test tests/build/
	step "the built package in Node (server-side rendering, init without arguments)"
	node --test tests/node/
}

# pkg/ is stale when a file it is built from is newer than its package.json.
package_is_stale() {
	[ ! -f pkg/package.json ] ||
		[ -n "$(find src js scripts Cargo.toml Cargo.lock package-lock.json -newer pkg/package.json -print -quit)" ]
}

consumers() {
	step "the Rust API from a crate outside this one (tests/rust-consumer), in Chromium"
	# A directory of its own under target/ (a minute the first time, seconds after): in the main crate's,
	# its build of tokenstore (default features) would overwrite the main crate's test build (with
	# `js`), as cargo does not hash the file names of a crate with a cdylib for wasm32.
	(cd tests/rust-consumer && CARGO_TARGET_DIR=../../target/rust-consumer CHROMEDRIVER=/usr/bin/chromedriver \
		wasm-pack test --headless --chrome)
	if package_is_stale; then build_package; fi
	step "consumer matrix: the packed tarball in fresh projects, in Chromium, Firefox and WebKit"
	bash tests/consumers/run.sh
}

e2e() {
	if package_is_stale; then build_package; fi
	step "demo apps and end-to-end tests"
	bash www/build.sh
	bash tests/e2e/run.sh
}

stages=("${STAGES[@]}")
engines=()
if [ $# -gt 0 ]; then
	[[ " ${STAGES[*]} " == *" $1 "* ]] || usage
	stages=("$1")
	shift
	if [ $# -gt 0 ]; then
		[ "${stages[0]}" = browser ] || usage
		engines=("$@")
	fi
fi

bash scripts/setup.sh test

times=()
for stage in "${stages[@]}"; do
	started=$SECONDS
	"$stage" "${engines[@]}"
	times+=("$(printf '%-10s %4ss' "$stage" "$((SECONDS - started))")")
done
step "passed"
printf '%s\n' "${times[@]}"
