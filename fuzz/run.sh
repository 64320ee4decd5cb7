#!/usr/bin/env bash
# Runs every fuzz target: RUNS executions each (default 6 million), starting from the committed seeds.
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP lets the stable toolchain use them.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH" RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
runs=${RUNS:-6000000}
for target in decode claims differential; do
	mkdir -p "corpus/$target"
	cargo fuzz run -O "$target" "corpus/$target" "seeds/$target" -- -runs="$runs" -max_len=4096 -print_final_stats=1
done
