#!/usr/bin/env bash
# The consumer matrix: packs pkg/ as npm would publish it, installs the tarball into each consumer
# project (their own dependencies come from their committed lockfiles, which do not name tokenstore, so
# a rebuilt tarball changes no lockfile), builds each one, then drives them (node --test *.test.mjs).
# One consumer at a time: the builds of Next.js and SvelteKit each want both cores.
# Expects pkg/ built (scripts/test.sh does that first), geckodriver and WebKitWebDriver (scripts/setup.sh test).
set -euo pipefail
export NEXT_TELEMETRY_DISABLED=1
cd "$(dirname "$0")"
CONSUMERS=(node-script vitest-jsdom jest29 jest30 readme-types static vite-react react-router webpack nextjs sveltekit)
started=$SECONDS
say() { printf '[consumers %3ss] %s\n' "$((SECONDS - started))" "$*"; }

# Cached by lockfile, like scripts/setup.sh: npm ci only when the lockfile is newer than the install.
install() {
	if [ ! -f "$1/node_modules/.package-lock.json" ] || [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
		say "npm ci in $1"
		(cd "$1" && npm ci --no-audit --no-fund --loglevel=error)
	fi
}

install .
rm -rf .tarball
mkdir .tarball
(cd ../../pkg && npm pack --silent --pack-destination ../tests/consumers/.tarball >/dev/null)
mv .tarball/tokenstore-*.tgz .tarball/tokenstore.tgz
say "packed pkg/ into .tarball/tokenstore.tgz"

# Jest 29 and 30 run the same create-react-app style project.
for jest in jest29 jest30; do cp -R jest-app/. "$jest/"; done

for consumer in "${CONSUMERS[@]}"; do
	install "$consumer"
	(cd "$consumer" && npm install --no-save --no-audit --no-fund --loglevel=error ../.tarball/tokenstore.tgz >/dev/null)
	if grep -q '"build"' "$consumer/package.json"; then
		say "building $consumer"
		(cd "$consumer" && npm run --silent build)
	fi
done
say "installed and built ${CONSUMERS[*]}"

# Every *.test.mjs: one per consumer, Jest's for both of its projects, Firefox's, which runs the static
# pages' NOT_INITIALIZED and CSP checks, WebKit's every static page, and the early answer's.
node --test --test-concurrency=1 ./*.test.mjs
say "done"
